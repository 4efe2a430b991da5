"""Named time intervals (business hours, maintenance windows) that routes mute or are active during.

The shape and the rules are Alertmanager's (`time_intervals:` in its configuration, 0.24+): an interval
holds one or more periods; a period matches when each of its fields that is set matches (times of day,
weekdays, days of the month, months, years) in its `location`. Every mistake is a `time_interval`
error, reported as MON116 at the value that is wrong.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from monaco.spec.types import Name, SpecModel

WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_TIME_RE = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$")
_INT_RE = re.compile(r"^-?\d+$")


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError("time_interval", message)


def minutes_of(text: str) -> int:
    """Minutes since midnight of an `HH:MM` time of day (24:00 is 1440)."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _time_of_day(value: Any) -> Any:
    if not isinstance(value, str) or not _TIME_RE.match(value):
        raise _refuse(f"{value!r} is not a time of day; write HH:MM, 00:00 to 24:00 (e.g. 09:00)")
    return value


TimeOfDay = Annotated[str, BeforeValidator(_time_of_day), Field(pattern=_TIME_RE.pattern)]
"""A time of day, `HH:MM` from 00:00 to 24:00."""


def _range_of(what: str, parse: Callable[[str], int], check: Callable[[int, int, str], None]) -> Any:
    """A validator of `one` or `start:end` text (ints accepted from YAML), canonical spelling kept."""

    def validate(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise _refuse(f"a {what} is text such as {_EXAMPLES[what]}, not {value!r}")
        text = str(value).strip().lower()
        start, sep, end = text.partition(":")
        try:
            first, last = parse(start), parse(end if sep else start)
        except ValueError as exc:
            raise _refuse(f"{value!r} is not a {what} or a range of them: {exc}; e.g. {_EXAMPLES[what]}") from None
        check(first, last, text)
        return text

    return BeforeValidator(validate)


_EXAMPLES = {
    "weekday": "monday or monday:friday",
    "day of the month": "1, 1:15 or -3:-1 (the last three days)",
    "month": "january, 1:3 or july:august",
    "year": "2026 or 2026:2027",
}


def _named(names: tuple[str, ...], offset: int, what: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if text in names:
            return names.index(text) + offset
        if offset and _INT_RE.match(text) and 1 <= int(text) <= len(names):
            return int(text)
        raise ValueError(f"{text!r} is not a {what}")

    return parse


def _day_of_month(text: str) -> int:
    if not _INT_RE.match(text) or not (1 <= abs(int(text)) <= 31):
        raise ValueError(f"{text!r} is not 1 to 31 or -31 to -1")
    return int(text)


def _year(text: str) -> int:
    if not re.match(r"^\d{4}$", text):
        raise ValueError(f"{text!r} is not a four-digit year")
    return int(text)


def _ordered(what: str) -> Callable[[int, int, str], None]:
    def check(first: int, last: int, text: str) -> None:
        if first > last:
            raise _refuse(f"{text!r}: the range starts after it ends; a {what} range runs forward")

    return check


def _check_days(first: int, last: int, text: str) -> None:
    if first < 0 < last:
        raise _refuse(f"{text!r}: a range that starts counting from the month's end must end so too (e.g. -7:-1)")
    if (first > 0) == (last > 0) and first > last:
        raise _refuse(f"{text!r}: the range starts after it ends; e.g. 1:15 or -7:-1")


Weekday = Annotated[str, _range_of("weekday", _named(WEEKDAYS, 0, "weekday"), _ordered("weekday"))]
DayOfMonth = Annotated[str, _range_of("day of the month", _day_of_month, _check_days)]
Month = Annotated[str, _range_of("month", _named(MONTHS, 1, "month name or 1 to 12"), _ordered("month"))]
Year = Annotated[str, _range_of("year", _year, _ordered("year"))]


class TimeRange(SpecModel):
    """A time of day range, start inclusive and end exclusive, in the period's location."""

    start_time: TimeOfDay = Field(description="Start of the range, HH:MM (included).")
    end_time: TimeOfDay = Field(description="End of the range, HH:MM up to 24:00 (excluded); after start_time.")

    @field_validator("end_time")
    @classmethod
    def _after_start(cls, value: str, info: ValidationInfo) -> str:
        start = info.data.get("start_time")
        if isinstance(start, str) and minutes_of(value) <= minutes_of(start):
            raise _refuse(f"end_time {value} is not after start_time {start}; a range cannot wrap midnight, use two")
        return value


def _location(value: Any) -> Any:
    if not isinstance(value, str) or not value:
        raise _refuse("a location is an IANA time zone name such as Europe/Berlin or UTC")
    if value == "Local":
        raise _refuse("location Local depends on the server's clock settings; name the zone, e.g. Europe/Berlin")
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise _refuse(f"{value!r} is not an IANA time zone name (e.g. Europe/Berlin, America/New_York, UTC)") from None
    return value


class TimePeriod(SpecModel):
    """When a period matches: every field it sets matches (an unset field matches always)."""

    times: list[TimeRange] | None = Field(default=None, min_length=1, description="Times of day (HH:MM).")
    weekdays: list[Weekday] | None = Field(
        default=None, min_length=1, description="Weekday names or ranges, e.g. monday:friday."
    )
    days_of_month: list[DayOfMonth] | None = Field(
        default=None, min_length=1, description="Days 1 to 31, or -31 to -1 counted from the month's end; ranges a:b."
    )
    months: list[Month] | None = Field(default=None, min_length=1, description="Month names or 1 to 12; ranges a:b.")
    years: list[Year] | None = Field(default=None, min_length=1, description="Four-digit years; ranges a:b.")
    location: Annotated[str, BeforeValidator(_location)] | None = Field(
        default=None, description="IANA time zone the period is read in (default UTC)."
    )


class TimeIntervalSpec(SpecModel):
    """A named time interval: it matches when any of its periods does."""

    name: Name = Field(description="The name routes' `mute_during` and `active_during` use.")
    intervals: list[TimePeriod] = Field(min_length=1, description="Periods; the interval matches during any.")
