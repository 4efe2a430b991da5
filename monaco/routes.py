"""Who receives which alert on every target: the answers behind `monaco routes` and the route tests of `monaco test`.

Each target's backend answers for itself (`Backend.route_deliveries`, given what it renders): Alertmanager
walks its compiled route tree, the cloud backends name their topics, channels and action groups, the rest
answer from the IR. Codes: MON265 (a route test's receivers differ from what a target delivers, or the
target does not carry the alert), MON266 (a route test names an unknown alert, target or receiver).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from monaco import engine
from monaco.diagnostics import Diagnostic, Diagnostics, Span
from monaco.ir.nodes import Model, Service
from monaco.ir.route_query import LABELS, Delivery, RouteQuery, label_queries, service_context, service_queries
from monaco.spec.load import Located
from monaco.spec.models import ServiceSpec
from monaco.spec.route_tests import RouteTestSpec

ROUTE_TEST_FAILED, ROUTE_TEST_UNKNOWN = "MON265", "MON266"


@dataclass(frozen=True, slots=True)
class RouteRow:
    """One alert and every target's answer for it (target name -> delivery)."""

    query: RouteQuery
    deliveries: Mapping[str, Delivery]

    @property
    def unreached_on(self) -> list[str]:
        """The targets that carry this alert and deliver it to no one."""
        return [name for name, delivery in self.deliveries.items() if delivery == ()]


def answers(session: engine.Session, queries: Sequence[RouteQuery]) -> dict[str, list[Delivery]]:
    """Every target's answer to each query (target name -> one delivery per query), from what it renders."""
    assert session.model is not None
    found: dict[str, list[Delivery]] = {}
    for target in session.targets:
        backend, result = engine.render(session, target, need_secrets=False)
        found[target.name] = backend.route_deliveries(session.model, target, result.resources, queries)
    return found


def route_rows(session: engine.Session, queries: Sequence[RouteQuery]) -> list[RouteRow]:
    """One row per query; alerts that reach no one on some target first, then by service and alert."""
    by_target = answers(session, queries)
    rows = [RouteRow(query, {name: found[i] for name, found in by_target.items()}) for i, query in enumerate(queries)]
    return sorted(rows, key=lambda row: (not row.unreached_on, row.query.service or "", row.query.alert))


def alert_matches(reference: str, query: RouteQuery) -> bool:
    """True when an alert reference names the query: its full name, or a prefix ending at a space or a slash
    (`SLOErrorBudgetBurn` is every burn tier, `SLOErrorBudgetBurn availability` both tiers of one SLO)."""
    if query.kind == LABELS:
        return False
    return query.alert == reference or query.alert.startswith((reference + " ", reference + "/"))


def select_queries(
    model: Model, services: Sequence[str], alert: str | None, labels: Mapping[str, str]
) -> tuple[list[RouteQuery], str | None]:
    """The queries a `monaco routes` command asks, or why its input is wrong."""
    chosen = list(model.services)
    if services:
        known = {s.name for s in model.services}
        for name in services:
            if name not in known:
                return [], f"no service named {name!r}{_did_you_mean(name, known)}"
        chosen = [s for s in model.services if s.name in services]
    if labels:
        return label_queries(chosen, labels), None
    queries = [query for service in chosen for query in service_queries(service)]
    if alert is not None:
        queries = [query for query in queries if alert_matches(alert, query)]
        if not queries:
            names = {q.alert.split(" ")[0] for s in chosen for q in service_queries(s)}
            return [], f"no alert named {alert!r}{_did_you_mean(alert, names)}"
    return queries, None


def _did_you_mean(name: str, known: set[str]) -> str:
    """`; did you mean 'x'?` when one known name is close, else nothing."""
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


@dataclass(slots=True)
class RouteTestReport:
    """What running the route tests found: one line per test, and the failures as diagnostics."""

    lines: list[str] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    ran: int = 0
    failed: int = 0


@dataclass(frozen=True, slots=True)
class _Case:
    """One route test, located: its service, the spec path of the test, and the queries it names."""

    located: Located[ServiceSpec]
    service: Service
    index: int
    test: RouteTestSpec
    queries: list[RouteQuery]

    def span(self, *path: str | int, key: bool = False) -> Span:
        """Where a part of this test was written."""
        return self.located.doc.span(("route_tests", self.index, *path), key=key)


def run_route_tests(session: engine.Session) -> RouteTestReport:
    """Run every service's `route_tests:` against every target's answer; failures are reported at the test's line."""
    assert session.model is not None
    report = RouteTestReport()
    services = {s.name: s for s in session.model.services}
    cases = [
        _case(located, services[located.spec.metadata.name], i, test, report.diagnostics)
        for located in sorted(session.workspace.services, key=lambda s: s.spec.metadata.name)
        for i, test in enumerate(located.spec.route_tests)
    ]
    if not cases:
        return report
    everything = [q for s in session.model.services for q in service_queries(s)]
    queries = everything + [q for case in cases for q in case.queries]
    by_target = answers(session, queries)
    known = _known_names(session.model, by_target)
    offsets, start = [], len(everything)
    for case in cases:
        offsets.append(start)
        start += len(case.queries)
    for case, offset in zip(cases, offsets, strict=True):
        found = {name: delivered[offset : offset + len(case.queries)] for name, delivered in by_target.items()}
        problems = _check_case(session, case, found, known)
        report.ran += 1
        report.failed += bool(problems) or _has_unknown_alert(case, report.diagnostics)
        report.lines.append(f"  {'FAIL' if problems else 'ok  '} {case.service.name}: {case.test.name}")
        report.diagnostics.extend(problems)
    return report


def _has_unknown_alert(case: _Case, diagnostics: Diagnostics) -> bool:
    """True when this test named an alert its service does not generate (already reported as MON266)."""
    where = {case.span("alerts", j) for j in range(len(case.test.alerts))}
    return any(d.code == ROUTE_TEST_UNKNOWN and d.span in where for d in diagnostics)


def _case(located: Located[ServiceSpec], service: Service, index: int, test: RouteTestSpec, out: Diagnostics) -> _Case:
    """A test's queries: the service's alerts it names (an unknown name is MON266), then its label sets."""
    case = _Case(located, service, index, test, [])
    generated = service_queries(service)
    for j, reference in enumerate(test.alerts):
        matched = [query for query in generated if alert_matches(reference, query)]
        if not matched:
            names = {q.alert.split(" ")[0] for q in generated}
            hint = _did_you_mean(reference, names).removeprefix("; ") or None
            out.error(
                ROUTE_TEST_UNKNOWN, f"service {service.name} has no alert {reference!r}", case.span("alerts", j), hint
            )
        case.queries.extend(matched)
    for j, labels in enumerate(test.labels):
        merged = {**service_context(service), **labels}
        severity = merged.get(service.identity.severity, "")
        text = "{" + ", ".join(f"{k}={v}" for k, v in sorted(labels.items())) + "}"
        case.queries.append(
            RouteQuery(text, LABELS, tuple(sorted(merged.items())), service.name, severity, case.span("labels", j))
        )
    return case


def _known_names(model: Model, by_target: Mapping[str, list[Delivery]]) -> dict[str, set[str]]:
    """Per target, every name a test may expect: the specs' receivers and whatever the target delivers to."""
    receivers = {r.name for r in model.receivers}
    return {
        name: receivers | {part for d in found if d for item in d for part in (item.name, *item.receivers)}
        for name, found in by_target.items()
    }


def _check_case(
    session: engine.Session, case: _Case, found: Mapping[str, list[Delivery]], known: Mapping[str, set[str]]
) -> list[Diagnostic]:
    """The problems of one test: unknown targets or receivers (MON266), and every answer that differs (MON265)."""
    problems: list[Diagnostic] = []
    for key, expected in case.test.expect.items():
        where = case.span("expect", key, key=True)
        targets = [t for t in session.targets if t.name == key] or [t for t in session.targets if t.backend == key]
        if not targets:
            names = {t.name for t in session.targets} | {t.backend for t in session.targets}
            hint = _did_you_mean(key, names).removeprefix("; ") or None
            problems.append(Diagnostic(ROUTE_TEST_UNKNOWN, f"no target or target kind {key!r}", where, hint))
            continue
        unknown = sorted({name for name in expected if not any(name in known[t.name] for t in targets)})
        if unknown:
            message = (
                f"{key}: {', '.join(map(repr, unknown))} is no receiver of the specs and nothing there receives it"
            )
            problems.append(Diagnostic(ROUTE_TEST_UNKNOWN, message, where))
            continue
        for index, query in enumerate(case.queries):
            answered = [(t.name, found[t.name][index]) for t in targets]
            problems.extend(_compare(f"route test {case.test.name!r}: {query.alert}", answered, expected, where))
    return problems


def _compare(test: str, answered: list[tuple[str, Delivery]], expected: list[str], where: Span) -> list[Diagnostic]:
    """MON265 for each target whose answer is not `expected`; the targets that do not carry the alert are skipped,
    unless none does."""
    carried = [(name, delivery) for name, delivery in answered if delivery is not None]
    if not carried:
        names = ", ".join(name for name, _ in answered)
        return [Diagnostic(ROUTE_TEST_FAILED, f"{test}: target {names} does not carry this alert", where)]
    problems = []
    for name, delivery in carried:
        objects = {item.name: item.receivers for item in delivery}
        actual = {receiver for item in delivery for receiver in item.receivers}
        wanted = {receiver for entry in expected for receiver in objects.get(entry, (entry,))}
        if wanted != actual:
            message = (
                f"{test} on target {name}: expected {sorted(wanted) or 'no one'}, got {sorted(actual) or 'no one'}"
            )
            problems.append(Diagnostic(ROUTE_TEST_FAILED, message, where))
    return problems
