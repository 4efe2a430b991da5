"""The diagnostic codes the grafana_alerting backend reports: code -> (usual level, meaning)."""

from __future__ import annotations

CODES: dict[str, tuple[str, str]] = {
    "MON630": ("warning", "an alert or SLO without a Prometheus source, not rendered here (level set by the target)"),
    "MON631": ("error", "a `for` that is not a multiple of the rule group's evaluation interval (Grafana refuses it)"),
    "MON632": ("error", "a rule group interval that is not a multiple of 10s (Grafana refuses it)"),
    "MON633": (
        "info",
        "SLO rules read the slo:* recording series a Prometheus or Mimir target records (level set by the target)",
    ),
    "MON634": ("error", "live Grafana alerting objects cannot be read"),
}
