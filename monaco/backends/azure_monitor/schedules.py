"""Time interval periods as the recurrences of an Azure alert processing rule's schedule (pure).

Alertmanager's period is an AND of fields; a processing rule's `recurrences` are an OR of Daily, Weekly and
Monthly items, each on some days with an optional `startTime`/`endTime` (`HH:mm:ss`; none = the whole day;
an end before the start runs into the next day, as the REST spec's "17:00:00 to 09:00:00" example does).
Weekday and time-only periods become one weekly timeline (minutes from Sunday 00:00), merged, and written
back day by day: days with the same ranges share one recurrence, all seven days make it Daily. The
complement of that timeline is what `active_during` mutes. Periods with days of the month become Monthly
items; months, years, days counted from the month's end, and weekdays together with days of the month have
no recurrence and are returned as problems. The weekly timeline (expand, merge, complement) is shared with
the other backends: `monaco.ir.time_interval_schedules`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from monaco.ir.time_interval_schedules import (
    DAY,
    Range,
    counts_from_month_end,
    days_of_month_of,
    time_ranges_of,
)
from monaco.spec.time_intervals import WEEKDAYS, TimePeriod

AZURE_DAYS = tuple(day.capitalize() for day in WEEKDAYS)
"""Azure's `DaysOfWeek` values, Sunday first as `WEEKDAYS`."""


def problem_of(period: TimePeriod) -> str | None:
    """Why no recurrence can say `period`, or None."""
    if period.months:
        return "months"
    if period.years:
        return "years"
    if counts_from_month_end(period):
        return "days counted from the month's end"
    if period.days_of_month and period.weekdays:
        return "weekdays together with days of the month"
    return None


def is_weekly(period: TimePeriod) -> bool:
    """True when the period is weekdays and times only (it lies on the weekly timeline)."""
    return problem_of(period) is None and not period.days_of_month


def clock(minute: int) -> str:
    """`HH:mm:ss` of a minute of the day; the day's end (24:00) is the next day's 00:00:00."""
    minute %= DAY
    return f"{minute // 60:02d}:{minute % 60:02d}:00"


def _timed(recurrence: dict[str, Any], start: int, end: int) -> dict[str, Any]:
    """`recurrence` with the start and end of a day range, or with none for the whole day."""
    if (start, end) == (0, DAY):
        return recurrence
    return {**recurrence, "startTime": clock(start), "endTime": clock(end)}


def week_recurrences(ranges: Sequence[Range]) -> list[dict[str, Any]]:
    """Daily or Weekly recurrences that hold exactly the weekly timeline `ranges`."""
    by_day: dict[int, list[Range]] = {day: [] for day in range(7)}
    for start, end in ranges:
        for day in range(start // DAY, (end - 1) // DAY + 1):
            low, high = max(start, day * DAY) - day * DAY, min(end, (day + 1) * DAY) - day * DAY
            by_day[day].append((low, high))
    days_by_ranges: dict[tuple[Range, ...], list[int]] = {}
    for day, found in by_day.items():
        if found:
            days_by_ranges.setdefault(tuple(found), []).append(day)
    recurrences: list[dict[str, Any]] = []
    for day_ranges, days in sorted(days_by_ranges.items(), key=lambda item: (item[1], item[0])):
        base: dict[str, Any] = {"recurrenceType": "Daily"}
        if len(days) < 7:
            base = {"recurrenceType": "Weekly", "daysOfWeek": [AZURE_DAYS[day] for day in days]}
        recurrences.extend(_timed(base, start, end) for start, end in day_ranges)
    return recurrences


def month_recurrences(period: TimePeriod) -> list[dict[str, Any]]:
    """Monthly recurrences of a period of (positive) days of the month and optional times."""
    base = {"recurrenceType": "Monthly", "daysOfMonth": days_of_month_of(period)}
    return [_timed(base, start, end) for start, end in time_ranges_of(period)]
