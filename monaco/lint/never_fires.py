"""MON1105: no alert that can never fire: a false comparison of constants, or a selector that matches nothing.

Only what is certain is reported: a selector whose matchers contradict each other (`{a="x", a="y"}`,
`{a="x", a!="x"}`) selects no series, and an expression built from it only through functions, aggregations
and operators that give nothing for nothing (not `absent`, `or`, `vector`) is empty, so the alert cannot fire.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator
from typing import Any

import promql_parser

from monaco.diagnostics import Level
from monaco.lint.context import LintContext
from monaco.lint.queries import Query, children, source_places, tree
from monaco.lint.rule import Finding, Rule

COMPARE: dict[str, Callable[[float, float], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    "<": operator.lt,
    ">=": operator.ge,
    "<=": operator.le,
}
WHEN: dict[str, str] = {
    "above": ">",
    "above_or_equal": ">=",
    "below": "<",
    "below_or_equal": "<=",
    "equal": "==",
    "not_equal": "!=",
}
"""A spec condition as the comparison backends render (`(query) > threshold`)."""
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


def constant(node: Any) -> float | None:
    """The value of a number, `(number)` or `vector(number)`; None for anything else."""
    if isinstance(node, promql_parser.NumberLiteral):
        return float(node.val)
    if isinstance(node, promql_parser.ParenExpr):
        return constant(node.expr)
    if isinstance(node, promql_parser.Call) and node.func.name == "vector" and node.args:
        return constant(node.args[0])
    return None


def contradiction(selector: promql_parser.VectorSelector) -> tuple[str, str, str] | None:
    """(label, operator, value) of a matcher its selector's other matchers contradict, or None."""
    equal: dict[str, str] = {}
    found = selector.matchers.matchers
    for m in found:
        if m.op == promql_parser.MatchOp.Equal:
            if m.name in equal and equal[m.name] != m.value:
                return m.name, "=", m.value
            equal[m.name] = m.value
    for m in found:
        if m.op == promql_parser.MatchOp.NotEqual and equal.get(m.name) == m.value:
            return m.name, "!=", m.value
    return None


def empty(node: Any) -> promql_parser.VectorSelector | None:
    """The contradictory selector that makes `node` certainly empty, or None when it may have series."""
    if isinstance(node, promql_parser.VectorSelector):
        return node if not node.matchers.or_matchers and contradiction(node) else None
    if isinstance(node, promql_parser.Call):
        if node.func.name not in EMPTY_IN_EMPTY_OUT:
            return None
        series = [c for c in children(node) if not isinstance(c, promql_parser.NumberLiteral)]
        return next((e for c in series for e in [empty(c)] if e is not None), None)
    if isinstance(node, promql_parser.BinaryExpr):
        op = str(node.op)
        sides = [empty(node.lhs), empty(node.rhs)]
        if op == "or":
            return sides[0] if sides[0] is not None and sides[1] is not None else None
        if op == "unless":
            return sides[0]
        return sides[0] or sides[1]
    if isinstance(node, (promql_parser.AggregateExpr, promql_parser.ParenExpr, promql_parser.MatrixSelector)):
        return empty(children(node)[0])
    if isinstance(node, (promql_parser.SubqueryExpr, promql_parser.UnaryExpr)):
        return empty(node.expr)
    return None


def _root(node: Any) -> Any:
    while isinstance(node, promql_parser.ParenExpr):
        node = node.expr
    return node


def _constant_comparison(root: Any, when: tuple[str, float] | None) -> str | None:
    """`a > b` of two constants (the query's own, or the query against the spec's threshold) that is false."""
    if when is not None:
        value = constant(root)
        op, threshold = WHEN[when[0]], when[1]
        if value is not None and not COMPARE[op](value, threshold):
            return f"{value:g} {op} {threshold:g}"
        return None
    if isinstance(root, promql_parser.BinaryExpr) and str(root.op) in COMPARE:
        left, right = constant(root.lhs), constant(root.rhs)
        bool_ = root.modifier is not None and root.modifier.return_bool
        if left is not None and right is not None and not bool_ and not COMPARE[str(root.op)](left, right):
            return f"{left:g} {root.op} {right:g}"
    return None


def _problems(query: Query, when: tuple[str, float] | None) -> Iterator[Finding]:
    root = tree(query)
    if root is None:
        return
    false = _constant_comparison(_root(root), when)
    if false is not None:
        yield Finding(f"the condition compares constants and is always false ({false})", query.span(None))
        return
    selector = empty(root)
    if selector is not None:
        label, op, value = contradiction(selector) or ("", "=", "")
        found = re.search(rf"\b{re.escape(label)}\s*{op}\s*[\"']{re.escape(value)}[\"']", query.text)
        yield Finding(
            f"the selector's matchers on {label!r} contradict each other, so it matches no series and the "
            "alert can never fire",
            query.span(found.start() if found else None),
        )


def check(context: LintContext) -> Iterator[Finding]:
    """Each alert's PromQL source, with its `when` condition when it has one."""
    for service in context.model.services:
        located = context.located(service)
        for path, role, value in source_places(located):
            if role != "alert" or not isinstance(value, str):
                continue
            alert = service.alerts[int(path[1])]
            when = (alert.comparison, alert.threshold) if alert.comparison and alert.threshold is not None else None
            yield from _problems(Query(located, path, role, value), when)


RULE = Rule(
    "MON1105",
    Level.ERROR,
    "no alert that can never fire",
    "compare a series, not a constant; make each label's matchers agree (use =~ for alternatives)",
    check,
)
