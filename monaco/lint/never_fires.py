"""MON1105: no alert that can never fire: a false comparison of constants, or PromQL certainly without series.

Only what is certain is reported (`monaco.lint.emptiness`): a selector whose matchers contradict each other,
or an `on(label)` match against an aggregation that dropped the label, reaching the result unchanged.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator
from typing import Any

import promql_parser

from monaco.diagnostics import Level
from monaco.lint.context import LintContext
from monaco.lint.emptiness import empty
from monaco.lint.queries import Query, source_places, tree
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


def constant(node: Any) -> float | None:
    """The value of a number, `(number)` or `vector(number)`; None for anything else."""
    if isinstance(node, promql_parser.NumberLiteral):
        return float(node.val)
    if isinstance(node, promql_parser.ParenExpr):
        return constant(node.expr)
    if isinstance(node, promql_parser.Call) and node.func.name == "vector" and node.args:
        return constant(node.args[0])
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
    found = empty(root)
    if found is not None:
        where = re.search(found.place, query.text)
        yield Finding(f"{found.reason}: the alert can never fire", query.span(where.start() if where else None))


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
