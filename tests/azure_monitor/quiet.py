"""Quiet-hours fixtures for the Azure tests: named intervals and a service whose routes mute or are active."""

from __future__ import annotations

import dataclasses
from typing import Any

from monaco.ir.nodes import Model, Route, Service
from monaco.ir.time_intervals import TimeInterval
from monaco.spec.time_intervals import TimeIntervalSpec
from tests.azure_monitor import builders as b

INTERVAL_LINE = 200
BUSINESS_HOURS = [
    {
        "weekdays": ["monday:friday"],
        "times": [{"start_time": "09:00", "end_time": "17:00"}],
        "location": "Europe/Berlin",
    }
]
MAINTENANCE = [
    {"weekdays": ["saturday"], "times": [{"start_time": "22:00", "end_time": "24:00"}], "location": "Europe/Berlin"},
    {"weekdays": ["sunday"], "times": [{"start_time": "00:00", "end_time": "04:00"}], "location": "Europe/Berlin"},
]


def interval(name: str, periods: list[dict[str, Any]], line: int = INTERVAL_LINE) -> TimeInterval:
    """A Settings time interval written at `line`."""
    spec = TimeIntervalSpec.model_validate({"name": name, "intervals": periods})
    return TimeInterval(spec, b.span(line))


def quiet_routes(
    mute: tuple[str, ...] = ("maintenance",), active: tuple[str, ...] = ("business",)
) -> tuple[Route, ...]:
    """Critical alerts to the pager, muted during `mute`; everything else to mail, only during `active`."""
    pager, mail = b.routes(({"severity": ("critical",)}, ("payments-pager",)), ({}, ("payments-mail",)))
    return dataclasses.replace(pager, mute_during=mute), dataclasses.replace(mail, active_during=active)


def quiet_service(routes: tuple[Route, ...] | None = None) -> Service:
    """checkout: a critical metric alert (to the pager) and a low log alert (to mail), routed by `routes`."""
    alerts = (b.alert("Http5xx", severity="critical"), b.alert("LogErrors", severity="low", source=b.log_source()))
    return dataclasses.replace(b.service(alerts=alerts), routes=routes if routes is not None else quiet_routes())


def quiet_model(service: Service, *intervals: TimeInterval) -> Model:
    """The payments model of `service` with Settings intervals (business hours and maintenance by default)."""
    chosen = intervals or (interval("business", BUSINESS_HOURS), interval("maintenance", MAINTENANCE, 210))
    return dataclasses.replace(b.model(service), time_intervals=tuple(chosen))
