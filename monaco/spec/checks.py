"""Checks across documents: unique names, known severities and receivers, PromQL that parses."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from monaco.diagnostics import Diagnostics
from monaco.spec.load import Located, Workspace
from monaco.spec.models import RouteSpec, ServiceSpec
from monaco.spec.promql import check_promql
from monaco.spec.sources import CounterSource
from monaco.spec.yaml_loader import Document, Path


def check_workspace(workspace: Workspace, diagnostics: Diagnostics) -> None:
    """Report every cross-reference and expression problem in the workspace."""
    severities = [s.name for s in workspace.severities]
    receivers = _receivers_by_owner(workspace, diagnostics)
    _unique(
        [(s.spec.metadata.name, s.doc, ("metadata", "name")) for s in workspace.services],
        "MON201",
        "service",
        diagnostics,
    )
    _unique(
        [(t.spec.metadata.name, t.doc, ("metadata", "name")) for t in workspace.teams], "MON201", "team", diagnostics
    )
    _unique(
        [(t.spec.metadata.name, t.doc, ("metadata", "name")) for t in workspace.targets],
        "MON201",
        "target",
        diagnostics,
    )
    for team in workspace.teams:
        known = receivers.get(team.spec.metadata.name, set())
        _check_routes(team.spec.routes, team.doc, known, severities, diagnostics)
        if team.spec.default_receiver and team.spec.default_receiver not in known:
            _unknown_receiver(team.spec.default_receiver, team.doc, ("default_receiver",), known, diagnostics)
    for service in workspace.services:
        _check_service(service, receivers, severities, diagnostics)


def _receivers_by_owner(workspace: Workspace, diagnostics: Diagnostics) -> dict[str, set[str]]:
    """Receiver names visible to each team: the team's own plus each of its services' own."""
    seen: list[tuple[str, Document, Path]] = []
    visible: dict[str, set[str]] = {}
    for team in workspace.teams:
        for i, receiver in enumerate(team.spec.receivers):
            seen.append((receiver.name, team.doc, ("receivers", i, "name")))
            visible.setdefault(team.spec.metadata.name, set()).add(receiver.name)
    for service in workspace.services:
        for i, receiver in enumerate(service.spec.receivers):
            seen.append((receiver.name, service.doc, ("receivers", i, "name")))
    _unique(seen, "MON206", "receiver", diagnostics)
    return visible


def _check_service(
    service: Located[ServiceSpec],
    receivers: dict[str, set[str]],
    severities: list[str],
    diagnostics: Diagnostics,
) -> None:
    spec, doc = service.spec, service.doc
    known = receivers.get(spec.metadata.team, set()) | {r.name for r in spec.receivers}
    _unique(
        [(a.name, doc, ("alerts", i, "name")) for i, a in enumerate(spec.alerts)],
        "MON202",
        "alert",
        diagnostics,
    )
    _unique([(s.name, doc, ("slos", i, "name")) for i, s in enumerate(spec.slos)], "MON203", "SLO", diagnostics)
    for i, alert in enumerate(spec.alerts):
        _check_severity(alert.severity, doc, ("alerts", i, "severity"), severities, diagnostics)
        if isinstance(alert.source.prometheus, str):
            check_promql(alert.source.prometheus, doc, ("alerts", i, "source", "prometheus"), diagnostics)
    for i, slo in enumerate(spec.slos):
        for path, query in _slo_queries(
            slo.sli.ratio.bad if slo.sli.ratio else None, ("slos", i, "sli", "ratio", "bad")
        ):
            check_promql(query, doc, path, diagnostics)
        for role in ("good", "total"):
            counter = getattr(slo.sli.ratio, role) if slo.sli.ratio else None
            for path, query in _slo_queries(counter, ("slos", i, "sli", "ratio", role)):
                check_promql(query, doc, path, diagnostics)
        if slo.sli.gauge and isinstance(slo.sli.gauge.prometheus, str):
            check_promql(slo.sli.gauge.prometheus, doc, ("slos", i, "sli", "gauge", "prometheus"), diagnostics)
        for tier in ("page", "ticket"):
            overrides = getattr(slo.alerting, tier)
            for j, override in enumerate(overrides if isinstance(overrides, list) else [overrides]):
                if override is not None and override.severity is not None:
                    where: Path = ("slos", i, "alerting", tier, *((j,) if isinstance(overrides, list) else ()))
                    _check_severity(override.severity, doc, (*where, "severity"), severities, diagnostics)
    _check_routes(spec.routes, doc, known, severities, diagnostics)


def _slo_queries(counter: CounterSource | None, path: Path) -> Iterator[tuple[Path, str]]:
    if counter is not None and isinstance(counter.prometheus, str):
        yield (*path, "prometheus"), counter.prometheus


def _check_routes(
    routes: list[RouteSpec], doc: Document, known: set[str], severities: list[str], diagnostics: Diagnostics
) -> None:
    for i, route in enumerate(routes):
        for j, name in enumerate(route.to):
            if name not in known:
                _unknown_receiver(name, doc, ("routes", i, "to", j), known, diagnostics)
        wanted = route.match.get("severity")
        values = wanted if isinstance(wanted, list) else [wanted] if wanted is not None else []
        for j, value in enumerate(values):
            path: Path = ("routes", i, "match", "severity", *((j,) if isinstance(wanted, list) else ()))
            _check_severity(value, doc, path, severities, diagnostics)


def _unknown_receiver(name: str, doc: Document, path: Path, known: set[str], diagnostics: Diagnostics) -> None:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    hint = f"did you mean {close[0]!r}?" if close else "define it under `receivers:` here or in the team's file"
    diagnostics.error("MON205", f"route names unknown receiver {name!r}", doc.span(path), hint)


def _check_severity(value: str, doc: Document, path: Path, severities: list[str], diagnostics: Diagnostics) -> None:
    if value not in severities:
        close = difflib.get_close_matches(value, severities, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"severities are: {', '.join(severities)}"
        diagnostics.error("MON204", f"unknown severity {value!r}", doc.span(path), hint)


def _unique(items: list[tuple[str, Document, Path]], code: str, what: str, diagnostics: Diagnostics) -> None:
    first: dict[str, Document] = {}
    for name, doc, path in items:
        if name in first:
            diagnostics.error(
                code,
                f"duplicate {what} name {name!r}",
                doc.span(path),
                f"first defined in {first[name].file}" if first[name].file != doc.file else "names must be unique",
            )
        else:
            first[name] = doc
