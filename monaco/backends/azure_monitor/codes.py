"""The diagnostic codes the azure_monitor backend reports: code -> (usual level, meaning)."""

from __future__ import annotations

CODES: dict[str, tuple[str, str]] = {
    "MON901": (
        "warning",
        "an alert or SLO without an Azure source, nor PromQL for a workspace (level set by the target)",
    ),
    "MON902": ("error", "a comparison Azure alert rules cannot make, or no threshold"),
    "MON903": ("error", "an evaluation frequency or window outside the set Azure accepts"),
    "MON904": (
        "warning",
        "an SLO on platform metrics: Azure cannot AND two windows; the fallback alerts on each long window alone, "
        "a ratio not at all (level set by the target)",
    ),
    "MON905": (
        "warning",
        "a burn window Azure cannot look back over (log alerts: P2D; metric alerts: their window set), "
        "that pair left out (level set by the target)",
    ),
    "MON906": ("warning", "an alert that notifies no one"),
    "MON907": ("error", "a route to an unknown receiver"),
    "MON908": (
        "info",
        "keep_firing_for or a burn tier's `for`, which Azure rules cannot say (level set by the target)",
    ),
    "MON909": ("error", "two alerts that map to one Azure rule name"),
    "MON910": ("error", "live Azure Monitor resources cannot be read"),
    "MON911": ("warning", "a latency SLI, which Azure sources cannot express yet (level set by the target)"),
    "MON912": (
        "warning",
        "a time interval period an Azure alert processing rule cannot say (months, years, days counted from the "
        "month's end, weekdays with days of the month); routes muted during it are not muted (level set by the target)",
    ),
    "MON913": (
        "warning",
        "a time interval location with no Windows time zone name monaco knows; routes using it are not muted "
        "(level set by the target)",
    ),
    "MON914": (
        "warning",
        "a route's quiet hours one processing rule cannot hold: intervals in several locations, or rules whose alerts "
        "also notify through routes with other quiet hours; the route is not muted (level set by the target)",
    ),
}
