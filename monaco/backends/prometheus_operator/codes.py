"""The diagnostic codes the prometheus_operator backend reports: code -> (usual level, meaning)."""

from __future__ import annotations

CODES: dict[str, tuple[str, str]] = {
    "MON501": (
        "warning",
        "a service with routes but no receiver for its other alerts: no AlertmanagerConfig (level set by the target)",
    ),
    "MON502": ("error", "a prometheus_operator target's default_receiver names no receiver"),
    "MON503": ("warning", "a live manifest file that does not parse"),
    "MON504": (
        "error",
        "a time interval a route uses has a period in a zone other than UTC; the AlertmanagerConfig v1alpha1 "
        "API has no location, so its times would be read in UTC (level set by the target)",
    ),
}
