"""Quiet-hours test data for the CloudWatch backend: intervals, routes that mute or are active during them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from monaco.ir.nodes import Model, Route, Service
from monaco.ir.time_intervals import TimeInterval
from monaco.spec.time_intervals import TimeIntervalSpec
from tests.aws import builders as b

WEEKDAY_HOURS = {"weekdays": ["monday:friday"], "times": [{"start_time": "09:00", "end_time": "17:00"}]}
BUSINESS_HOURS = {**WEEKDAY_HOURS, "location": "Europe/Berlin"}
NIGHTS = {"times": [{"start_time": "22:00", "end_time": "24:00"}, {"start_time": "00:00", "end_time": "06:00"}]}


def interval(name: str, *periods: dict[str, Any], line: int = 2) -> TimeInterval:
    """A named time interval of `periods`, as the Settings document writes them."""
    return TimeInterval(TimeIntervalSpec.model_validate({"name": name, "intervals": list(periods)}), b.span(line))


def quiet_routes(pager: dict[str, tuple[str, ...]], mail: dict[str, tuple[str, ...]]) -> tuple[Route, ...]:
    """The default routes (critical -> pager, the rest -> mail), each with the given interval fields."""

    def quiet(route: Route, fields: dict[str, tuple[str, ...]]) -> Route:
        return replace(route, mute_during=fields.get("mute_during", ()), active_during=fields.get("active_during", ()))

    pager_route, mail_route = b.DEFAULT_ROUTES
    return quiet(pager_route, pager), quiet(mail_route, mail)


def quiet_service(routes: tuple[Route, ...], alerts: int = 0) -> Service:
    """checkout: HighCPU (high, to mail), Down (critical, to pager), an SLO, and `alerts` extra high alerts."""
    extra = tuple(b.alert(f"Extra{i:03d}", line=100 + i) for i in range(alerts))
    return b.service(
        alerts=(b.alert("HighCPU"), b.alert("Down", severity="critical", line=50), *extra),
        slos=(b.ratio_slo(),),
        service_routes=routes,
    )


def quiet_model(service: Service, *intervals: TimeInterval) -> Model:
    """A workspace of `service` with `intervals` in its Settings."""
    return replace(b.model(service), time_intervals=intervals)
