"""The Azure processing rule schedule a route renders to mutes exactly when Alertmanager would mute the route.

Two small evaluators, one per side: Alertmanager's (a period matches when each field it sets matches, read
in its location; an interval when any period does; a route is muted during any `mute_during` interval or
outside every `active_during` one) and Azure's (a schedule holds when any recurrence does: its days, and
`startTime` <= t < `endTime`, an end at or before the start running into the next day, as the REST spec's
17:00:00-09:00:00 example; no times is the whole day). Both are asked at instants every 7 minutes and at
every minute edge the intervals name, over five weeks that cross a daylight-saving change.
"""

from __future__ import annotations

import calendar
import dataclasses
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from monaco.backends.azure_monitor.backend import AzureMonitorBackend
from monaco.backends.azure_monitor.schedules import AZURE_DAYS
from monaco.backends.azure_monitor.windows_zones import windows_zone
from monaco.ir.time_intervals import TimeInterval
from monaco.spec.time_intervals import MONTHS, WEEKDAYS, TimePeriod
from tests.azure_monitor import builders as b
from tests.azure_monitor.quiet import interval, quiet_model, quiet_routes, quiet_service


def _values(entries: list[str] | None, parse: Any) -> set[int] | None:
    if entries is None:
        return None
    found: set[int] = set()
    for entry in entries:
        start, _, end = entry.partition(":")
        found.update(range(parse(start), parse(end or start) + 1))
    return found


def _minute(text: str) -> int:
    return int(text[:2]) * 60 + int(text[3:5])


def _day_matches(entries: list[str], day: date) -> bool:
    """Alertmanager's days_of_month: negative days count from the month's end (-1 is the last day)."""
    last = calendar.monthrange(day.year, day.month)[1]
    for entry in entries:
        start, _, end = entry.partition(":")
        first, final = int(start), int(end or start)
        first, final = (last + 1 + first if first < 0 else first), (last + 1 + final if final < 0 else final)
        if first <= day.day <= final:
            return True
    return False


def am_period(period: TimePeriod, instant: datetime) -> bool:
    """Whether one Alertmanager period matches `instant` (UTC)."""
    local = instant.astimezone(zoneinfo.ZoneInfo(period.location or "UTC"))
    minute = local.hour * 60 + local.minute
    if period.times and not any(_minute(t.start_time) <= minute < _minute(t.end_time) for t in period.times):
        return False
    weekday = (local.weekday() + 1) % 7  # Sunday = 0
    if (days := _values(period.weekdays, WEEKDAYS.index)) is not None and weekday not in days:
        return False
    if period.days_of_month and not _day_matches(period.days_of_month, local.date()):
        return False
    months = _values(period.months, lambda t: MONTHS.index(t) + 1 if t in MONTHS else int(t))
    if months is not None and local.month not in months:
        return False
    return (years := _values(period.years, int)) is None or local.year in years


def am_muted(mute: list[TimeInterval], active: list[TimeInterval], instant: datetime) -> bool:
    """Alertmanager: muted during any mute interval, or outside every active interval (when there are some)."""

    def during(found: list[TimeInterval]) -> bool:
        return any(am_period(p, instant) for i in found for p in i.spec.intervals)

    return during(mute) or (bool(active) and not during(active))


def _recurrence_day(recurrence: dict[str, Any], day: date) -> bool:
    kind = recurrence["recurrenceType"]
    if kind == "Weekly":
        return AZURE_DAYS[(day.weekday() + 1) % 7] in recurrence["daysOfWeek"]
    if kind == "Monthly":
        return day.day in recurrence["daysOfMonth"]
    return True


def azure_holds(schedule: dict[str, Any], zone: str, instant: datetime) -> bool:
    """Whether an Azure schedule (read in IANA `zone`, the one its Windows name came from) holds at `instant`."""
    local = instant.astimezone(zoneinfo.ZoneInfo(zone))
    minute, today = local.hour * 60 + local.minute, local.date()
    for recurrence in schedule["recurrences"]:
        if "startTime" not in recurrence:
            if _recurrence_day(recurrence, today):
                return True
            continue
        start, end = _minute(recurrence["startTime"]), _minute(recurrence["endTime"])
        if start < end and _recurrence_day(recurrence, today) and start <= minute < end:
            return True
        if end <= start and (
            (_recurrence_day(recurrence, today) and minute >= start)
            or (_recurrence_day(recurrence, today - timedelta(days=1)) and minute < end)
        ):
            return True
    return False


def instants(start: datetime, weeks: int) -> Iterator[datetime]:
    """Every 7 minutes, and each minute either side of every hour and half hour, for `weeks` weeks."""
    end = start + timedelta(weeks=weeks)
    moment = start
    while moment < end:
        yield moment
        moment += timedelta(minutes=7)
    moment = start
    while moment < end:
        yield from (moment - timedelta(minutes=1), moment, moment + timedelta(minutes=1))
        moment += timedelta(minutes=30)


CASES: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]], str]] = {
    "business hours, active": (
        [],
        [{"weekdays": ["monday:friday"], "times": [{"start_time": "09:00", "end_time": "17:00"}]}],
        "Europe/Berlin",
    ),
    "split business hours, active": (
        [],
        [
            {
                "weekdays": ["monday:thursday"],
                "times": [{"start_time": "08:30", "end_time": "12:00"}, {"start_time": "13:00", "end_time": "18:15"}],
            },
            {"weekdays": ["friday"], "times": [{"start_time": "08:30", "end_time": "14:00"}]},
        ],
        "America/New_York",
    ),
    "weekend night maintenance, muted": (
        [
            {"weekdays": ["saturday"], "times": [{"start_time": "22:00", "end_time": "24:00"}]},
            {"weekdays": ["sunday"], "times": [{"start_time": "00:00", "end_time": "04:00"}]},
        ],
        [],
        "Europe/Berlin",
    ),
    "nightly and monthly, muted": (
        [
            {"times": [{"start_time": "01:00", "end_time": "02:30"}]},
            {"days_of_month": ["1:3", "15"], "times": [{"start_time": "20:00", "end_time": "24:00"}]},
            {"days_of_month": ["28"]},
        ],
        [],
        "UTC",
    ),
    "muted and active together": (
        [{"weekdays": ["wednesday"], "times": [{"start_time": "12:00", "end_time": "13:00"}]}],
        [{"weekdays": ["monday:saturday"], "times": [{"start_time": "07:00", "end_time": "23:00"}]}],
        "Asia/Kolkata",
    ),
}


def _located(periods: list[dict[str, Any]], zone: str) -> list[dict[str, Any]]:
    return [{**period, "location": zone} for period in periods]


def _rendered(case: str) -> tuple[list[TimeInterval], list[TimeInterval], dict[str, Any]]:
    """The case's mute and active intervals, and the schedule of the pager route that uses them."""
    mute_periods, active_periods, zone = CASES[case]
    mute = [interval("maintenance", _located(mute_periods, zone))] if mute_periods else []
    active = [interval("business", _located(active_periods, zone), 210)] if active_periods else []
    pager, mail = quiet_routes(mute=tuple(i.name for i in mute), active=())
    pager = dataclasses.replace(pager, active_during=tuple(i.name for i in active))
    service = quiet_service((pager, mail))
    model = quiet_model(service, *mute, *active)
    result = AzureMonitorBackend().render(model, b.target(b.config(), service), b.fingerprint)
    [rule] = [r for r in result.resources if r.kind == "processing_rule"]
    return mute, active, rule.body["properties"]["schedule"]


def _disagreements(case: str, zone: str) -> tuple[int, int]:
    """(instants checked, instants where the two sides differ), Azure's side read in `zone`."""
    mute, active, schedule = _rendered(case)
    checked = differ = 0
    for instant in instants(datetime(2026, 3, 16, tzinfo=UTC), weeks=5):
        checked += 1
        differ += am_muted(mute, active, instant) != azure_holds(schedule, zone, instant)
    return checked, differ


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_azure_schedule_mutes_exactly_when_alertmanager_would(case: str) -> None:
    """Over five weeks across the March DST change, the two evaluators agree at every sampled instant."""
    zone = CASES[case][2]
    assert _rendered(case)[2]["timeZone"] == windows_zone(zone)
    checked, differ = _disagreements(case, zone)
    assert differ == 0 and checked > 10_000


def test_the_comparison_can_fail() -> None:
    """The same business-hours schedule read an hour off (in UTC, not Berlin) disagrees at many instants."""
    checked, differ = _disagreements("business hours, active", "UTC")
    assert differ > checked // 50
