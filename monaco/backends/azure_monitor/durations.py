"""ISO-8601 durations as Azure writes and reads them, canonical in one form (`PT01M00S` and `PT1M` are one value).

The fixed sets of values Azure accepts are kept here with their sources, so render checks them at
validate time with the spec line.
"""

from __future__ import annotations

import re

_ISO = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$", re.IGNORECASE)
MINUTE = 60
HOUR = 3600
DAY = 86400

METRIC_FREQUENCIES = (60, 300, 900, 1800, 3600)
"""Metric alert `evaluationFrequency`: PT1M, PT5M, PT15M, PT30M, PT1H (terraform-provider-azurerm
`monitor_metric_alert_resource.go`, `frequency`; backends.md §3.2)."""
METRIC_WINDOWS = (60, 300, 900, 1800, 3600, 6 * HOUR, 12 * HOUR, DAY)
"""Metric alert `windowSize`: PT1M … P1D (same source, `window_size`); it must be ≥ the frequency."""
LOG_FREQUENCIES = (60, 300, 600, 900, 1800, 2700, 3600, 2 * HOUR, 3 * HOUR, 4 * HOUR, 5 * HOUR, 6 * HOUR, DAY)
"""Log alert `evaluationFrequency`: PT1M…PT6H and P1D (azurerm `monitor_scheduled_query_rules_alert_v2` docs)."""
LOG_MAX_WINDOW = 2 * DAY
"""Log alert `windowSize` is at most P2D (same docs; backends.md §3.2)."""
RULE_GROUP_INTERVALS = range(MINUTE, 15 * MINUTE + 1, MINUTE)
"""Prometheus rule group `interval`: whole minutes PT1M-PT15M (`PrometheusRuleGroups.json` 2023-03-01)."""


def iso_seconds(text: str) -> int:
    """The whole seconds of an ISO-8601 duration (`PT01M00S`, `P1D`, `PT1H30M`); ValueError if malformed."""
    found = _ISO.match(text.strip())
    if found is None or text.strip().upper() in ("P", "PT"):
        raise ValueError(f"{text!r} is not an ISO-8601 duration")
    days, hours, minutes, seconds = (float(part) if part else 0.0 for part in found.groups())
    return int(days * DAY + hours * HOUR + minutes * MINUTE + seconds)


def iso_duration(seconds: int) -> str:
    """The canonical ISO-8601 form Azure echoes: whole days as `P1D`, else `PT1H30M`, `PT5M`, `PT30S`."""
    if seconds > 0 and seconds % DAY == 0:
        return f"P{seconds // DAY}D"
    hours, rest = divmod(seconds, HOUR)
    minutes, secs = divmod(rest, MINUTE)
    parts = [f"{hours}H" if hours else "", f"{minutes}M" if minutes else "", f"{secs}S" if secs else ""]
    return "PT" + ("".join(parts) or "0S")


def canonical_iso(value: object) -> object:
    """`value` as a canonical ISO duration when it is one, else unchanged (a body field read back from Azure)."""
    if not isinstance(value, str):
        return value
    try:
        return iso_duration(iso_seconds(value))
    except ValueError:
        return value


def fixed_set_problem(what: str, seconds: int, allowed: tuple[int, ...] | range) -> str | None:
    """Why `seconds` is not one of the `allowed` values of `what`, or None when it is."""
    if seconds in allowed:
        return None
    names = ", ".join(iso_duration(v) for v in allowed) if isinstance(allowed, tuple) else "PT1M…PT15M"
    return f"{what} {iso_duration(seconds)} is not one Azure accepts ({names})"
