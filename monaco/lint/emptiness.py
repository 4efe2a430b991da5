"""When a PromQL expression certainly returns no series: a selector that matches nothing, or a match that cannot.

Sound, not complete: "no series" is followed only through what gives nothing for nothing (functions that map
series to series, aggregations, `and`, arithmetic and comparisons; not `absent`, `or`, `vector`, `scalar`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import promql_parser

from monaco.lint.queries import children

EMPTY_IN_EMPTY_OUT = frozenset(
    [
        "rate",
        "increase",
        "irate",
        "delta",
        "idelta",
        "deriv",
        "predict_linear",
        "changes",
        "resets",
        "abs",
        "ceil",
        "floor",
        "round",
        "exp",
        "ln",
        "log2",
        "log10",
        "sqrt",
        "sgn",
        "clamp",
        "clamp_min",
        "clamp_max",
        "label_replace",
        "label_join",
        "sort",
        "sort_desc",
        "histogram_quantile",
        "timestamp",
        "avg_over_time",
        "min_over_time",
        "max_over_time",
        "sum_over_time",
        "count_over_time",
        "last_over_time",
        "quantile_over_time",
        "stddev_over_time",
        "stdvar_over_time",
        "present_over_time",
    ]
)
"""Functions that return no series when their series argument has none (Prometheus' function docs)."""
KEEP_LABELS = frozenset(
    {
        "rate",
        "increase",
        "irate",
        "delta",
        "idelta",
        "deriv",
        "abs",
        "ceil",
        "floor",
        "round",
        "clamp",
        "clamp_min",
        "clamp_max",
        "avg_over_time",
        "min_over_time",
        "max_over_time",
        "sum_over_time",
        "last_over_time",
    }
)
"""Functions whose result series keep their argument's labels (except the metric name)."""


@dataclass(frozen=True, slots=True)
class Empty:
    """Why an expression has no series, and a pattern finding the written place that says so."""

    reason: str
    place: str


def contradiction(selector: promql_parser.VectorSelector) -> Empty | None:
    """A matcher its selector's other matchers contradict (`{a="x", a="y"}`, `{a="x", a!="x"}`), or None."""
    if selector.matchers.or_matchers:
        return None
    equal: dict[str, str] = {}
    clash: tuple[str, str, str] | None = None
    for m in selector.matchers.matchers:
        if m.op == promql_parser.MatchOp.Equal:
            if m.name in equal and equal[m.name] != m.value:
                clash = clash or (m.name, "=", m.value)
            equal.setdefault(m.name, m.value)
    for m in selector.matchers.matchers:
        if m.op == promql_parser.MatchOp.NotEqual and equal.get(m.name) == m.value:
            clash = clash or (m.name, "!=", m.value)
    if clash is None:
        return None
    label, op, value = clash
    return Empty(
        f"the selector's matchers on {label!r} contradict each other, so it matches no series",
        rf"\b{re.escape(label)}\s*{op}\s*[\"']{re.escape(value)}[\"']",
    )


def _drops(node: Any, label: str) -> bool:
    """True when `node` is an aggregation whose result certainly lacks `label` (`sum by (job)`, `sum without`)."""
    while isinstance(node, promql_parser.ParenExpr):
        node = node.expr
    if not isinstance(node, promql_parser.AggregateExpr) or str(node.op) in (
        "topk",
        "bottomk",
        "limitk",
        "limit_ratio",
        "count_values",
    ):
        return False
    if node.modifier is None:
        return True
    listed = label in node.modifier.labels
    return listed if node.modifier.type == promql_parser.AggModifierType.Without else not listed


def _pins(node: Any, label: str) -> str | None:
    """The non-empty value `node`'s series certainly carry in `label` (a selector's `label="v"`), or None."""
    while isinstance(node, (promql_parser.ParenExpr, promql_parser.MatrixSelector)) or (
        isinstance(node, promql_parser.Call) and node.func.name in KEEP_LABELS
    ):
        node = next((c for c in children(node) if not isinstance(c, promql_parser.NumberLiteral)), None)
    if not isinstance(node, promql_parser.VectorSelector):
        return None
    return next(
        (
            m.value
            for m in node.matchers.matchers
            if m.op == promql_parser.MatchOp.Equal and m.name == label and m.value
        ),
        None,
    )


def unmatchable(node: promql_parser.BinaryExpr) -> Empty | None:
    """`on(label)` between a side that dropped `label` and a side that carries it with a value: no pair matches."""
    matching = node.modifier.matching if node.modifier is not None else None
    if matching is None or matching.type != promql_parser.LabelModifierType.Include:
        return None
    for label in matching.labels:
        for dropped, pinned in ((node.lhs, node.rhs), (node.rhs, node.lhs)):
            value = _pins(pinned, label)
            if value is not None and _drops(dropped, label):
                return Empty(
                    f"`on({label})` matches an aggregation that dropped {label!r} with series whose {label} is "
                    f"{value!r}, so no pair matches",
                    r"\bon\s*\(",
                )
    return None


def empty(node: Any) -> Empty | None:
    """Why `node` certainly has no series, or None when it may have some."""
    if isinstance(node, promql_parser.VectorSelector):
        return contradiction(node)
    if isinstance(node, promql_parser.Call):
        if node.func.name not in EMPTY_IN_EMPTY_OUT:
            return None
        series = [c for c in children(node) if not isinstance(c, promql_parser.NumberLiteral)]
        return next((e for c in series for e in [empty(c)] if e is not None), None)
    if isinstance(node, promql_parser.BinaryExpr):
        return _binary(node)
    if isinstance(node, (promql_parser.AggregateExpr, promql_parser.ParenExpr, promql_parser.MatrixSelector)):
        return empty(children(node)[0])
    if isinstance(node, (promql_parser.SubqueryExpr, promql_parser.UnaryExpr)):
        return empty(node.expr)
    return None


def _binary(node: promql_parser.BinaryExpr) -> Empty | None:
    """`or` is empty when both sides are, `unless` when its left is, every other operator when either is."""
    op = str(node.op)
    left, right = empty(node.lhs), empty(node.rhs)
    if op == "or":
        return left if left is not None and right is not None else None
    if op == "unless":
        return left
    return left or right or unmatchable(node)
