"""Specs to IR: defaults applied, team routes attached to services, durations in seconds (pure)."""

from __future__ import annotations

from dataclasses import replace

from monaco.diagnostics import Diagnostics, Span
from monaco.ir.burnrate import lower_slo
from monaco.ir.nodes import LabelMatcher, Model, OnCall, Receiver, Route, Service, Slo, ThresholdAlert
from monaco.ir.rule_groups import lower_group_options, lower_records
from monaco.ir.time_intervals import lower_time_intervals
from monaco.ir.tracing import lower_tracing
from monaco.spec import identity
from monaco.spec.load import Located, Workspace
from monaco.spec.models import RouteSpec, ServiceSpec, SeverityLevel, TeamSpec
from monaco.spec.types import parse_duration
from monaco.spec.yaml_loader import Document, Path


def lower(workspace: Workspace, diagnostics: Diagnostics) -> Model:
    """The IR of a checked workspace; services sorted by name so output never depends on file order."""
    teams = {t.spec.metadata.name: t for t in workspace.teams}
    severities = tuple(workspace.severities)
    receivers: list[Receiver] = []
    for team in sorted(workspace.teams, key=lambda t: t.spec.metadata.name):
        receivers.extend(
            Receiver(r, f"team/{team.spec.metadata.name}", team.doc.span(("receivers", i)))
            for i, r in enumerate(team.spec.receivers)
        )
    services = []
    for located in sorted(workspace.services, key=lambda s: s.spec.metadata.name):
        spec = located.spec
        receivers.extend(
            Receiver(r, f"service/{spec.metadata.name}", located.doc.span(("receivers", i)))
            for i, r in enumerate(spec.receivers)
        )
        service = _lower_service(located, teams.get(spec.metadata.team), severities, diagnostics)
        options = lower_group_options(located, workspace.prometheus_version, diagnostics)
        records = lower_records(located)
        ids = workspace.identity_labels
        routes = _severity_label(service.routes, ids.severity)
        services.append(replace(service, identity=ids, records=records, group_options=options, routes=routes))
    return Model(
        services=tuple(services),
        receivers=tuple(sorted(receivers, key=lambda r: r.name)),
        severities=severities,
        paging_severities=frozenset(s.name for s in severities if s.page),
        identity=workspace.identity_labels,
        prometheus_version=workspace.prometheus_version,
        time_intervals=lower_time_intervals(workspace),
    )


def _lower_service(
    located: Located[ServiceSpec],
    team: Located[TeamSpec] | None,
    severities: tuple[SeverityLevel, ...],
    diagnostics: Diagnostics,
) -> Service:
    spec, doc = located.spec, located.doc
    runbook = str(spec.metadata.runbook) if spec.metadata.runbook else None
    names = [a.name for a in spec.alerts]
    alerts = tuple(
        ThresholdAlert(
            name=a.name,
            severity=a.severity,
            for_seconds=parse_duration(a.for_),
            keep_firing_for_seconds=parse_duration(a.keep_firing_for) if a.keep_firing_for else None,
            comparison=a.when.comparison if a.when else None,
            threshold=a.when.threshold if a.when else None,
            source=a.source,
            summary=a.summary,
            description=a.description,
            runbook=str(a.runbook) if a.runbook else runbook,
            labels=tuple(sorted(a.labels.items())),
            origin=doc.span(("alerts", i)),
            key=alert_key(a.name, a.severity, names.count(a.name) > 1, a.id),
            annotations=tuple(sorted(a.annotations.items())),
        )
        for i, a in enumerate(spec.alerts)
    )
    routes = _lower_routes(spec.routes, doc, f"service/{spec.metadata.name}")
    if team is not None:
        routes += _lower_routes(team.spec.routes, team.doc, f"team/{team.spec.metadata.name}")
    return Service(
        name=spec.metadata.name,
        team=spec.metadata.team,
        tier=spec.metadata.tier,
        labels=tuple(sorted(spec.metadata.labels.items())),
        owners=tuple(spec.metadata.owners),
        runbook=runbook,
        alerts=alerts,
        slos=_lower_slos(located, severities, diagnostics),
        routes=routes,
        team_default_receiver=team.spec.default_receiver if team else None,
        origin=doc.span(("metadata", "name")),
        tests=tuple(spec.tests),
        oncall=_lower_oncall(team),
        tracing=lower_tracing(spec, team.spec if team else None),
    )


def _lower_oncall(team: Located[TeamSpec] | None) -> OnCall | None:
    """The team's `oncall:` with the span of the block and of each escalation target."""
    if team is None or team.spec.oncall is None:
        return None
    oncall, doc = team.spec.oncall, team.doc
    spans = tuple(
        tuple(doc.span(("oncall", "escalation_policy", "levels", i, "targets", j)) for j in range(len(level.targets)))
        for i, level in enumerate(oncall.escalation_policy.levels)
    )
    return OnCall(team.spec.metadata.name, oncall, doc.span(("oncall",)), spans)


def _lower_slos(
    located: Located[ServiceSpec], severities: tuple[SeverityLevel, ...], diagnostics: Diagnostics
) -> tuple[Slo, ...]:
    if not located.spec.slos:
        return ()

    slos = []
    runbook = str(located.spec.metadata.runbook) if located.spec.metadata.runbook else None
    for i, slo_spec in enumerate(located.spec.slos):

        def span_for(path: Path, index: int = i) -> Span:
            return located.doc.span(("slos", index, *path))

        slo = lower_slo(
            slo_spec, service_runbook=runbook, severities=severities, doc_span_for=span_for, diagnostics=diagnostics
        )
        if slo is not None:
            slos.append(slo)
    return tuple(slos)


def _lower_routes(routes: list[RouteSpec], doc: Document, owner: str) -> tuple[Route, ...]:
    return tuple(
        Route(
            matchers=tuple(
                LabelMatcher(label, tuple(value) if isinstance(value, list) else (value,))
                for label, value in sorted(r.match.items())
            ),
            receivers=tuple(r.to),
            continue_=r.continue_,
            group_by=tuple(r.group_by) if r.group_by is not None else None,
            group_wait_seconds=parse_duration(r.group_wait) if r.group_wait else None,
            group_interval_seconds=parse_duration(r.group_interval) if r.group_interval else None,
            repeat_interval_seconds=parse_duration(r.repeat_interval) if r.repeat_interval else None,
            owner=owner,
            origin=doc.span(("routes", i)),
            mute_during=tuple(r.mute_during),
            active_during=tuple(r.active_during),
        )
        for i, r in enumerate(routes)
    )


def _severity_label(routes: tuple[Route, ...], label: str) -> tuple[Route, ...]:
    """Routes whose `severity` matchers use the label name Settings gives severities (routes speak of severity)."""
    if label == "severity":
        return routes
    return tuple(
        replace(route, matchers=tuple(replace(m, label=label) if m.label == "severity" else m for m in route.matchers))
        for route in routes
    )


def alert_key(name: str, severity: str, name_repeats: bool, explicit_id: str | None = None) -> str:
    """An alert's identity in its service: its `id`, else its name, plus its severity when the name repeats."""
    return identity.alert_key(name, severity, name_repeats, explicit_id)
