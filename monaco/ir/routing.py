"""Which receivers an alert reaches through a service's routes, evaluated the way Alertmanager does."""

from __future__ import annotations

from monaco.ir.nodes import Route, Service


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
