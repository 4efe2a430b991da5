"""The diagnostic codes the gcp_monitoring backend reports: code -> (usual level, meaning)."""

from __future__ import annotations

CODES: dict[str, tuple[str, str]] = {
    "MON801": ("warning", "an alert or SLO without a gcp source (level set by the target)"),
    "MON802": ("error", "a comparison Cloud Monitoring threshold conditions cannot make (only > and <)"),
    "MON803": (
        "error",
        "a duration, aligner, reducer or filter Cloud Monitoring refuses (a no-data duration under 2m)",
    ),
    "MON804": ("error", "an SLO goal above 0.9999, or a period that is not whole days up to 30d"),
    "MON805": ("error", "a route to an unknown receiver"),
    "MON806": ("warning", "an alert policy that notifies no one"),
    "MON807": ("warning", "a Slack receiver: Cloud Monitoring posts with a Slack app token (level set by the target)"),
    "MON808": (
        "info",
        "keep_firing_for, an SLO's group_by or min_events: not expressible here (level set by the target)",
    ),
    "MON809": ("warning", "a gauge SLI, which Service Monitoring cannot express exactly (level set by the target)"),
    "MON810": ("error", "live policies, channels and services cannot be read"),
}
