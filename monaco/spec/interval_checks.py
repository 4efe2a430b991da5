"""Checks of time interval names: each defined once (in Settings), each a route names defined (did-you-mean)."""

from __future__ import annotations

import difflib
from typing import Any

from monaco.diagnostics import Diagnostics
from monaco.spec.yaml_loader import Document

ROUTE_FIELDS = ("mute_during", "active_during")
"""The route fields that name time intervals."""


def _entries(value: Any, key: str) -> list[tuple[int, Any]]:
    items = value.get(key) if isinstance(value, dict) else None
    return list(enumerate(items)) if isinstance(items, list) else []


def defined_intervals(documents: list[Document], diagnostics: Diagnostics) -> set[str]:
    """The names Settings documents define under `time_intervals`; a repeated name is MON208."""
    first: dict[str, int] = {}
    for doc in (d for d in documents if d.value.get("kind") == "Settings"):
        for i, interval in _entries(doc.value, "time_intervals"):
            name = interval.get("name") if isinstance(interval, dict) else None
            if not isinstance(name, str):
                continue
            if name in first:
                line = first[name]
                hint = f"the interval at line {line} has this name; interval names must be unique"
                diagnostics.error(
                    "MON208", f"duplicate time interval name {name!r}", doc.span(("time_intervals", i, "name")), hint
                )
            else:
                first[name] = doc.span(("time_intervals", i, "name")).line
    return set(first)


def check_route_intervals(documents: list[Document], diagnostics: Diagnostics) -> None:
    """MON207 for each route (of a Team or Service) naming a time interval no Settings document defines."""
    known = defined_intervals(documents, diagnostics)
    for doc in (d for d in documents if d.value.get("kind") in ("Team", "Service")):
        for i, route in _entries(doc.value, "routes"):
            for field in ROUTE_FIELDS:
                for j, name in _entries(route, field):
                    if isinstance(name, str) and name not in known:
                        close = difflib.get_close_matches(name, sorted(known), n=1)
                        hint = (
                            f"did you mean {close[0]!r}?"
                            if close
                            else "define it under `time_intervals:` in the Settings document"
                        )
                        where = doc.span(("routes", i, field, j))
                        diagnostics.error("MON207", f"route names unknown time interval {name!r}", where, hint)
