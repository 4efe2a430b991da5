"""Quiet hours on Azure: alert processing rules rendered from routes' intervals, reported where Azure cannot."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from monaco.backends.azure_monitor.backend import AzureMonitorBackend
from monaco.backends.base import RenderResult
from monaco.diagnostics import Level
from monaco.ir.nodes import Model, Service
from tests.azure_monitor import builders as b
from tests.azure_monitor.quiet import BUSINESS_HOURS, interval, quiet_model, quiet_routes, quiet_service

GOLDEN = Path(__file__).parent / "golden_quiet_hours"
"""Beside `golden/` (which test_render rewrites whole): the processing rules of `quiet_service()`."""
RULE_IDS = f"/subscriptions/{b.SUBSCRIPTION}/resourcegroups/{b.GROUP}/providers"
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def render(model: Model, service: Service, **config: Any) -> RenderResult:
    """Render `service` of `model` on a target with `config` overrides."""
    return AzureMonitorBackend().render(model, b.target(b.config(**config), service), b.fingerprint)


def rules(result: RenderResult) -> dict[str, dict[str, Any]]:
    """The processing rules rendered, by name."""
    return {r.name: r.body for r in result.resources if r.kind == "processing_rule"}


def codes(result: RenderResult) -> list[tuple[str, str]]:
    """(code, span) of every diagnostic."""
    return [(d.code, str(d.span)) for d in result.diagnostics]


def test_processing_rules_match_the_golden_file(update_golden: bool) -> None:
    """Both routes' rules, as compile writes them, against the reviewed golden file."""
    service = quiet_service()
    result = render(quiet_model(service), service)
    files = AzureMonitorBackend().compile_files(b.target(b.config()), result.resources)
    chosen = {Path(k).name: v for k, v in files.items() if k.startswith("processing_rule/")}
    if update_golden:
        GOLDEN.mkdir(exist_ok=True)
        for old in GOLDEN.glob("*.json"):
            old.unlink()
        for name, text in chosen.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in GOLDEN.glob("*.json")}
    assert chosen == expected, "rerun with --update-golden and review the diff"


def test_mute_during_selects_the_routes_rules_and_removes_their_action_groups() -> None:
    """The pager route's rule: its metric alert by id, the maintenance periods as Weekly items, Berlin's zone."""
    service = quiet_service()
    body = rules(render(quiet_model(service), service))["monaco-quiet-checkout-route0"]
    assert body["location"] == "global" and body["tags"]["monaco-key"] == "checkout/quiet-hours/route0"
    assert body["properties"] == {
        "actions": [{"actionType": "RemoveAllActionGroups"}],
        "conditions": [
            {
                "field": "AlertRuleId",
                "operator": "Equals",
                "values": [f"{RULE_IDS}/microsoft.insights/metricalerts/monaco-checkout-http5xx"],
            }
        ],
        "description": "[monaco] quiet hours of service checkout, route 0 (mute_during: maintenance)",
        "enabled": True,
        "schedule": {
            "timeZone": "W. Europe Standard Time",
            "recurrences": [
                {"recurrenceType": "Weekly", "daysOfWeek": ["Sunday"], "startTime": "00:00:00", "endTime": "04:00:00"},
                {
                    "recurrenceType": "Weekly",
                    "daysOfWeek": ["Saturday"],
                    "startTime": "22:00:00",
                    "endTime": "00:00:00",
                },
            ],
        },
        "scopes": [f"/subscriptions/{b.SUBSCRIPTION}"],
    }


def test_active_during_business_hours_mutes_the_complement() -> None:
    """Mon-Fri 09:00-17:00 active: muted Mon-Fri before 09:00 and from 17:00, and all of Saturday and Sunday."""
    service = quiet_service()
    body = rules(render(quiet_model(service), service))["monaco-quiet-checkout-route1"]
    assert body["properties"]["conditions"][0]["values"] == [
        f"{RULE_IDS}/microsoft.insights/scheduledqueryrules/monaco-checkout-logerrors"
    ]
    assert body["properties"]["schedule"]["recurrences"] == [
        {"recurrenceType": "Weekly", "daysOfWeek": ["Sunday", "Saturday"]},
        {"recurrenceType": "Weekly", "daysOfWeek": WEEKDAYS, "startTime": "00:00:00", "endTime": "09:00:00"},
        {"recurrenceType": "Weekly", "daysOfWeek": WEEKDAYS, "startTime": "17:00:00", "endTime": "00:00:00"},
    ]


def test_times_only_is_daily_and_days_of_the_month_are_monthly() -> None:
    """A nightly window is one Daily item; the 1st to the 3rd at 02:00-03:00 is Monthly; UTC by default."""
    nightly = interval("maintenance", [{"times": [{"start_time": "01:00", "end_time": "02:00"}]}])
    monthly = interval(
        "business", [{"days_of_month": ["1:3"], "times": [{"start_time": "02:00", "end_time": "03:00"}]}]
    )
    service = quiet_service(quiet_routes(mute=("maintenance", "business"), active=()))
    schedule = rules(render(quiet_model(service, nightly, monthly), service))["monaco-quiet-checkout-route0"]
    assert schedule["properties"]["schedule"] == {
        "timeZone": "UTC",
        "recurrences": [
            {"recurrenceType": "Daily", "startTime": "01:00:00", "endTime": "02:00:00"},
            {"recurrenceType": "Monthly", "daysOfMonth": [1, 2, 3], "startTime": "02:00:00", "endTime": "03:00:00"},
        ],
    }


@pytest.mark.parametrize(
    "period",
    [
        {"months": ["december"]},
        {"years": ["2026"]},
        {"days_of_month": ["-7:-1"]},
        {"days_of_month": ["1:-1"]},
        {"weekdays": ["monday"], "days_of_month": ["1:7"]},
    ],
)
def test_a_period_azure_cannot_say_is_reported_at_the_interval_and_nothing_is_half_rendered(
    period: dict[str, Any],
) -> None:
    """MON912 at the interval's line; the route that mutes during it gets no processing rule at all."""
    fine = {"weekdays": ["saturday"]}
    service = quiet_service(quiet_routes(active=()))
    result = render(quiet_model(service, interval("maintenance", [fine, period], line=230)), service)
    assert codes(result) == [("MON912", str(b.span(230)))]
    assert rules(result) == {}
    assert result.diagnostics[0].level is Level.WARNING


def test_the_target_sets_the_level_of_what_azure_cannot_say() -> None:
    """`levels: {MON912: error}`."""
    service = quiet_service(quiet_routes(active=()))
    result = render(
        quiet_model(service, interval("maintenance", [{"months": ["may"]}])), service, levels={"MON912": "error"}
    )
    assert [d.level for d in result.diagnostics] == [Level.ERROR]


def test_active_during_whose_complement_is_not_weekly_is_mon267_at_the_route() -> None:
    """Active only on the 1st of the month: the complement has no recurrence, the shared MON267 says so."""
    service = quiet_service(quiet_routes(mute=()))
    result = render(quiet_model(service, interval("business", [{"days_of_month": ["1"]}])), service)
    assert codes(result) == [("MON267", str(service.routes[1].origin))]
    assert rules(result) == {}


def test_a_location_without_a_windows_name_is_mon913() -> None:
    """America/Caracas is not in the table: reported at the interval, not guessed."""
    caracas = [{**BUSINESS_HOURS[0], "location": "America/Caracas"}]
    service = quiet_service(quiet_routes(mute=()))
    result = render(quiet_model(service, interval("business", caracas, line=240)), service)
    assert codes(result) == [("MON913", str(b.span(240)))]
    assert rules(result) == {}


def test_intervals_in_two_locations_on_one_route_are_mon914() -> None:
    """One processing rule has one time zone."""
    tokyo = interval("maintenance", [{"weekdays": ["sunday"], "location": "Asia/Tokyo"}])
    service = quiet_service(quiet_routes(mute=("maintenance",), active=("business",)))
    routes = (dataclasses.replace(service.routes[0], active_during=("business",)), service.routes[1])
    service = dataclasses.replace(service, routes=routes)
    result = render(quiet_model(service, tokyo, interval("business", BUSINESS_HOURS)), service)
    assert ("MON914", str(routes[0].origin)) in codes(result)
    assert "monaco-quiet-checkout-route0" not in rules(result)


def test_a_rule_whose_alerts_also_reach_an_unmuted_route_is_not_muted() -> None:
    """The pager route continues to mail (active during business hours): the metric alert's one action group
    holds both, so neither route can be muted through it (MON914 at each); nothing is half muted."""
    pager, mail = quiet_routes()
    service = quiet_service((dataclasses.replace(pager, continue_=True), mail))
    result = render(quiet_model(service), service)
    assert codes(result) == [("MON914", str(pager.origin)), ("MON914", str(mail.origin))]
    assert rules(result) == {}


def test_routes_without_quiet_hours_render_as_before() -> None:
    """No intervals: no processing rule, no new diagnostic."""
    service = quiet_service(quiet_routes(mute=(), active=()))
    result = render(quiet_model(service), service)
    assert rules(result) == {} and codes(result) == []


def test_prometheus_rule_groups_are_selected_by_their_group_id() -> None:
    """A PromQL critical alert lives in the service's rule group; the route's rule selects that group."""
    service = quiet_service(quiet_routes(active=()))
    service = dataclasses.replace(service, alerts=(b.alert("HighCPU", source=b.prom_source(), severity="critical"),))
    body = rules(render(quiet_model(service), service))["monaco-quiet-checkout-route0"]
    assert body["properties"]["conditions"][0]["values"] == [
        f"{RULE_IDS}/microsoft.alertsmanagement/prometheusrulegroups/monaco-checkout"
    ]
