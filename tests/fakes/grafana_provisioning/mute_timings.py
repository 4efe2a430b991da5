"""Mute timings of the fake: decoded and written back as Grafana does, with Grafana's rejections and messages.

Sources: grafana `pkg/services/ngalert/provisioning/mute_timings.go` and `errors.go` (an invalid body is 400
`alerting.notifications.time-intervals.invalidFormat`, the reason in `extra.Error`; a create of a taken name
400 `...nameExists`; an update of a missing one 404 `...notFound`; a delete while a policy names it, as a mute
or an active interval, 409 `...used` "Time interval is used by notification policies"; a delete of a missing
one 204), `api/tooling/definitions/provisioning_mute_timings.go` (the body is Alertmanager's MuteTimeInterval
plus `version` and `provenance`), and prometheus/alertmanager `timeinterval/timeinterval.go`: what a period
accepts (the reasons below are its error texts) and how it is encoded back: weekdays as names, days, months
and years as numbers, a one-value range as that value, times as HH:MM, unknown keys dropped.
"""

from __future__ import annotations

import hashlib
import json
import re
import zoneinfo
from collections.abc import Callable
from typing import Any

from tests.fakes.grafana_provisioning.store import ApiError, GrafanaState, Json, check_provenance, copied

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
_TIME = re.compile(r"^((([01][0-9])|(2[0-3])):[0-5][0-9])$|(^24:00$)")
INVALID = "alerting.notifications.time-intervals.invalidFormat"


def _invalid(reason: str) -> ApiError:
    return ApiError(
        400, "Time interval is in invalid format. Correct the payload and try again.", INVALID, {"Error": reason}
    )


def _minutes(text: Any) -> int:
    if not isinstance(text, str) or not _TIME.match(text):
        raise ValueError(f"couldn't parse timestamp {text}, invalid format")
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _times(value: Any) -> Json:
    start, end = (value.get("start_time"), value.get("end_time")) if isinstance(value, dict) else (None, None)
    if not start or not end:
        raise ValueError("both start and end times must be provided")
    first, last = _minutes(start), _minutes(end)
    if first >= last:
        raise ValueError("start time cannot be equal or greater than end time")
    return {"start_time": f"{first // 60:02d}:{first % 60:02d}", "end_time": f"{last // 60:02d}:{last % 60:02d}"}


def _split(value: Any, member: Callable[[str], int]) -> tuple[int, int]:
    text = str(value).lower()
    parts = text.split(":")
    if len(parts) > 2:
        raise ValueError(f"couldn't parse range {text}, invalid format")
    return member(parts[0]), member(parts[-1])


def _integer(text: str) -> int:
    if not re.match(r"^[+-]?\d+$", text):
        raise ValueError(f'strconv.Atoi: parsing "{text}": invalid syntax')
    return int(text)


def _weekday_member(text: str) -> int:
    if text not in WEEKDAYS:
        raise ValueError(f"{text} is not a valid weekday")
    return WEEKDAYS.index(text)


def _month_member(text: str) -> int:
    if text in MONTHS:
        return MONTHS.index(text) + 1
    try:
        return _integer(text)
    except ValueError:
        raise ValueError(f"{text} is not a valid month") from None


def _spell(first: int, last: int, word: Callable[[int], str] = str) -> str:
    return word(first) if first == last else f"{word(first)}:{word(last)}"


def _weekdays(value: Any) -> str:
    first, last = _split(value, _weekday_member)
    if first > last:
        raise ValueError("start day cannot be before end day")
    return _spell(first, last, WEEKDAYS.__getitem__)


def _days_of_month(value: Any) -> str:
    first, last = _split(value, _integer)
    for day in (first, last):
        if day == 0 or not -31 <= day <= 31:
            raise ValueError(f"{day} is not a valid day of the month: out of range")
    if first < 0 < last:
        raise ValueError("end day must be negative if start day is negative")
    if (28 + first if first < 0 else first) > (28 + last if last < 0 else last):
        raise ValueError(f"end day {last} is always before start day {first}")
    return _spell(first, last)


def _months(value: Any) -> str:
    first, last = _split(value, _month_member)
    if first > last:
        raise ValueError(f"end month {MONTHS[last - 1]} is before start month {MONTHS[first - 1]}")
    return _spell(first, last)


def _years(value: Any) -> str:
    first, last = _split(value, _integer)
    if first > last:
        raise ValueError(f"end year {last} is before start year {first}")
    return _spell(first, last)


def _location(value: Any) -> str:
    if value in ("UTC", "Local", ""):
        return value or "UTC"
    try:
        zoneinfo.ZoneInfo(str(value))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value}") from None
    return str(value)


RANGES: dict[str, Callable[[Any], Any]] = {
    "times": _times,
    "weekdays": _weekdays,
    "days_of_month": _days_of_month,
    "months": _months,
    "years": _years,
}


def _period(period: Any) -> Json:
    """One period decoded and encoded back (Alertmanager's `TimeInterval`), or ValueError with its reason."""
    if not isinstance(period, dict):
        raise ValueError("json: cannot unmarshal a non-object into Go value of type timeinterval.TimeInterval")
    encoded: Json = {}
    for key, parse in RANGES.items():
        values = period.get(key)
        if values in (None, []):
            continue
        if not isinstance(values, list):
            raise ValueError(f"json: cannot unmarshal {key} into a list")
        encoded[key] = [parse(v) for v in values]
    if period.get("location") is not None:
        encoded["location"] = _location(period["location"])
    return encoded


def _decoded(body: Any, name: str | None = None) -> Json:
    """The timing as Grafana stores it: name and encoded periods; 400 with Alertmanager's reason otherwise."""
    body = body if isinstance(body, dict) else {}
    name = name if name is not None else str(body.get("name") or "").strip()
    if not name:
        raise _invalid("missing name in mute time interval")
    intervals = body.get("time_intervals") or []
    if not isinstance(intervals, list):
        raise _invalid("json: cannot unmarshal time_intervals into a list")
    try:
        periods = [_period(p) for p in intervals]
    except ValueError as exc:
        raise _invalid(str(exc)) from None
    return {"name": name, "time_intervals": periods}


def _stored(timing: Json, provenance: str) -> Json:
    version = hashlib.sha256(json.dumps(timing, sort_keys=True).encode()).hexdigest()[:16]
    return {**timing, "version": version, "provenance": provenance}


def shown(timing: Json) -> Json:
    """A mute timing as GET returns it (`provenance` omitted when none, as Go's `omitempty` does)."""
    answer = copied(timing)
    if not answer.get("provenance"):
        answer.pop("provenance", None)
    return answer


def list_mute_timings(state: GrafanaState) -> list[Json]:
    """GET /api/v1/provisioning/mute-timings: every timing, by name."""
    with state.lock:
        return [shown(m) for _, m in sorted(state.mute_timings.items())]


def get_mute_timing(state: GrafanaState, name: str) -> Json:
    """GET /:name: the timing; 404 when there is none."""
    with state.lock:
        if name not in state.mute_timings:
            raise ApiError(404, "Not found", "alerting.notifications.time-intervals.notFound")
        return shown(state.mute_timings[name])


def create_mute_timing(state: GrafanaState, body: Json, provenance: str) -> Json:
    """POST: 201 with the stored timing; 400 for an invalid one or a name taken."""
    with state.lock:
        timing = _decoded(body)
        if timing["name"] in state.mute_timings:
            raise ApiError(
                400,
                "Time interval with this name already exists. Use a different name or update existing one.",
                "alerting.notifications.time-intervals.nameExists",
            )
        state.mute_timings[timing["name"]] = _stored(timing, provenance)
        return shown(state.mute_timings[timing["name"]])


def update_mute_timing(state: GrafanaState, name: str, body: Json, provenance: str) -> Json:
    """PUT /:name: replaced (the name in the path wins); 404 when missing, 409 on provenance."""
    with state.lock:
        timing = _decoded(body, name)
        existing = state.mute_timings.get(name)
        if existing is None:
            raise ApiError(404, "Not found", "alerting.notifications.time-intervals.notFound")
        check_provenance(existing["provenance"], provenance, f"mute timing {name}")
        state.mute_timings[name] = _stored(timing, provenance)
        return shown(state.mute_timings[name])


def delete_mute_timing(state: GrafanaState, name: str, provenance: str) -> None:
    """DELETE /:name: 204 (also when missing); 409 while a policy names it as a mute or an active interval."""
    with state.lock:
        existing = state.mute_timings.get(name)
        if existing is None:
            return
        check_provenance(existing["provenance"], provenance, f"mute timing {name}")
        if name in state.used_mute_timings():
            raise ApiError(
                409,
                "Time interval is used by notification policies",
                "alerting.notifications.time-intervals.used",
                {"UsedByRoutes": True},
            )
        del state.mute_timings[name]
