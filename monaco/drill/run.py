"""Orchestrating one drill: choose the service and severity, build the alert, refuse what would page, run it."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field

from monaco import engine
from monaco.backends import get_backend
from monaco.backends.base import Target
from monaco.diagnostics import Diagnostic
from monaco.drill.codes import NO_SUCH_SERVICE, REACHES_NO_ONE, UNKNOWN_SEVERITY, WOULD_PAGE
from monaco.drill.contract import DRILL_ALERTNAME, DRILL_LABEL, DrillAlert, DrillResult, DrillWait
from monaco.ir.labels import routing_labels
from monaco.ir.nodes import Model, Service
from monaco.ir.routing import receivers_for
from monaco.spec.drill import DrillSettings


@dataclass(slots=True)
class DrillRun:
    """A finished (or refused) drill: the target, the alert sent (if any) and what the backend observed."""

    target: str
    alert: DrillAlert | None = None
    result: DrillResult = field(default_factory=DrillResult)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the alert was sent and every expected receiver got it."""
        return self.alert is not None and self.result.ok


def drill_settings(session: engine.Session) -> DrillSettings:
    """The workspace's `drill:` settings (defaults when there is no Settings document)."""
    settings = session.workspace.settings
    return settings[0].spec.drill if settings else DrillSettings()


def choose_service(target: Target, name: str | None) -> Service | Diagnostic:
    """The service to drill: the one named, or the target's only one; MON453 otherwise."""
    names = [s.name for s in target.selected]
    if name is None and len(target.selected) == 1:
        return target.selected[0]
    for service in target.selected:
        if service.name == name:
            return service
    why = f"target {target.name} has no service {name!r}" if name else f"target {target.name} has {len(names)} services"
    return Diagnostic(NO_SUCH_SERVICE, why, target.origin, f"choose one with --service: {', '.join(names) or 'none'}")


def choose_severity(model: Model, settings: DrillSettings, wanted: str | None) -> str | Diagnostic:
    """`--severity`, else the settings' drill severity, else the least severe; MON458 when not in the closed set."""
    names = [s.name for s in model.severities]
    severity = wanted or settings.severity or names[-1]
    if severity not in names:
        return Diagnostic(UNKNOWN_SEVERITY, f"severity {severity!r} is not one of {', '.join(names)}")
    return severity


def build_alert(model: Model, service: Service, severity: str, drill_id: str) -> DrillAlert:
    """The drill alert of a service: its labels and identity, drill labels, and what the routes give it."""
    ids = service.identity
    labels = {
        **dict(service.labels),
        ids.service: service.name,
        ids.team: service.team,
        ids.severity: severity,
        DRILL_LABEL: "true",
        f"{DRILL_LABEL}_id": drill_id,
        "alertname": DRILL_ALERTNAME,
    }
    annotations = {
        "summary": f"monaco drill of {service.name}: a synthetic alert, not an incident",
        "description": f"Sent by `monaco drill` (id {drill_id}) to check that {service.name}'s alerts arrive; "
        "no action is needed and it resolves itself.",
    }
    expected = receivers_for(service, routing_labels(labels, DRILL_ALERTNAME))
    return DrillAlert(drill_id, service.name, severity, labels, annotations, expected, tuple(model.severities))


def paging_problem(model: Model, alert: DrillAlert, settings: DrillSettings, target: Target) -> Diagnostic | None:
    """MON452 when the drill would page someone (a PagerDuty receiver or target, a paging severity) unallowed."""
    if settings.allow_paging:
        return None
    receivers = {r.name: r for r in model.receivers}
    paging = [
        name
        for name in alert.expected
        if name in receivers and receivers[name].spec.pagerduty is not None and name not in settings.receivers
    ]
    reasons = [f"receiver {name} is a PagerDuty receiver" for name in paging]
    if alert.severity in model.paging_severities:
        reasons.append(f"severity {alert.severity} pages")
    if target.backend == "pagerduty":
        reasons.append("a PagerDuty target's events page its on-call")
    if not reasons:
        return None
    return Diagnostic(
        WOULD_PAGE,
        f"the drill of {alert.service} on {target.name} would page a person: {'; '.join(reasons)}",
        hint="choose a non-paging --severity, or allow it in Settings: `drill: {allow_paging: true}` "
        "(or list test receivers under `drill.receivers`)",
    )


def run_drill(
    session: engine.Session, target: Target, service_name: str | None, severity: str | None, wait: DrillWait
) -> DrillRun:
    """Send one drill alert through `target` and report what arrived; refusals come back as diagnostics."""
    run = DrillRun(target.name)
    assert session.model is not None
    settings = drill_settings(session)
    service = choose_service(target, service_name)
    chosen = choose_severity(session.model, settings, severity)
    problems = [p for p in (service, chosen) if isinstance(p, Diagnostic)]
    if isinstance(service, Service) and isinstance(chosen, str):
        alert = build_alert(session.model, service, chosen, time.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3))
        if not alert.expected and target.backend != "pagerduty":  # a PagerDuty target delivers to its service
            problems.append(
                Diagnostic(
                    REACHES_NO_ONE, f"no route of {service.name} gives the drill alert a receiver", service.origin
                )
            )
        problems.extend(p for p in [paging_problem(session.model, alert, settings, target)] if p is not None)
        if not problems:
            started = time.monotonic()
            run.alert, run.result = alert, get_backend(target.backend).drill(target, alert, wait)
            run.seconds = round(time.monotonic() - started, 3)
    run.result.diagnostics[:0] = problems
    return run
