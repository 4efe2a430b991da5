"""The diagnostic codes the grafana_dashboards backend reports: code -> (usual level, meaning)."""

from __future__ import annotations

CODES: dict[str, tuple[str, str]] = {
    "MON600": ("error", "live dashboards cannot be read (Grafana unreachable, refused, or not the Grafana API)"),
    "MON601": ("warning", "a threshold alert without a Prometheus source: no panel for it (level set by the target)"),
    "MON602": ("warning", "an SLO without a Prometheus SLI: no panels for it (level set by the target)"),
    "MON603": ("info", "a service with nothing a dashboard can draw: no dashboard (level set by the target)"),
    "MON604": ("warning", "a live dashboard file that is not a dashboard's JSON: read as not monaco's"),
}
