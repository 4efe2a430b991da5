"""Time interval periods on a weekly timeline (minutes from Sunday 00:00): expand, merge, complement (pure).

Shared by the backends that turn Alertmanager-style periods into their own schedules: weekday and
time-only periods lie on one weekly timeline, merged; the complement of that timeline is what
`active_during` mutes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from monaco.spec.time_intervals import WEEKDAYS, TimePeriod, minutes_of

DAY = 24 * 60
WEEK = 7 * DAY

Range = tuple[int, int]
"""Minutes [start, end) on the weekly timeline (Sunday 00:00 is 0), or within one day."""


def expand(entries: Iterable[str], parse: Callable[[str], int]) -> list[int]:
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
    return sorted(expand(period.weekdays, WEEKDAYS.index))


def days_of_month_of(period: TimePeriod) -> list[int]:
    """The period's days of the month (negative ones counted from the end are kept as written)."""
    return sorted(expand(period.days_of_month or [], int))


def counts_from_month_end(period: TimePeriod) -> bool:
    """True when some day of the month is counted from the month's end (`-1`, `1:-1`)."""
    return any(part.startswith("-") for entry in period.days_of_month or [] for part in entry.split(":"))


def time_ranges_of(period: TimePeriod) -> list[Range]:
    """The period's times of day as minute ranges, the whole day when it sets none."""
    if not period.times:
        return [(0, DAY)]
    return [(minutes_of(t.start_time), minutes_of(t.end_time)) for t in period.times]


def merge(ranges: Iterable[Range]) -> list[Range]:
    """Sorted ranges with overlapping and touching ones joined."""
    merged: list[Range] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def week_ranges(periods: Iterable[TimePeriod]) -> list[Range]:
    """The merged weekly timeline of weekly periods (weekdays and times only)."""
    ranges = [
        (day * DAY + start, day * DAY + end)
        for period in periods
        for day in weekdays_of(period)
        for start, end in time_ranges_of(period)
    ]
    return merge(ranges)


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
