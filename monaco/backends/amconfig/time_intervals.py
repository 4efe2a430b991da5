"""Time intervals in an Alertmanager config: rendered from the IR, merged beside the base config's, split back.

Alertmanager (0.24+) reads named intervals from the top-level `time_intervals:` (the older
`mute_time_intervals:` holds the same shape); routes name them in `mute_time_intervals` and
`active_time_intervals`. monaco's intervals come first, then the base config's, which are never changed;
a name both define is refused at render time (the caller's code).
"""

from __future__ import annotations

from typing import Any

from monaco.diagnostics import Diagnostic
from monaco.ir.time_intervals import TimeInterval
from monaco.plan.model import Resource

KIND = "time_interval"
BASE_KEYS = ("time_intervals", "mute_time_intervals")
"""Top-level keys of a base config that define named intervals."""


def interval_body(interval: TimeInterval) -> dict[str, Any]:
    """The interval in Alertmanager's format: `{name, time_intervals: [{times, weekdays, ...}]}`."""
    periods = [period.model_dump(exclude_none=True) for period in interval.spec.intervals]
    return {"name": interval.name, "time_intervals": periods}


def base_interval_names(base: dict[str, Any]) -> set[str]:
    """The interval names a base config defines (under either top-level key)."""
    names: set[str] = set()
    for key in BASE_KEYS:
        entries = base.get(key)
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                names.add(entry["name"])
    return names


def interval_resources(
    intervals: list[TimeInterval], base: dict[str, Any], code: str, where: str
) -> tuple[list[Resource], list[Diagnostic]]:
    """A resource per interval; one whose name the base config (`where`) also defines is `code` instead."""
    taken = base_interval_names(base)
    resources: list[Resource] = []
    problems: list[Diagnostic] = []
    for interval in intervals:
        if interval.name in taken:
            problems.append(
                Diagnostic(
                    code,
                    f"time interval {interval.name!r} is also defined in {where}",
                    interval.origin,
                    "rename the Settings interval; the base config's intervals belong to the platform team",
                )
            )
            continue
        resources.append(Resource(KIND, interval.name, interval_body(interval)))
    return resources, problems


def merge_intervals(config: dict[str, Any], bodies: list[dict[str, Any]]) -> None:
    """Put monaco's interval bodies first under `time_intervals`, before the base config's (in place)."""
    if bodies or config.get("time_intervals"):
        config["time_intervals"] = bodies + list(config.get("time_intervals") or [])


def split_intervals(config: dict[str, Any], keys: list[str]) -> list[Resource]:
    """monaco's intervals (those `keys` name) taken out of a live config, which keeps the rest (in place)."""
    owned = {k.removeprefix(f"{KIND}.") for k in keys if k.startswith(f"{KIND}.")}
    live = config.get("time_intervals")
    if not owned or not isinstance(live, list):
        return []
    mine = [e for e in live if isinstance(e, dict) and e.get("name") in owned]
    rest = [e for e in live if not (isinstance(e, dict) and e.get("name") in owned)]
    if rest:
        config["time_intervals"] = rest
    else:
        del config["time_intervals"]
    return [Resource(KIND, str(e["name"]), e) for e in mine]
