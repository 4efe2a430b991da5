"""Synthetic input series for an SLO's SLI, in promtool notation, that produce a chosen error ratio over time."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from re import _parser as sre  # type: ignore[attr-defined]
from typing import Any

import promql_parser

from monaco.backends.promrules.promql import parse_query
from monaco.backends.promrules.sources import PromHistogram, PromMetric, PromSource, prom_histogram, prom_source
from monaco.ir.burnrate import format_decimal
from monaco.ir.nodes import Slo
from monaco.spec.sources import Sources

Segment = tuple[Decimal, int]
"""An error ratio held for a number of minutes."""
Constraint = tuple[str, str]
"""A label matcher as (op, value), op one of =, !=, =~, !~."""
_FILLERS = ("monaco", "ok", "200", "0", "x", "get")


class CannotSynthesise(ValueError):
    """The SLI's queries are too free-form to derive input series from (write tests in the spec)."""


@dataclass(frozen=True, slots=True)
class Source:
    """One vector selector an SLI reads: metric name and label constraints."""

    metric: str
    constraints: tuple[tuple[str, Constraint], ...]


def _from_metric(metric: PromMetric) -> Source:
    cons = tuple((k, ("=~", v[1:]) if v.startswith("~") else ("=", v)) for k, v in sorted(metric.matchers.items()))
    return Source(metric.metric, cons)


_OPS = {"MatchOp.Equal": "=", "MatchOp.NotEqual": "!=", "MatchOp.Re": "=~", "MatchOp.NotRe": "!~"}


def _from_query(query: str) -> Source:
    found: list[Any] = []

    def visit(node: Any) -> bool:
        if isinstance(node, promql_parser.VectorSelector):
            found.append(node)
        return True

    tree = parse_query(query).tree
    if tree is None:
        raise CannotSynthesise(f"the in-process parser cannot read {query!r}")
    promql_parser.walk(tree, visit)
    if len(found) != 1 or not found[0].name:
        raise CannotSynthesise(f"expected one named series selector in {query!r}, found {len(found)}")
    cons = tuple((m.name, (_OPS[str(m.op)], m.value)) for m in found[0].matchers.matchers if m.name != "__name__")
    return Source(found[0].name, cons)


def source_of(side: Sources | PromSource | None) -> Source:
    """The selector behind a Prometheus SLI source (PromMetric or a one-selector query)."""
    prom = side if isinstance(side, str | PromMetric) else prom_source(side)
    if isinstance(prom, PromMetric):
        return _from_metric(prom)
    if isinstance(prom, str):
        return _from_query(prom)
    raise CannotSynthesise("no Prometheus source")


def histogram_of(slo: Slo) -> PromHistogram:
    """A latency SLO's Prometheus histogram; raises CannotSynthesise when it has none."""
    histogram = prom_histogram(slo.sli.latency)
    if histogram is None:
        raise CannotSynthesise("no Prometheus histogram")
    return histogram


def regex_example(pattern: str) -> str:
    """A short string the (RE2-style, fully anchored) pattern matches; CannotSynthesise when unsure."""
    try:
        text = _walk(sre.parse(pattern))
    except (KeyError, IndexError, TypeError, re.error) as exc:
        raise CannotSynthesise(f"cannot find a value matching /{pattern}/") from exc
    if re.fullmatch(pattern, text) is None:
        raise CannotSynthesise(f"cannot find a value matching /{pattern}/")
    return text


def _walk(parsed: Any) -> str:
    out = []
    for op, arg in parsed:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name in ("ANY", "NOT_LITERAL"):
            out.append("0" if arg != ord("0") else "1")
        elif name == "IN":
            out.append(_in_set(arg))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            out.append(_walk(arg[2]) * arg[0])
        elif name == "SUBPATTERN":
            out.append(_walk(arg[-1]))
        elif name == "BRANCH":
            out.append(_walk(arg[1][0]))
        elif name == "AT":
            continue
        else:
            raise KeyError(name)
    return "".join(out)


def _in_set(items: Sequence[Any]) -> str:
    negate = str(items[0][0]) == "NEGATE"
    members = items[1:] if negate else items
    for c in "0a5xA_-. /":
        if any(_char_in(c, op, arg) for op, arg in members) != negate:
            return c
    if negate:
        raise KeyError("NEGATE")
    op, arg = members[0]
    return chr(arg) if str(op) == "LITERAL" else chr(arg[0])


def _char_in(c: str, op: Any, arg: Any) -> bool:
    name = str(op)
    if name == "LITERAL":
        return bool(ord(c) == arg)
    if name == "RANGE":
        return bool(arg[0] <= ord(c) <= arg[1])
    if name == "CATEGORY":
        return {
            "CATEGORY_DIGIT": c.isdigit(),
            "CATEGORY_SPACE": c.isspace(),
            "CATEGORY_WORD": c.isalnum() or c == "_",
        }.get(str(arg), False)
    raise KeyError(name)


def satisfies(value: str, constraint: Constraint) -> bool:
    """True when a label value meets one matcher."""
    op, want = constraint
    if op == "=":
        return value == want
    if op == "!=":
        return value != want
    matched = re.fullmatch(want, value) is not None
    return matched if op == "=~" else not matched


def _candidates(constraints: Sequence[Constraint]) -> list[str]:
    out: list[str] = [v for op, v in constraints if op == "="]
    for op, v in constraints:
        if op == "=~":
            with contextlib.suppress(CannotSynthesise):
                out.append(regex_example(v))
    return out + list(_FILLERS)


def labels_for(include: Sequence[Source], exclude: Source | None = None) -> dict[str, str]:
    """Labels a series needs to match every `include` selector and (when given) not match `exclude`."""
    constraints: dict[str, list[Constraint]] = {}
    for source in include:
        for label, cons in source.constraints:
            constraints.setdefault(label, []).append(cons)
    labels: dict[str, str] = {}
    for label, wanted in sorted(constraints.items()):
        value = next((c for c in _candidates(wanted) if all(satisfies(c, x) for x in wanted)), None)
        if value is None:
            raise CannotSynthesise(f"no value of label {label!r} satisfies {wanted}")
        labels[label] = value
    if exclude is not None:
        labels = _violate(labels, constraints, exclude)
    return labels


def _violate(labels: dict[str, str], fixed: Mapping[str, list[Constraint]], exclude: Source) -> dict[str, str]:
    for label, cons in exclude.constraints:
        if label in fixed:
            if not satisfies(labels[label], cons):
                return labels
            continue
        for candidate in (*_FILLERS, "monaco-other"):
            if not satisfies(candidate, cons):
                return {**labels, label: candidate}
    raise CannotSynthesise("cannot build a series that the total counts but the bad (or good) query does not")


def series_text(metric: str, labels: Mapping[str, str]) -> str:
    """A series in promtool notation: `metric{a="b"}`."""
    inner = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    return f"{metric}{{{inner}}}" if inner else metric


def counter_values(per_minute: Sequence[Segment], scale: Decimal) -> str:
    """Expanding notation for a counter growing `ratio x scale` per minute in each segment."""
    parts, value, first = [], Decimal(0), True
    for ratio, minutes in per_minute:
        step = ratio * scale
        count = minutes if first else minutes - 1
        start = value if first else value + step
        if count >= 0:
            parts.append(f"{format_decimal(start)}+{format_decimal(step)}x{count}")
        value = start + step * count
        first = False
    return " ".join(parts)


def gauge_values(segments: Sequence[Segment]) -> str:
    """Repeat notation for a 0..1 gauge at `1 - ratio` in each segment."""
    parts, first = [], True
    for ratio, minutes in segments:
        count = minutes if first else minutes - 1
        if count >= 0:
            parts.append(f"{format_decimal(Decimal(1) - ratio)}x{count}")
        first = False
    return " ".join(parts)


def sli_series(slo: Slo, segments: Sequence[Segment], scale: Decimal, group: Mapping[str, str]) -> list[dict[str, str]]:
    """promtool `input_series` that give the SLI the error ratio of each segment, for one group."""
    sli = slo.sli
    if sli.latency is not None:
        lat = histogram_of(slo)
        base = {**labels_for([_from_metric(PromMetric(metric=lat.metric, matchers=lat.matchers))]), **group}
        le = format_decimal(Decimal(repr(sli.latency.threshold)))
        good = [(Decimal(1) - r, m) for r, m in segments]
        return [
            {
                "series": series_text(lat.metric + "_count", base),
                "values": counter_values([(Decimal(1), m) for _, m in segments], scale),
            },
            {"series": series_text(lat.metric + "_bucket", {**base, "le": le}), "values": counter_values(good, scale)},
        ]
    if sli.gauge is not None:
        src = source_of(sli.gauge)
        return [{"series": series_text(src.metric, {**labels_for([src]), **group}), "values": gauge_values(segments)}]
    assert sli.ratio is not None
    total = source_of(sli.ratio.total)
    part = source_of(sli.ratio.bad or sli.ratio.good)
    counted = list(segments) if sli.ratio.bad is not None else [(Decimal(1) - r, m) for r, m in segments]
    rest = [(Decimal(1) - r, m) for r, m in counted]
    if part.metric == total.metric:
        part_labels = {**labels_for([part, total]), **group}
        rest_labels = {**labels_for([total], exclude=part), **group}
        return [
            {"series": series_text(part.metric, part_labels), "values": counter_values(counted, scale)},
            {"series": series_text(total.metric, rest_labels), "values": counter_values(rest, scale)},
        ]
    everything = [(Decimal(1), m) for _, m in segments]
    return [
        {"series": series_text(part.metric, {**labels_for([part]), **group}), "values": counter_values(counted, scale)},
        {
            "series": series_text(total.metric, {**labels_for([total]), **group}),
            "values": counter_values(everything, scale),
        },
    ]
