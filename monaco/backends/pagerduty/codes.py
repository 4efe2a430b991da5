"""The diagnostic codes the pagerduty backend reports: code -> (usual level, meaning)."""

from __future__ import annotations

CODES: dict[str, tuple[str, str]] = {
    "MON1000": (
        "warning",
        "a service whose team declares no on-call and whose target names no default_escalation_policy: "
        "no PagerDuty service (level set by the target)",
    ),
    "MON1001": ("error", "an escalation target (schedule or user) PagerDuty does not have"),
    "MON1002": ("error", "live PagerDuty services and escalation policies cannot be read"),
    "MON1003": ("error", "a default_escalation_policy PagerDuty does not have"),
}
