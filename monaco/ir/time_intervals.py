"""Named time intervals in the IR, and which of them a set of services' routes use (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from monaco.diagnostics import Diagnostic, Level, Span
from monaco.spec.load import Workspace
from monaco.spec.time_intervals import TimeIntervalSpec

if TYPE_CHECKING:
    from monaco.ir.nodes import Route, Service


@dataclass(frozen=True, slots=True)
class TimeInterval:
    """A named time interval from Settings, with where it was written."""

    spec: TimeIntervalSpec
    origin: Span

    @property
    def name(self) -> str:
        """The interval's workspace-unique name."""
        return self.spec.name


def lower_time_intervals(workspace: Workspace) -> tuple[TimeInterval, ...]:
    """The Settings document's time intervals, first definition of each name, in written order."""
    if not workspace.settings:
        return ()
    settings = workspace.settings[0]
    seen: dict[str, TimeInterval] = {}
    for i, spec in enumerate(settings.spec.time_intervals):
        seen.setdefault(spec.name, TimeInterval(spec, settings.doc.span(("time_intervals", i))))
    return tuple(seen.values())


def used_interval_names(routes: Iterable[Route]) -> list[str]:
    """The interval names the routes mute or are active during, first use first, once each."""
    names: dict[str, None] = {}
    for route in routes:
        names.update(dict.fromkeys(route.mute_during))
        names.update(dict.fromkeys(route.active_during))
    return list(names)


def intervals_used_by(intervals: tuple[TimeInterval, ...], services: Iterable[Service]) -> list[TimeInterval]:
    """The intervals some route of `services` uses, sorted by name (each backend renders only those)."""
    used = set(used_interval_names(r for s in services for r in s.routes))
    return sorted((i for i in intervals if i.name in used), key=lambda i: i.name)


def route_interval_fields(route: Route) -> list[tuple[str, list[str]]]:
    """(`mute_time_intervals` | `active_time_intervals`, names) for each the route sets (Alertmanager's and
    Grafana's policy field names)."""
    fields = (("mute_time_intervals", route.mute_during), ("active_time_intervals", route.active_during))
    return [(name, list(names)) for name, names in fields if names]


QUIET_HOURS_NOT_RENDERED = "MON267"
"""The code for a route's time intervals on a backend that has no equivalent for them."""


def quiet_hours_not_rendered(service: Service, target: str, backend: str, level: Level) -> list[Diagnostic]:
    """MON267 for each route of `service` that mutes or is active during intervals, on a backend without them."""
    found: list[Diagnostic] = []
    for route in service.routes:
        fields = route_interval_fields(route)
        if not fields:
            continue
        written = "; ".join(
            f"{'mute_during' if f.startswith('mute') else 'active_during'}: {', '.join(n)}" for f, n in fields
        )
        found.append(
            Diagnostic(
                QUIET_HOURS_NOT_RENDERED,
                f"target {target}: a route of {service.name} ({written}) has quiet hours {backend} cannot express; "
                "its notifications are sent at every hour on this target",
                route.origin,
                "mute it on an Alertmanager-style target, or set this code's level in the target's `levels`",
                level,
            )
        )
    return found
