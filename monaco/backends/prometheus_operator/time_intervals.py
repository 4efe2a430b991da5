"""Settings time intervals in the AlertmanagerConfig v1alpha1 shape, `spec.muteTimeIntervals` (pure).

v1alpha1 (the apiVersion this backend writes) names them `muteTimeIntervals`, each `{name, timeIntervals:
[{times: [{startTime, endTime}], weekdays, daysOfMonth: [{start, end}], months, years}]}`
(prometheus-operator `pkg/apis/monitoring/v1alpha1/alertmanager_config_types.go`); routes name them in
`muteTimeIntervals` and `activeTimeIntervals`. The operator scopes each name to its object
(`<namespace>/<object>/<name>`, `pkg/alertmanager/amcfg.go`), so every service's object defines the
intervals its own routes use. A period has no `location` at this version: the operator's Alertmanager reads
its times in UTC. A location that is UTC by another name is dropped as the same thing; any other is MON504,
at the level the target sets, and the period is written without it (its times then read in UTC).
"""

from __future__ import annotations

from typing import Any

from monaco.ir.time_intervals import TimeInterval
from monaco.spec.time_intervals import TimePeriod

LOCATION_NOT_KEPT = "MON504"
UTC_NAMES = frozenset(
    {
        "UTC",
        "Etc/UTC",
        "UCT",
        "Etc/UCT",
        "Universal",
        "Etc/Universal",
        "Zulu",
        "Etc/Zulu",
        "GMT",
        "Etc/GMT",
        "GMT0",
        "Etc/GMT0",
        "GMT+0",
        "Etc/GMT+0",
        "GMT-0",
        "Etc/GMT-0",
        "Greenwich",
        "Etc/Greenwich",
    }
)
"""IANA names of zones that are UTC at every instant (no offset, no daylight saving): the operator's default."""


def _day_range(text: str) -> dict[str, int]:
    """`1`, `1:15` or `-3:-1` as v1alpha1's `{start, end}` (both always set: the operator refuses a 0)."""
    start, _, end = text.partition(":")
    return {"start": int(start), "end": int(end or start)}


def period_body(period: TimePeriod) -> dict[str, Any]:
    """One period in v1alpha1's camelCase shape; the fields the spec leaves unset are left out."""
    body: dict[str, Any] = {}
    if period.times:
        body["times"] = [{"startTime": t.start_time, "endTime": t.end_time} for t in period.times]
    if period.weekdays:
        body["weekdays"] = list(period.weekdays)
    if period.days_of_month:
        body["daysOfMonth"] = [_day_range(day) for day in period.days_of_month]
    if period.months:
        body["months"] = list(period.months)
    if period.years:
        body["years"] = list(period.years)
    return body


def mute_time_interval(interval: TimeInterval) -> dict[str, Any]:
    """The interval as one `spec.muteTimeIntervals` entry."""
    return {"name": interval.name, "timeIntervals": [period_body(p) for p in interval.spec.intervals]}


def zoned_locations(interval: TimeInterval) -> list[str]:
    """The locations of the interval's periods that are not UTC (what v1alpha1 cannot say), once each."""
    found = (p.location for p in interval.spec.intervals if p.location is not None and p.location not in UTC_NAMES)
    return list(dict.fromkeys(found))
