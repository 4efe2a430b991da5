"""The routing question every backend answers: which delivery objects receive one alert (pure).

A query is one generated alert of a service (a threshold alert, a burn-rate tier, a no-data alert) or a
free label set; its answer on a target is the delivery objects that receive it, each with the spec
receivers it stands for, or None when the target does not carry the alert at all. The IR answer
(`ir_delivery`) is what backends without their own router give; `walk_route_tree` is Alertmanager's
route matching (dispatch/route.go `Route.Match`) for backends whose compiled config is a route tree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from monaco.diagnostics import Span
from monaco.ir.labels import (
    BURN_ALERT,
    NO_DATA_ALERT,
    burn_alert_labels,
    routing_labels,
    slo_alert_labels,
    threshold_alert_labels,
)
from monaco.ir.nodes import Service
from monaco.ir.routing import receivers_for

THRESHOLD, BURN, NO_DATA, LABELS = "alert", "burn", "no_data", "labels"
"""The kinds of query: a threshold alert, a burn-rate tier, an SLO's no-data alert, a free label set."""


@dataclass(frozen=True, slots=True)
class RouteQuery:
    """One alert to route: what it is called, what it is, the labels routing sees, and where it was written."""

    alert: str
    kind: str
    labels: tuple[tuple[str, str], ...]
    service: str | None
    severity: str
    origin: Span | None = None

    def label_map(self) -> dict[str, str]:
        """The labels routing sees, as a dict."""
        return dict(self.labels)


@dataclass(frozen=True, slots=True)
class Delivered:
    """One delivery object (receiver, topic, channel, action group) and the spec receivers it stands for."""

    name: str
    receivers: tuple[str, ...]


Delivery = tuple[Delivered, ...] | None
"""A target's answer to one query: what receives it (empty: no one), or None when the target does not carry it."""


def _query(service: Service, alert: str, kind: str, labels: dict[str, str], severity: str, origin: Span) -> RouteQuery:
    """A query of one of the service's generated alerts."""
    return RouteQuery(alert, kind, tuple(sorted(labels.items())), service.name, severity, origin)


def service_queries(service: Service) -> list[RouteQuery]:
    """Every alert the service generates, as queries: threshold alerts, each SLO's burn tiers and no-data alert."""
    queries = [
        _query(
            service,
            alert.name,
            THRESHOLD,
            routing_labels(threshold_alert_labels(service, alert), alert.name),
            alert.severity,
            alert.origin,
        )
        for alert in service.alerts
    ]
    for slo in service.slos:
        for tier in slo.tiers:
            labels = routing_labels(burn_alert_labels(service, slo, tier), BURN_ALERT)
            name = f"{BURN_ALERT} {slo.name}/{tier.name}"
            queries.append(_query(service, name, BURN, labels, tier.severity, tier.origin))
        if slo.no_data_seconds is not None and slo.tiers:
            severity = slo.tiers[-1].severity
            labels = routing_labels(slo_alert_labels(service, slo, severity), NO_DATA_ALERT)
            queries.append(_query(service, f"{NO_DATA_ALERT} {slo.name}", NO_DATA, labels, severity, slo.origin))
    return queries


def service_context(service: Service) -> dict[str, str]:
    """The labels every alert of the service carries: its labels, then its service and team identity labels."""
    return {**dict(service.labels), service.identity.service: service.name, service.identity.team: service.team}


def label_queries(
    services: Sequence[Service], labels: Mapping[str, str], origin: Span | None = None
) -> list[RouteQuery]:
    """A free label set as queries: one per service whose own labels agree with it (each with that service's
    labels added), or the label set alone when no service agrees."""
    queries = []
    for service in services:
        context = service_context(service)
        if all(context.get(name, value) == value for name, value in labels.items()):
            merged = {**context, **labels}
            severity = merged.get(service.identity.severity, "")
            queries.append(
                RouteQuery(_label_text(labels), LABELS, tuple(sorted(merged.items())), service.name, severity, origin)
            )
    if queries:
        return queries
    severity = labels.get("severity", "")
    return [RouteQuery(_label_text(labels), LABELS, tuple(sorted(labels.items())), None, severity, origin)]


def _label_text(labels: Mapping[str, str]) -> str:
    """`{a=b, c=d}`: how a free label set is named in a table."""
    return "{" + ", ".join(f"{k}={v}" for k, v in sorted(labels.items())) + "}"


def by_name(services: Iterable[Service]) -> dict[str, Service]:
    """Services by name, for `ir_delivery`."""
    return {service.name: service for service in services}


def ir_delivery(selected: Mapping[str, Service], query: RouteQuery) -> tuple[str, ...] | None:
    """The spec receivers the IR's routes give a query, or None when the query's service is not in `selected`."""
    service = selected.get(query.service or "")
    if service is None:
        return None
    return receivers_for(service, query.label_map())


def as_receivers(names: Iterable[str]) -> tuple[Delivered, ...]:
    """Delivery objects that are spec receivers themselves (each stands for itself), first-reached order."""
    return tuple(Delivered(name, (name,)) for name in dict.fromkeys(names))


@dataclass(frozen=True, slots=True)
class Matcher:
    """One Alertmanager label matcher: `=`, `!=`, `=~` or `!~` against a value (a regex is anchored)."""

    label: str
    op: str
    value: str

    def matches(self, labels: Mapping[str, str]) -> bool:
        """True when `labels` satisfy the matcher; a missing label is the empty string, as in Alertmanager."""
        seen = labels.get(self.label, "")
        if self.op in ("=", "!="):
            return (seen == self.value) == (self.op == "=")
        found = re.fullmatch(f"(?:{self.value})", seen, re.DOTALL) is not None
        return found == (self.op == "=~")


MatchersOf = Callable[[Mapping[str, Any]], list[Matcher]]
"""Reads one route node's matchers (each config format writes them its own way)."""


@dataclass(frozen=True, slots=True)
class CompiledRoute:
    """A route node read once: its matchers parsed, its receiver inherited, its children indexed by the label most
    of them match with `=` (monaco's service subtrees by `service`), so a walk tries only children that can match."""

    matchers: tuple[Matcher, ...]
    receiver: str
    continue_: bool
    children: tuple[CompiledRoute, ...]
    index_label: str | None
    by_value: Mapping[str, tuple[int, ...]]
    unindexed: tuple[int, ...]

    def candidates(self, labels: Mapping[str, str]) -> list[int]:
        """The children that may match `labels`, in tree order (the others need another value of the index label)."""
        if self.index_label is None:
            return list(range(len(self.children)))
        return sorted((*self.by_value.get(labels.get(self.index_label, ""), ()), *self.unindexed))

    def match(self, labels: Mapping[str, str]) -> list[str] | None:
        """The receivers of the routes an alert ends on, as Alertmanager's `Route.Match` finds them (see
        `walk_route_tree`); None when this node does not match."""
        if not all(m.matches(labels) for m in self.matchers):
            return None
        found: list[str] = []
        for index in self.candidates(labels):
            child = self.children[index]
            matched = child.match(labels)
            if matched is None:
                continue
            found.extend(matched)
            if not child.continue_:
                break
        return found or [self.receiver]


def compile_route_tree(node: Mapping[str, Any], matchers_of: MatchersOf, inherited: str = "") -> CompiledRoute:
    """Read a route tree once for many walks; a child without a receiver inherits its parent's."""
    receiver = str(node.get("receiver") or inherited)
    children = tuple(compile_route_tree(child, matchers_of, receiver) for child in node.get("routes") or [])
    equalities = [{m.label: m.value for m in child.matchers if m.op == "="} for child in children]
    counts: dict[str, int] = {}
    for found in equalities:
        for name in found:
            counts[name] = counts.get(name, 0) + 1
    label = max(sorted(counts), key=lambda name: counts[name]) if counts else None
    by_value: dict[str, list[int]] = {}
    for index, found in enumerate(equalities):
        if label is not None and label in found:
            by_value.setdefault(found[label], []).append(index)
    unindexed = tuple(i for i, found in enumerate(equalities) if label is None or label not in found)
    return CompiledRoute(
        tuple(matchers_of(node)),
        receiver,
        bool(node.get("continue", False)),
        children,
        label,
        {value: tuple(indices) for value, indices in by_value.items()},
        unindexed,
    )


def walk_route_tree(node: Mapping[str, Any], labels: Mapping[str, str], matchers_of: MatchersOf) -> list[str] | None:
    """The receivers of the routes an alert ends on, in tree order, as Alertmanager's `Route.Match` finds them:
    a node that matches tries its children in order, stopping after the first match that does not `continue`;
    when no child matches, the node itself is the match. A child without a receiver inherits its parent's.
    None when `node` itself does not match."""
    return compile_route_tree(node, matchers_of).match(labels)
