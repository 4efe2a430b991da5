"""Settings time intervals as Grafana mute timings, named and spelled as Grafana stores them (pure).

One mute timing per interval a selected service's route uses (`intervals_used_by`), in the provisioning
API's shape `{name, time_intervals: [{times: [{start_time, end_time}], weekdays, days_of_month, months,
years, location}]}` (Alertmanager's `MuteTimeInterval`, which Grafana embeds). Ownership is the name: the
target's `contact_point_prefix`, the target's name, a dot, the interval's name (`monaco-prod.business-hours`).
Neither target nor interval names hold a dot, so the part before it tells exactly which target a timing is
(two targets in one organisation each get their own), and a timing outside that namespace is the user's:
never read into the plan, never changed. The API has no field for a marker (a timing's uid is not in its
JSON), so the name carries it.

Grafana decodes each range and encodes it back when it answers (Alertmanager's `timeinterval`): a weekday
range is names (`monday:friday`, a one-day range one name), a month range numbers (`december` is `12`,
`july:august` `7:8`), days and years numbers, with `a:a` written `a`. `canonical_period` writes that form,
so what monaco renders is byte for byte what a read returns, and the same function normalizes live periods.
"""

from __future__ import annotations

from typing import Any

from monaco.backends.grafana_alerting.config import GrafanaAlertingConfig
from monaco.ir.nodes import Model, Service
from monaco.ir.time_intervals import TimeInterval, intervals_used_by
from monaco.plan.model import Resource
from monaco.spec.time_intervals import MONTHS, WEEKDAYS

MUTE_TIMING = "mute_timing"
PERIOD_KEYS = ("times", "weekdays", "days_of_month", "months", "years", "location")
"""A period's keys, in the order Grafana answers with them."""
TIMING_SERVER_KEYS = ("version", "provenance")
"""What Grafana adds to a mute timing it answers with (optimistic-concurrency version, provenance)."""
SEPARATOR = "."


def mute_timing_name(config: GrafanaAlertingConfig, target: str, interval: str) -> str:
    """The mute timing monaco writes for `target`'s interval: `<prefix><target>.<interval>`."""
    return f"{config.contact_point_prefix}{target}{SEPARATOR}{interval}"


def owns_mute_timing(config: GrafanaAlertingConfig, target: str, name: str) -> bool:
    """Whether a live mute timing's name is in the target's namespace (and so the target's to change): the
    namespace, then one interval name (no dot, so a longer prefix of another target is never taken for it)."""
    namespace = f"{config.contact_point_prefix}{target}{SEPARATOR}"
    rest = name[len(namespace) :]
    return name.startswith(namespace) and bool(rest) and SEPARATOR not in rest


def _member(text: str, names: tuple[str, ...], offset: int) -> int:
    """One end of a range as a number: a name's position (from `offset`) or the integer written."""
    return names.index(text) + offset if text in names else int(text)


def _range(value: Any, names: tuple[str, ...] = (), offset: int = 0, spell: tuple[str, ...] = ()) -> Any:
    """`a` or `a:b` in Grafana's spelling (`spell` gives names for numbers); the value as is when it is not one."""
    text = str(value).strip().lower()
    start, sep, end = text.partition(":")
    try:
        first, last = _member(start, names, offset), _member(end if sep else start, names, offset)
    except ValueError:
        return value

    def word(number: int) -> str:
        return spell[number - offset] if spell and 0 <= number - offset < len(spell) else str(number)

    return word(first) if first == last else f"{word(first)}:{word(last)}"


def _spelled(key: str, value: Any) -> Any:
    """One entry of a period's range list in Grafana's spelling."""
    if key == "weekdays":
        return _range(value, WEEKDAYS, 0, WEEKDAYS)
    if key == "months":
        return _range(value, MONTHS, 1)
    return _range(value)


def canonical_period(period: dict[str, Any]) -> dict[str, Any]:
    """A period as Grafana stores and returns it (unset and empty fields dropped, ranges re-spelled)."""
    found: dict[str, Any] = {}
    for key in PERIOD_KEYS:
        value = period.get(key)
        if value in (None, "", []):
            continue
        if key == "times" and isinstance(value, list):
            found[key] = [
                {"start_time": t.get("start_time"), "end_time": t.get("end_time")} if isinstance(t, dict) else t
                for t in value
            ]
        elif key != "location" and isinstance(value, list):
            found[key] = [_spelled(key, v) for v in value]
        else:
            found[key] = value
    return found


def mute_timing_body(name: str, interval: TimeInterval) -> dict[str, Any]:
    """The mute timing's request body (and its normalized live form)."""
    periods = [canonical_period(p.model_dump(exclude_none=True)) for p in interval.spec.intervals]
    return {"name": name, "time_intervals": periods}


def canonical_mute_timing(raw: dict[str, Any]) -> dict[str, Any]:
    """A live mute timing as monaco renders one: Grafana's version and provenance dropped, periods canonical."""
    periods = raw.get("time_intervals") or []
    return {
        "name": raw.get("name"),
        "time_intervals": [canonical_period(p) for p in periods if isinstance(p, dict)],
    }


def mute_timings(
    config: GrafanaAlertingConfig, target: str, model: Model, services: tuple[Service, ...]
) -> list[Resource]:
    """A mute timing per interval some route of `services` mutes or is active during, sorted by interval."""
    return [
        Resource(
            MUTE_TIMING,
            name := mute_timing_name(config, target, interval.name),
            mute_timing_body(name, interval),
            address=f"time_intervals/{interval.name}",
        )
        for interval in intervals_used_by(model.time_intervals, services)
    ]
