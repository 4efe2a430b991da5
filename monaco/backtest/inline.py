"""Recording rules inlined into an alert's expression, so that the history of the raw series suffices.

A backtest asks about a past in which the recordings an alert reads (monaco's SLO ratios, a service's
own `record:` rules) may not have been recorded yet. Each selector of a recorded name is replaced by
the recording's own expression, in parentheses; a range over a recording (`sum_over_time(r[6h])`)
becomes a subquery at the recording's evaluation interval (`(expr)[6h:1m]`), which is how the rule
manager would have filled it. A selector is inlined only when each of its matchers is an equality the
recording's static labels satisfy (monaco's `{service="…",slo="…"}`); any other selector is left as it
is and read from history. Recordings read by recordings are inlined too, to a bounded depth.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from monaco.spec.types import DEFAULT_EVALUATION_SECONDS, format_duration, parse_duration

MAX_DEPTH = 8
"""Recordings reading recordings are inlined this deep at most."""
_MATCHERS = r"\{(?:[^}\"']|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')*\}"
_MATCHER = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!=|!~|=)\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')\s*,?")


@dataclass(frozen=True, slots=True)
class Recording:
    """One recording rule: its name, expression, static labels and its group's evaluation interval."""

    name: str
    expr: str
    labels: tuple[tuple[str, str], ...]
    interval_seconds: int


def recordings(groups: Iterable[Mapping[str, Any]]) -> list[Recording]:
    """Every recording rule of the given rule groups (bodies as rendered or read back)."""
    found = []
    for group in groups:
        interval = _interval(group.get("interval"))
        for rule in group.get("rules") or []:
            if isinstance(rule, Mapping) and "record" in rule and "expr" in rule:
                labels = tuple(sorted((str(k), str(v)) for k, v in (rule.get("labels") or {}).items()))
                found.append(Recording(str(rule["record"]), str(rule["expr"]), labels, interval))
    return found


def _interval(value: object) -> int:
    try:
        return parse_duration(str(value)) if value else DEFAULT_EVALUATION_SECONDS
    except ValueError:
        return DEFAULT_EVALUATION_SECONDS


def inline(expr: str, known: Iterable[Recording]) -> str:
    """`expr` with every inlinable selector of a recording replaced by the recording's expression."""
    by_name: dict[str, list[Recording]] = {}
    for recording in known:
        by_name.setdefault(recording.name, []).append(recording)
    if not by_name:
        return expr
    names = "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w:.\"'])({names})(?![\w:])(\s*{_MATCHERS})?(\s*\[[^\]]*\])?")
    for _ in range(MAX_DEPTH):
        replaced = pattern.sub(lambda m: _replacement(m, by_name), expr)
        if replaced == expr:
            break
        expr = replaced
    return expr


def _replacement(match: re.Match[str], by_name: Mapping[str, list[Recording]]) -> str:
    """The inlined text of one selector, or the selector unchanged when it cannot be inlined exactly."""
    name, matchers, window = match.group(1), match.group(2), match.group(3)
    wanted = _equalities(matchers.strip()[1:-1]) if matchers else {}
    if wanted is None:
        return match.group(0)
    chosen = [r for r in by_name[name] if all(dict(r.labels).get(k) == v for k, v in wanted.items())]
    if not chosen:
        return match.group(0)
    body = " or ".join(f"({r.expr.strip()})" for r in chosen)
    inlined = f"({body})" if len(chosen) > 1 else body
    if window is None:
        return inlined
    inside = window.strip()[1:-1].strip()
    if ":" not in inside:
        inside = f"{inside}:{format_duration(min(r.interval_seconds for r in chosen))}"
    return f"{inlined}[{inside}]"


def _equalities(text: str) -> dict[str, str] | None:
    """`a="x", b="y"` as a mapping; None when any matcher is not an equality (or the text does not parse)."""
    found: dict[str, str] = {}
    position = 0
    while position < len(text.strip()):
        match = _MATCHER.match(text, position)
        if match is None or match.group(2) != "=":
            return None
        found[match.group(1)] = _unquote(match.group(3))
        position = match.end()
        if not text[position:].strip():
            break
    return found


def _unquote(literal: str) -> str:
    body = literal[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)
