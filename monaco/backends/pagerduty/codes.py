"""The diagnostic codes the pagerduty backend reports: code -> (usual level, meaning)."""

from __future__ import annotations

CODES: dict[str, tuple[str, str]] = {
    "MON1000": (
        "warning",
        "a service whose team declares no on-call and whose target names no default_escalation_policy: "
        "no PagerDuty service (level set by the target)",
    ),
    "MON1001": ("error", "an escalation target (schedule or user) PagerDuty does not have"),
    "MON1002": (
        "error",
        "live PagerDuty services and escalation policies (or the integration key a receiver names) cannot be read",
    ),
    "MON1003": ("error", "a default_escalation_policy PagerDuty does not have"),
    "MON1004": ("error", "a pagerduty receiver's `service:` names no PagerDuty service monaco makes"),
    "MON1005": ("error", "a pagerduty receiver's `service:` names a service no pagerduty target makes (plan, apply)"),
    "MON1006": ("error", "a pagerduty receiver's `service:` names a service more than one pagerduty target makes"),
}
