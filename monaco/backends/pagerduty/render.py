"""Pure: the PagerDuty escalation policies and services a target's selected services need.

One escalation policy per team that declares on-call (`<prefix><team>`), its levels in the spec's order and
its targets as the spec named them (`{"type": "schedule", "ref": "Primary"}`): ids are PagerDuty's and are
looked up at apply time; read_live presents live targets in the same words. One service per monaco service
(`<prefix><service>`), or per team with `pagerduty_service: per_team` (`<prefix><team>`), naming its policy
by name, with the urgency rule from `severity.py`, the timeouts in seconds, an Events API v2 integration,
and the ownership marker closing its description. Codes: MON1000 (no on-call, no default policy). Routes, and so
their quiet hours, are the routing target's (Alertmanager, Grafana, a cloud's): PagerDuty only receives.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from monaco.backends.base import RenderResult, Target
from monaco.backends.pagerduty.config import INTEGRATION_NAME, PagerDutyConfig, marked
from monaco.backends.pagerduty.declared import Declaration, team_oncall
from monaco.backends.pagerduty.severity import table_note, urgency_rule
from monaco.backends.unsupported import not_here
from monaco.ir.nodes import Model, Service
from monaco.plan.model import Resource
from monaco.spec.types import parse_duration

POLICY = "escalation_policy"
SERVICE = "service"
EVENTS_INTEGRATION = "events_api_v2_inbound_integration"
DEFAULT_TIMEOUTS = (14400, 1800)
"""auto_resolve and acknowledgement timeouts (seconds) of a service under the default policy: PD's own."""


def _seconds(value: str | None) -> int | None:
    return parse_duration(value) if value is not None else None


def policy_body(config: PagerDutyConfig, declaration: Declaration) -> dict[str, Any]:
    """A team's escalation policy, targets by the names the spec wrote."""
    spec = declaration.oncall.escalation_policy
    rules = [
        {
            "escalation_delay_in_minutes": level.escalation_delay_in_minutes,
            "targets": [{"type": placed.kind, "ref": placed.ref} for placed in placed_level],
        }
        for level, placed_level in zip(spec.levels, declaration.targets, strict=True)
    ]
    return {
        "name": config.policy_name(declaration.team),
        "description": spec.description or f"On-call of team {declaration.team} (monaco)",
        "num_loops": spec.num_loops,
        "escalation_rules": rules,
    }


def service_body(
    config: PagerDutyConfig, target: str, name: str, what: str, policy: str, timeouts: tuple[Any, Any]
) -> dict[str, Any]:
    """One PagerDuty service carrying `what`'s alerts under `policy` (by name)."""
    return {
        "name": config.service_name(name),
        "description": marked(f"Alerts of {what}, from monaco.", target),
        "escalation_policy": policy,
        "auto_resolve_timeout": timeouts[0],
        "acknowledgement_timeout": timeouts[1],
        "alert_creation": "create_alerts_and_incidents",
        "incident_urgency_rule": {},
        "integration": {"type": EVENTS_INTEGRATION, "name": INTEGRATION_NAME},
    }


def service_groups(services: Sequence[Service]) -> list[tuple[str, str, list[Service], Declaration | None]]:
    """(PagerDuty service name, what it carries, monaco services, the team's on-call) in a stable order."""
    groups: dict[str, tuple[str, str, list[Service], Declaration | None]] = {}
    for service in services:
        declared = team_oncall(service)
        per_team = declared is not None and declared.oncall.pagerduty_service == "per_team"
        name = service.team if per_team else service.name
        what = f"the services of team {service.team}" if per_team else f"service {service.name} (team {service.team})"
        groups.setdefault(name, (name, what, [], declared))[2].append(service)
    return [groups[name] for name in sorted(groups)]


def render_target(model: Model, target: Target, config: PagerDutyConfig) -> RenderResult:
    """Desired policies and services for `target.selected`; deterministic, no I/O."""
    result = RenderResult()
    policies: dict[str, Resource] = {}
    for name, what, services, declaration in service_groups(target.selected):
        if declaration is None and config.default_escalation_policy is None:
            for service in services:
                message = f"service {service.name}: team {service.team} declares no on-call (oncall:) and the target "
                message += "names no default_escalation_policy; no PagerDuty service"
                result.diagnostics.append(not_here(target, "MON1000", message, service.origin))
            continue
        if declaration is not None:
            body = policy_body(config, declaration)
            policies[body["name"]] = Resource(POLICY, body["name"], body, address=f"team/{declaration.team}/oncall")
            policy, oncall = body["name"], declaration.oncall
            timeouts: tuple[Any, Any] = (
                _seconds(oncall.auto_resolve_timeout),
                _seconds(oncall.acknowledgement_timeout),
            )
        else:
            policy, timeouts = str(config.default_escalation_policy), DEFAULT_TIMEOUTS
        body = service_body(config, target.name, name, what, policy, timeouts)
        body["incident_urgency_rule"] = urgency_rule(model, services)
        notes = {"event severities": table_note(model), "carries": ", ".join(s.name for s in services)}
        address = name if len(services) == 1 and services[0].name == name else f"team/{name}"
        result.resources.append(Resource(SERVICE, body["name"], body, notes=notes, address=address))
    result.resources.extend(policies[name] for name in sorted(policies))
    return result
