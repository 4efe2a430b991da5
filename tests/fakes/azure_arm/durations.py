"""ISO-8601 durations as ARM reads and writes them: parse what any SDK sends, echo the canonical form.

The SDKs differ on the wire: azure-mgmt-monitor sends `PT5M`, azure-mgmt-prometheusrulegroups sends
`PT01M00S` / `P3DT01H00M00S` and a zero duration as a bare `P` (feasibility §5). ARM services are .NET
`TimeSpan`s and echo `XmlConvert.ToString(TimeSpan)` on read: the REST spec example
`createOrUpdateMetricAlertSingleResource.json` (2018-03-01) is written with `Pt1m` and the matching
`getMetricAlertSingleResource.json` reads back `PT1M`. So the fake parses leniently (case-insensitive,
zero-padded) and stores the shortest form: `PT1M`, `PT1H30M`, `P1D`, `PT0S`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

_DURATION = re.compile(
    r"^P(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$",
    re.IGNORECASE,
)


def parse_duration(text: str) -> timedelta:
    """The duration `text` means; ValueError for what a TimeSpan cannot hold (`P`, `PT`, months, years)."""
    match = _DURATION.match(text)
    if match is None or not any(match.groupdict().values()):
        raise ValueError(f"{text!r} is not an ISO 8601 duration")
    parts = {unit: float(value) for unit, value in match.groupdict().items() if value is not None}
    return timedelta(**parts)


def format_duration(duration: timedelta) -> str:
    """The canonical (XmlConvert) spelling of `duration`: `PT5M`, `P1D`, `P1DT1H`, `PT0S`."""
    total = duration.total_seconds()
    days, rest = divmod(int(total), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    fraction = total - int(total)
    date_part = f"{days}D" if days else ""
    time_part = "".join(f"{value}{unit}" for value, unit in ((hours, "H"), (minutes, "M")) if value)
    if seconds or fraction:
        time_part += f"{seconds + fraction:g}S"
    if not date_part and not time_part:
        return "PT0S"
    return f"P{date_part}" + (f"T{time_part}" if time_part else "")


def _places(document: Any, path: tuple[str, ...]) -> Iterator[tuple[dict[str, Any], str]]:
    """Every (mapping, key) that `path` reaches in `document`; `*` steps into each item of a list."""
    if not path or document is None:
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for item in document if isinstance(document, list) else []:
            yield from _places(item, rest)
    elif isinstance(document, dict) and head in document:
        if rest:
            yield from _places(document[head], rest)
        else:
            yield document, head


def canonicalise_durations(document: dict[str, Any], paths: tuple[str, ...]) -> list[str]:
    """Rewrite each duration at the dotted `paths` in canonical form; the paths whose value does not parse."""
    invalid: list[str] = []
    for dotted in paths:
        for holder, key in _places(document, tuple(dotted.split("."))):
            value = holder[key]
            if value is None:
                continue
            try:
                holder[key] = format_duration(parse_duration(str(value)))
            except ValueError:
                invalid.append(f"{dotted}={value!r}")
    return invalid
