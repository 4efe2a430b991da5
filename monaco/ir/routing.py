"""Which receivers an alert reaches through a service's routes, evaluated the way Alertmanager does."""

from __future__ import annotations

from dataclasses import dataclass

from monaco.ir.labels import (
    BURN_ALERT,
    NO_DATA_ALERT,
    burn_alert_labels,
    routing_labels,
    slo_alert_labels,
    threshold_alert_labels,
)
from monaco.ir.nodes import BurnTier, Route, Service, Slo, ThresholdAlert
from monaco.spec.types import format_duration


def route_matches(route: Route, labels: dict[str, str]) -> bool:
    """True when every matcher of `route` accepts `labels`."""
    return all(labels.get(m.label) in m.values for m in route.matchers)


def receivers_for(service: Service, labels: dict[str, str]) -> tuple[str, ...]:
    """The receivers an alert with `labels` reaches through the service's routes, Alertmanager-style."""
    chosen: list[str] = []
    for route in service.routes:
        if route_matches(route, labels):
            chosen.extend(r for r in route.receivers if r not in chosen)
            if not route.continue_:
                return tuple(chosen)
    if not chosen and service.team_default_receiver:
        return (service.team_default_receiver,)
    return tuple(chosen)


def alert_receivers(service: Service, alert: ThresholdAlert) -> tuple[str, ...]:
    """The receivers a threshold alert reaches, seeing exactly the labels the alert carries."""
    return receivers_for(service, routing_labels(threshold_alert_labels(service, alert), alert.name))


def tier_receivers(service: Service, slo: Slo, tier: BurnTier) -> tuple[str, ...]:
    """The receivers one burn-rate tier's alert reaches."""
    return receivers_for(service, routing_labels(burn_alert_labels(service, slo, tier), BURN_ALERT))


def no_data_receivers(service: Service, slo: Slo) -> tuple[str, ...]:
    """The receivers an SLO's no-data alert reaches (it carries the least urgent tier's severity)."""
    severity = slo.tiers[-1].severity if slo.tiers else ""
    return receivers_for(service, routing_labels(slo_alert_labels(service, slo, severity), NO_DATA_ALERT))


def service_receivers(service: Service) -> tuple[str, ...]:
    """Every receiver any of the service's generated alerts reaches, in first-reached order."""
    reached: list[str] = []
    for alert in service.alerts:
        reached.extend(alert_receivers(service, alert))
    for slo in service.slos:
        for tier in slo.tiers:
            reached.extend(tier_receivers(service, slo, tier))
        if slo.no_data_seconds is not None and slo.tiers:
            reached.extend(no_data_receivers(service, slo))
    return tuple(dict.fromkeys(reached))


@dataclass(frozen=True, slots=True)
class RouteBranch:
    """One receiver of a route, as a tree whose nodes name one receiver each needs it."""

    route: Route
    receiver: str
    continue_: bool


def route_branches(service: Service) -> list[RouteBranch]:
    """The service's routes (its own, then its team's) split per receiver; all but a route's last continue."""
    return [
        RouteBranch(route, receiver, route.continue_ if i == len(route.receivers) - 1 else True)
        for route in service.routes
        for i, receiver in enumerate(route.receivers)
    ]


def route_timings(route: Route) -> list[tuple[str, str]]:
    """(`group_wait` | `group_interval` | `repeat_interval`, duration) for each one the route sets."""
    timings = (
        ("group_wait", route.group_wait_seconds),
        ("group_interval", route.group_interval_seconds),
        ("repeat_interval", route.repeat_interval_seconds),
    )
    return [(name, format_duration(seconds)) for name, seconds in timings if seconds is not None]
