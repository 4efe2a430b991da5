"""Time interval periods as the recurrences of an Azure alert processing rule's schedule (pure).

Alertmanager's period is an AND of fields; a processing rule's `recurrences` are an OR of Daily, Weekly and
Monthly items, each on some days with an optional `startTime`/`endTime` (`HH:mm:ss`; none = the whole day;
an end before the start runs into the next day, as the REST spec's "17:00:00 to 09:00:00" example does).
Weekday and time-only periods become one weekly timeline (minutes from Sunday 00:00), merged, and written
back day by day: days with the same ranges share one recurrence, all seven days make it Daily. The
complement of that timeline is what `active_during` mutes. Periods with days of the month become Monthly
items; months, years, days counted from the month's end, and weekdays together with days of the month have
no recurrence and are returned as problems.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from monaco.spec.time_intervals import WEEKDAYS, TimePeriod

DAY = 24 * 60
WEEK = 7 * DAY
AZURE_DAYS = tuple(day.capitalize() for day in WEEKDAYS)
"""Azure's `DaysOfWeek` values, Sunday first as `WEEKDAYS`."""

Range = tuple[int, int]
"""Minutes [start, end) on the weekly timeline (Sunday 00:00 is 0), or within one day."""


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _expand(entries: Iterable[str], parse: Any) -> list[int]:
    """Every value of `start:end` entries (one value or a forward range), in order, once each."""
    values: dict[int, None] = {}
    for entry in entries:
        start, _, end = entry.partition(":")
        first, last = parse(start), parse(end or start)
        values.update(dict.fromkeys(range(first, last + 1)))
    return list(values)


def weekdays_of(period: TimePeriod) -> list[int]:
    """The period's weekdays (0 = Sunday), all seven when it sets none."""
    if not period.weekdays:
        return list(range(7))
    return sorted(_expand(period.weekdays, WEEKDAYS.index))


def days_of_month_of(period: TimePeriod) -> list[int]:
    """The period's days of the month (negative ones counted from the end are kept as written)."""
    return sorted(_expand(period.days_of_month or [], int))


def time_ranges_of(period: TimePeriod) -> list[Range]:
    """The period's times of day as minute ranges, the whole day when it sets none."""
    if not period.times:
        return [(0, DAY)]
    return [(_minutes(t.start_time), _minutes(t.end_time)) for t in period.times]


def problem_of(period: TimePeriod) -> str | None:
    """Why no recurrence can say `period`, or None."""
    if period.months:
        return "months"
    if period.years:
        return "years"
    if any(part.startswith("-") for entry in period.days_of_month or [] for part in entry.split(":")):
        return "days counted from the month's end"
    if period.days_of_month and period.weekdays:
        return "weekdays together with days of the month"
    return None


def is_weekly(period: TimePeriod) -> bool:
    """True when the period is weekdays and times only (it lies on the weekly timeline)."""
    return problem_of(period) is None and not period.days_of_month


def week_ranges(periods: Iterable[TimePeriod]) -> list[Range]:
    """The merged weekly timeline of weekly periods."""
    ranges = [
        (day * DAY + start, day * DAY + end)
        for period in periods
        for day in weekdays_of(period)
        for start, end in time_ranges_of(period)
    ]
    return merge(ranges)


def merge(ranges: Iterable[Range]) -> list[Range]:
    """Sorted ranges with overlapping and touching ones joined."""
    merged: list[Range] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def complement(ranges: Sequence[Range]) -> list[Range]:
    """The parts of the week that merged `ranges` leave out."""
    gaps: list[Range] = []
    cursor = 0
    for start, end in ranges:
        if start > cursor:
            gaps.append((cursor, start))
        cursor = max(cursor, end)
    if cursor < WEEK:
        gaps.append((cursor, WEEK))
    return gaps


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
