"""The PromQL a service's spec writes (alert sources, SLI counters and gauges) and small syntax-tree readers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import promql_parser

from monaco.backends.promrules.promql import WINDOW_RE, parse_query
from monaco.backends.promrules.sources import FAMILY
from monaco.diagnostics import Span
from monaco.spec.checks import raw_source_places
from monaco.spec.load import Located
from monaco.spec.models import ServiceSpec
from monaco.spec.yaml_loader import Path

RATE_FUNCTIONS = frozenset({"rate", "increase", "irate", "delta"})
"""Functions whose range must hold several samples to give an answer."""
_CALL_RE = re.compile(r"\b(rate|increase|irate|delta)\s*\(")


@dataclass(frozen=True, slots=True)
class Query:
    """One PromQL text as written at a source place, with its document (for positions)."""

    located: Located[ServiceSpec]
    path: Path
    role: str
    text: str

    def span(self, offset: int | None) -> Span:
        """The position of character `offset` of the text (the value's start when None)."""
        return self.located.doc.span_at(self.path, offset)


@dataclass(frozen=True, slots=True)
class RangeUse:
    """A rate-like call's range: the function, its length in seconds, and where `[` is (None: not found)."""

    function: str
    seconds: float
    offset: int | None


def source_places(located: Located[ServiceSpec]) -> Iterator[tuple[Path, str, Any]]:
    """(path, role, value) of each Prometheus source in the document: PromQL text or a structured metric."""
    for path, role, value in raw_source_places(located.doc, FAMILY):
        if role != "latency":
            yield path, role, value


def tree(query: Query) -> promql_parser.Expr | None:
    """The query's syntax tree (`{{window}}` padded), or None when it does not parse (reported elsewhere)."""
    return parse_query(query.text).tree


def children(node: Any) -> list[Any]:
    """The sub-expressions of a syntax-tree node, in source order."""
    if isinstance(node, promql_parser.BinaryExpr):
        return [node.lhs, node.rhs]
    if isinstance(node, promql_parser.Call):
        return [a for a in node.args if isinstance(a, promql_parser.Expr)]
    if isinstance(node, promql_parser.MatrixSelector):
        return [node.vector_selector]
    if isinstance(node, (promql_parser.AggregateExpr, promql_parser.ParenExpr, promql_parser.SubqueryExpr)):
        return [node.expr]
    if isinstance(node, promql_parser.UnaryExpr):
        return [node.expr]
    return []


def nodes(node: Any) -> Iterator[Any]:
    """Every node of the tree, pre-order (so calls come in the order they are written)."""
    yield node
    for child in children(node):
        yield from nodes(child)


def range_uses(query: Query) -> list[RangeUse]:
    """Each rate/increase/irate/delta over a written range; a range that is `{{window}}` is monaco's, left out."""
    root = tree(query)
    if root is None:
        return []
    calls = [n for n in nodes(root) if isinstance(n, promql_parser.Call) and n.func.name in RATE_FUNCTIONS]
    written = list(_CALL_RE.finditer(query.text))
    uses = []
    for i, call in enumerate(calls):
        matrix = next((a for a in call.args if isinstance(a, promql_parser.MatrixSelector)), None)
        if matrix is None:
            continue
        offset = _bracket(query.text, written[i].end()) if i < len(written) else None
        if offset is not None and WINDOW_RE.match(query.text, offset + 1):
            continue
        uses.append(RangeUse(call.func.name, matrix.range.total_seconds(), offset))
    return uses


def _bracket(text: str, start: int) -> int | None:
    """The offset of the first `[` at or after `start`."""
    found = text.find("[", start)
    return found if found >= 0 else None
