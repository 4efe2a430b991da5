"""Which labels a PromQL expression's result keeps, read from its syntax tree (pure).

Used to find where a label monaco adds to a rule (its identity labels) would overwrite a label the
series already carry. The answer is evidence, not proof: `by (x)`, `label_replace(..., "x", ...)`
and `count_values("x", ...)` surely yield `x` (certain); a selector matcher on `x`, `on (x)` or
`group_left (x)` strongly hint that the series carry it (not certain). What `without (...)` keeps,
or what a bare selector carries, cannot be known from the text, so it yields nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import promql_parser

from monaco.backends.promrules.promql import parse_query
from monaco.backends.promrules.promql_shape import query_shape

_KEEPING_AGGREGATIONS = frozenset({"topk", "bottomk", "limitk", "limit_ratio"})
"""Aggregations that return input series with all their labels."""
_LABEL_WRITERS = frozenset({"label_replace", "label_join"})
_NO_LABELS = frozenset({"scalar", "time", "vector", "pi"})
_SET_FILTERS = frozenset({"and", "unless"})


@dataclass(frozen=True, slots=True)
class KeptLabel:
    """A label the result carries, what shows it, and whether that is certain."""

    label: str
    evidence: str
    certain: bool
    value: str | None = None
    """The value an equality matcher pins the label to, when that is the evidence."""


Evidence = dict[str, KeptLabel]


def kept_labels(query: str) -> tuple[KeptLabel, ...]:
    """The labels the result of `query` keeps, sorted by name; () when the query does not parse."""
    shape = query_shape(query)
    return tuple(
        KeptLabel(k.label, shape.restore(k.evidence), k.certain, None if k.value is None else shape.restore(k.value))
        for k in _kept_in_shape(shape.text)
    )


@functools.lru_cache(maxsize=4096)
def _kept_in_shape(shape: str) -> tuple[KeptLabel, ...]:
    """What `kept_labels` finds in a shape's tree, with the shape's placeholders for values."""
    expr = parse_query(shape).tree
    return () if expr is None else labels_kept_by(expr)


def labels_kept_by(expr: promql_parser.Expr) -> tuple[KeptLabel, ...]:
    """The labels a parsed expression's result keeps, sorted by name."""
    return tuple(sorted(_labels(expr).values(), key=lambda k: k.label))


def _merge(*sides: Evidence) -> Evidence:
    """Union of evidence; certain evidence wins over a hint for the same label."""
    out: Evidence = {}
    for side in sides:
        for label, kept in side.items():
            if label not in out or (kept.certain and not out[label].certain):
                out[label] = kept
    return out


def _only(evidence: Evidence, labels: Iterable[str]) -> Evidence:
    wanted = set(labels)
    return {k: v for k, v in evidence.items() if k in wanted}


def _without(evidence: Evidence, labels: Iterable[str]) -> Evidence:
    dropped = set(labels)
    return {k: v for k, v in evidence.items() if k not in dropped}


def _labels(node: Any) -> Evidence:
    """Evidence of the labels `node`'s result keeps."""
    if isinstance(node, promql_parser.ParenExpr | promql_parser.UnaryExpr | promql_parser.SubqueryExpr):
        return _labels(node.expr)
    if isinstance(node, promql_parser.MatrixSelector):
        return _labels(node.vector_selector)
    if isinstance(node, promql_parser.VectorSelector):
        return _selector(node)
    if isinstance(node, promql_parser.AggregateExpr):
        return _aggregate(node)
    if isinstance(node, promql_parser.Call):
        return _call(node)
    if isinstance(node, promql_parser.BinaryExpr):
        return _binary(node)
    return {}


def _selector(node: Any) -> Evidence:
    matchers = [*node.matchers.matchers, *(m for group in node.matchers.or_matchers for m in group)]
    out: Evidence = {}
    for matcher in matchers:
        op = str(matcher.op)
        if matcher.name == "__name__" or matcher.value == "" or op not in ("MatchOp.Equal", "MatchOp.Re"):
            continue
        sign = "=" if op == "MatchOp.Equal" else "=~"
        text = f'the matcher `{matcher.name}{sign}"{matcher.value}"`'
        pinned = matcher.value if op == "MatchOp.Equal" else None
        out.setdefault(matcher.name, KeptLabel(matcher.name, text, certain=False, value=pinned))
    return out


def _aggregate(node: Any) -> Evidence:
    op = str(node.op)
    inner = _labels(node.expr)
    modifier = node.modifier
    by = modifier is not None and modifier.type == promql_parser.AggModifierType.By
    listed = list(modifier.labels) if modifier is not None else []
    if op in _KEEPING_AGGREGATIONS:
        return inner
    out: Evidence = {}
    if by:
        out = {label: KeptLabel(label, f"`{op} by ({', '.join(listed)})`", certain=True) for label in listed}
    elif modifier is not None:
        out = _without(inner, listed)
    if op == "count_values" and isinstance(node.param, promql_parser.StringLiteral):
        written = str(node.param.val)
        out = _merge(out, {written: KeptLabel(written, f'`count_values("{written}", ...)`', certain=True)})
    return out


def _call(node: Any) -> Evidence:
    name = str(node.func.name)
    if name in _NO_LABELS:
        return {}
    args = list(node.args)
    if name in _LABEL_WRITERS and len(args) > 1 and isinstance(args[1], promql_parser.StringLiteral):
        written = str(args[1].val)
        return _merge({written: KeptLabel(written, f'`{name}(..., "{written}", ...)`', certain=True)}, _labels(args[0]))
    return _merge(*(_labels(a) for a in args if isinstance(a, promql_parser.Expr)))


def _binary(node: Any) -> Evidence:
    lhs, rhs = _labels(node.lhs), _labels(node.rhs)
    op = str(node.op)
    modifier = node.modifier
    if op in _SET_FILTERS:
        return lhs
    if modifier is None or modifier.matching is None:
        return _merge(lhs, rhs)
    listed = list(modifier.matching.labels)
    on = modifier.matching.type == promql_parser.LabelModifierType.Include
    card = modifier.card
    hints = {label: KeptLabel(label, f"`on ({', '.join(listed)})`", certain=False) for label in listed} if on else {}
    grouped = {
        label: KeptLabel(label, f"`group_left/right ({label})`", certain=False) for label in modifier.group_labels or ()
    }
    if card == promql_parser.VectorMatchCardinality.ManyToOne:
        return _merge(lhs, grouped)
    if card == promql_parser.VectorMatchCardinality.OneToMany:
        return _merge(rhs, grouped)
    both = _merge(lhs, rhs)
    if op == "or":
        return both
    return _merge(_only(both, listed), hints) if on else _without(both, listed)
