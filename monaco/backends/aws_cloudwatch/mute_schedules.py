"""Quiet hours as CloudWatch alarm mute rule schedules: `cron(...)` starts with an ISO 8601 Duration (pure).

A mute rule's schedule is `cron(Minutes Hours Day-of-month Month Day-of-week)` (five fields, `*`, `-` and
`,` in each, JAN-DEC and SUN-SAT names; no year field, no `L`), a Duration from PT1M to P15D, and an IANA
Timezone (UTC when absent). `mute_during` becomes one schedule per (period, time range): the cron starts
at the range's start and lasts the range's length, a whole day when the period sets no times. What the
cron cannot say is a problem: years, days counted from the month's end, weekdays together with days of
the month (cron ORs those two fields; Alertmanager ANDs them). `active_during` mutes the complement of
its periods on the weekly timeline (weekdays and times only, one location); every weekly gap is one
schedule, the gap across Saturday midnight into Sunday joined into one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from monaco.ir.time_interval_schedules import (
    DAY,
    WEEK,
    Range,
    complement,
    counts_from_month_end,
    merge,
    time_ranges_of,
    week_ranges,
)
from monaco.spec.time_intervals import MONTHS, WEEKDAYS, TimePeriod

CRON_DAYS = tuple(day[:3].upper() for day in WEEKDAYS)
"""SUN to SAT, Sunday first as `WEEKDAYS`."""
CRON_MONTHS = tuple(month[:3].upper() for month in MONTHS)
"""JAN to DEC."""


@dataclass(frozen=True, slots=True)
class MuteSchedule:
    """One mute rule schedule: when it starts (cron), how long it lasts (ISO 8601), in which time zone."""

    expression: str
    duration: str
    timezone: str | None

    def body(self) -> dict[str, str]:
        """The `Rule.Schedule` request shape (Timezone left out for UTC, its default)."""
        schedule = {"Expression": self.expression, "Duration": self.duration}
        if self.timezone:
            schedule["Timezone"] = self.timezone
        return schedule


def iso_duration(minutes: int) -> str:
    """An ISO 8601 duration of whole minutes: `P1D`, `PT8H`, `P2DT15H30M`."""
    days, rest = divmod(minutes, DAY)
    hours, mins = divmod(rest, 60)
    time = (f"{hours}H" if hours else "") + (f"{mins}M" if mins else "")
    return "P" + (f"{days}D" if days else "") + (f"T{time}" if time else "")


def _field(entries: Sequence[str] | None, name: dict[str, str] | None = None) -> str:
    """A cron field from `a` / `a:b` entries (`*` for none), values spelt through `name` when given."""
    if not entries:
        return "*"

    def spell(value: str) -> str:
        return name.get(value, value) if name else value

    items = []
    for entry in entries:
        start, sep, end = entry.partition(":")
        items.append(spell(start) + (f"-{spell(end)}" if sep and end != start else ""))
    return ",".join(items)


_DAY_NAMES = {day: CRON_DAYS[i] for i, day in enumerate(WEEKDAYS)}
_MONTH_NAMES = {
    **{month: CRON_MONTHS[i] for i, month in enumerate(MONTHS)},
    **{str(i + 1): CRON_MONTHS[i] for i in range(12)},
}


def cron_problem(period: TimePeriod) -> str | None:
    """Why no mute rule cron can say `period`, or None."""
    if period.years:
        return "years (a mute rule's cron has no year field)"
    if counts_from_month_end(period):
        return "days counted from the month's end (a mute rule's cron has no `L`)"
    if period.days_of_month and period.weekdays:
        return "weekdays together with days of the month (a cron matches either, not both)"
    return None


def period_schedules(period: TimePeriod) -> list[MuteSchedule]:
    """One schedule per time range of a period the cron can say (see `cron_problem`)."""
    days = _field(period.days_of_month)
    months = _field(period.months, _MONTH_NAMES)
    weekdays = _field(period.weekdays, _DAY_NAMES)
    ranges = time_ranges_of(period)
    return [
        MuteSchedule(
            f"cron({start % 60} {start // 60} {days} {months} {weekdays})", iso_duration(end - start), period.location
        )
        for start, end in ranges
    ]


def week_schedules(ranges: Sequence[Range], timezone: str | None) -> list[MuteSchedule]:
    """One schedule per range of a merged weekly timeline; the range across the week's end joined."""
    spans = [(start, end) for start, end in ranges]
    if len(spans) > 1 and spans[0][0] == 0 and spans[-1][1] == WEEK:
        first = spans.pop(0)
        spans[-1] = (spans[-1][0], WEEK + first[1])
    found = []
    for start, end in spans:
        day, minute = divmod(start, DAY)
        expression = f"cron({minute % 60} {minute // 60} * * {CRON_DAYS[day]})"
        found.append(MuteSchedule(expression, iso_duration(end - start), timezone))
    return found


def _weekly_problem(periods: Sequence[TimePeriod]) -> str | None:
    """Why `periods` do not lie on one weekly timeline, or None."""
    if any(p.days_of_month or p.months or p.years for p in periods):
        return "active_during with days of the month, months or years (only weekdays and times are complemented)"
    if len({p.location or "UTC" for p in periods}) > 1:
        return "periods in more than one location (their complement has no one time zone)"
    return None


def quiet_schedules(
    muted: Sequence[TimePeriod], active: Sequence[TimePeriod] | None
) -> tuple[list[MuteSchedule], str | None]:
    """The schedules that mute during `muted` and outside `active` (None: no active_during), or a problem."""
    if active is None:
        problems = [p for p in (cron_problem(period) for period in muted) if p]
        if problems:
            return [], problems[0]
        return [s for period in muted for s in period_schedules(period)], None
    if (problem := _weekly_problem([*muted, *active])) is not None:
        return [], problem
    timezone = next((p.location for p in [*muted, *active] if p.location), None)
    ranges = merge([*week_ranges(muted), *complement(week_ranges(active))])
    return week_schedules(ranges, timezone), None
