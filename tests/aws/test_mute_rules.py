"""Rendering quiet hours as CloudWatch alarm mute rules: exact bodies, the complement, and what is reported."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from monaco.backends.aws_cloudwatch.backend import CloudWatchBackend
from monaco.backends.aws_cloudwatch.config import CloudWatchConfig
from monaco.backends.aws_cloudwatch.mute_schedules import iso_duration
from monaco.backends.base import RenderResult
from monaco.diagnostics import Level
from monaco.ir.nodes import Model
from tests.aws import builders as b
from tests.aws.quiet_builders import (
    BUSINESS_HOURS,
    NIGHTS,
    WEEKDAY_HOURS,
    interval,
    quiet_model,
    quiet_routes,
    quiet_service,
)

CONFIG = CloudWatchConfig(region="eu-west-1", account_id="123456789012")
PAGER_ALARMS = ["monaco/checkout/Down", "monaco/checkout/slo/availability/page"]
MAIL_ALARMS = ["monaco/checkout/HighCPU", "monaco/checkout/slo/availability/ticket"]


def _render(model: Model) -> RenderResult:
    return CloudWatchBackend().render(model, b.target(CONFIG, *model.services), b.fingerprint)


def _rules(result: RenderResult) -> dict[str, dict[str, Any]]:
    return {r.name: r.body for r in result.resources if r.kind == "alarm_mute_rule"}


def _rule(name: str, description: str, schedule: dict[str, str], alarms: list[str], key: str) -> dict[str, Any]:
    return {
        "Name": name,
        "Description": description,
        "Rule": {"Schedule": schedule},
        "MuteTargets": {"AlarmNames": alarms},
        "Tags": {"managed-by": "monaco", "monaco:key": key, "monaco:target": "aws-prod"},
    }


def _mon267(result: RenderResult) -> list[tuple[int, str]]:
    return [(d.span.line, d.message) for d in result.diagnostics if d.code == "MON267" and d.span]


def test_mute_during_is_one_rule_per_time_range_of_the_alarms_of_the_route() -> None:
    """nights (22:00-24:00 and 00:00-06:00, every day) on the mail route: two rules, its two alarms."""
    service = quiet_service(quiet_routes({}, {"mute_during": ("nights",)}))
    result = _render(quiet_model(service, interval("nights", NIGHTS)))
    description = "[monaco] quiet hours (mute_during: nights): schedule {} of 2"
    assert _rules(result) == {
        "monaco-mute_mute-nights_1": _rule(
            "monaco-mute_mute-nights_1",
            description.format(1),
            {"Expression": "cron(0 22 * * *)", "Duration": "PT2H"},
            MAIL_ALARMS,
            "mute/mute-nights/1/1",
        ),
        "monaco-mute_mute-nights_2": _rule(
            "monaco-mute_mute-nights_2",
            description.format(2),
            {"Expression": "cron(0 0 * * *)", "Duration": "PT6H"},
            MAIL_ALARMS,
            "mute/mute-nights/2/1",
        ),
    }
    assert _mon267(result) == []


def test_active_during_business_hours_mutes_the_weekly_complement_in_its_time_zone() -> None:
    """Mon-Fri 09:00-17:00 Berlin: muted from 17:00 to 09:00 Mon-Thu and from Friday 17:00 to Monday 09:00."""
    service = quiet_service(quiet_routes({"active_during": ("business-hours",)}, {}))
    result = _render(quiet_model(service, interval("business-hours", BUSINESS_HOURS)))
    rules = _rules(result)
    schedules = [(body["Rule"]["Schedule"], body["MuteTargets"]["AlarmNames"]) for body in rules.values()]
    zone = {"Timezone": "Europe/Berlin"}
    assert schedules == [
        ({"Expression": f"cron(0 17 * * {day})", "Duration": "PT16H", **zone}, PAGER_ALARMS)
        for day in ("MON", "TUE", "WED", "THU")
    ] + [({"Expression": "cron(0 17 * * FRI)", "Duration": "P2DT16H", **zone}, PAGER_ALARMS)]
    assert rules["monaco-mute_active-business-hours_5"] == _rule(
        "monaco-mute_active-business-hours_5",
        "[monaco] quiet hours (active_during: business-hours): schedule 5 of 5",
        {"Expression": "cron(0 17 * * FRI)", "Duration": "P2DT16H", **zone},
        PAGER_ALARMS,
        "mute/active-business-hours/5/1",
    )
    assert _mon267(result) == []


def test_calendar_fields_become_cron_fields() -> None:
    """Days of the month, months and weekday ranges are the cron's fields; no times is a whole day."""
    periods = (
        {"days_of_month": ["1:7", "15"], "months": ["january:march", "12"]},
        {"weekdays": ["saturday", "sunday"], "months": ["july"], "location": "America/New_York"},
    )
    service = quiet_service(quiet_routes({}, {"mute_during": ("calendar",)}))
    schedules = [
        body["Rule"]["Schedule"]
        for body in _rules(_render(quiet_model(service, interval("calendar", *periods)))).values()
    ]
    assert schedules == [
        {"Expression": "cron(0 0 1-7,15 JAN-MAR,DEC *)", "Duration": "P1D"},
        {"Expression": "cron(0 0 * JUL SAT,SUN)", "Duration": "P1D", "Timezone": "America/New_York"},
    ]


@pytest.mark.parametrize(
    ("period", "why"),
    [
        ({"years": ["2030"]}, "years"),
        ({"days_of_month": ["-3:-1"]}, "days counted from the month's end"),
        ({"weekdays": ["monday"], "days_of_month": ["1"]}, "weekdays together with days of the month"),
    ],
)
def test_what_the_cron_cannot_say_is_reported_at_the_route_and_not_muted(period: dict[str, Any], why: str) -> None:
    service = quiet_service(quiet_routes({}, {"mute_during": ("odd",)}))
    result = _render(quiet_model(service, interval("odd", period)))
    assert _rules(result) == {}
    [(line, message)] = _mon267(result)
    assert line == b.DEFAULT_ROUTES[1].origin.line
    assert f"cannot mute: not expressible: {why}" in message and "(mute_during: odd)" in message
    assert message.startswith("target aws-prod: a route of checkout")


def test_active_during_beyond_the_week_is_reported() -> None:
    service = quiet_service(quiet_routes({"active_during": ("q1",)}, {}))
    result = _render(quiet_model(service, interval("q1", {"months": ["january:march"]})))
    assert _rules(result) == {}
    [(line, message)] = _mon267(result)
    assert (
        line == b.DEFAULT_ROUTES[0].origin.line and "active_during with days of the month, months or years" in message
    )


def test_an_alarm_of_two_routes_with_different_quiet_hours_is_reported_at_both_and_muted_by_neither() -> None:
    """Both routes continue and match critical: Down reaches the pager (nights) and the mail (weekday hours)."""
    pager, mail = quiet_routes({"mute_during": ("nights",)}, {"mute_during": ("weekday-hours",)})
    service = quiet_service((replace(pager, continue_=True), mail))
    model = quiet_model(service, interval("nights", NIGHTS), interval("weekday-hours", WEEKDAY_HOURS))
    result = _render(model)
    reported = dict(_mon267(result))
    assert set(reported) == {pager.origin.line, mail.origin.line}
    assert (
        "alarm monaco/checkout/Down is also notified through a route with other quiet hours"
        in reported[pager.origin.line]
    )
    # Not half: the mail route's other alarms (HighCPU, the ticket tier) are not muted either.
    assert _rules(result) == {}


def test_the_target_sets_the_level_of_what_is_not_muted() -> None:
    service = quiet_service(quiet_routes({}, {"mute_during": ("odd",)}))
    model = quiet_model(service, interval("odd", {"years": ["2030"]}))
    config = CloudWatchConfig(region="eu-west-1", account_id="123456789012", levels={"MON267": "error"})
    result = CloudWatchBackend().render(model, b.target(config, service), b.fingerprint)
    assert [d.level for d in result.diagnostics if d.code == "MON267"] == [Level.ERROR]


def test_a_rule_over_100_alarms_is_split() -> None:
    service = quiet_service(quiet_routes({}, {"mute_during": ("weekday-hours",)}), alerts=120)
    rules = _rules(_render(quiet_model(service, interval("weekday-hours", WEEKDAY_HOURS))))
    sizes = {name: len(body["MuteTargets"]["AlarmNames"]) for name, body in rules.items()}
    assert sizes == {"monaco-mute_mute-weekday-hours_1": 100, "monaco-mute_mute-weekday-hours_1-2": 22}


def test_rendering_is_deterministic_and_checked_by_botocore() -> None:
    service = quiet_service(quiet_routes({"active_during": ("business-hours",)}, {"mute_during": ("nights",)}))
    model = quiet_model(service, interval("business-hours", BUSINESS_HOURS), interval("nights", NIGHTS))
    first, second = _render(model), _render(model)
    assert first.resources == second.resources
    assert [d.code for d in first.diagnostics if d.code in ("MON710", "MON267")] == []


@pytest.mark.parametrize(
    ("minutes", "text"), [(1, "PT1M"), (480, "PT8H"), (510, "PT8H30M"), (1440, "P1D"), (3840, "P2DT16H")]
)
def test_iso_durations(minutes: int, text: str) -> None:
    assert iso_duration(minutes) == text


def test_a_route_that_shares_an_alarm_with_an_unmuted_route_is_not_muted_either() -> None:
    """pager (critical) and mail (all) mute nights; hook (high) mutes weekday hours. HighCPU reaches mail and
    hook (other hours): both reported; Down reaches pager and mail, so pager would be half muted: reported too."""
    pager, mail = quiet_routes({"mute_during": ("nights",)}, {"mute_during": ("nights",)})
    [hook] = b.routes(({"severity": ("high",)}, ("payments-hook",)))
    hook = replace(hook, mute_during=("weekday-hours",), origin=b.span(70))
    service = quiet_service((replace(pager, continue_=True), replace(mail, continue_=True), hook))
    model = quiet_model(service, interval("nights", NIGHTS), interval("weekday-hours", WEEKDAY_HOURS))
    result = _render(model)
    reported = dict(_mon267(result))
    assert set(reported) == {pager.origin.line, mail.origin.line, 70}
    assert "with a route whose quiet hours are not muted" in reported[pager.origin.line]
    assert _rules(result) == {}


def test_mute_and_active_during_on_one_route_mute_their_union() -> None:
    """Active Mon-Fri 09:00-17:00 and muted 12:00-13:00 every day: lunch too is muted on weekdays."""
    lunch = {"times": [{"start_time": "12:00", "end_time": "13:00"}]}
    fields = {"active_during": ("weekday-hours",), "mute_during": ("lunch",)}
    service = quiet_service(quiet_routes(fields, {}))
    rules = _rules(_render(quiet_model(service, interval("weekday-hours", WEEKDAY_HOURS), interval("lunch", lunch))))
    schedules = sorted(
        (body["Rule"]["Schedule"]["Expression"], body["Rule"]["Schedule"]["Duration"]) for body in rules.values()
    )
    days = ("MON", "TUE", "WED", "THU", "FRI")
    expected = [(f"cron(0 12 * * {day})", "PT1H") for day in days] + [
        (f"cron(0 17 * * {day})", "P2DT16H" if day == "FRI" else "PT16H") for day in days
    ]
    assert schedules == sorted(expected)
    assert all(name.startswith("monaco-mute_mute-lunch_active-weekday-hours_") for name in rules)
