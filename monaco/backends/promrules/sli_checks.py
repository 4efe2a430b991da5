"""Checks of an SLI's Prometheus queries: window placeholder, syntax, kept grouping labels.

The placeholder rule and the parse are `monaco.backends.promrules.promql`'s (MON240, MON120), the same the spec
checks apply to every query, so a query is judged once, by one rule; what this module adds is what
needs the SLO: that the query keeps the SLO's `group_by` labels (MON242) and SLI shape (MON243).
"""

from __future__ import annotations

from collections.abc import Callable

import promql_parser

from monaco.backends.promrules.promql import (
    WINDOW_RE,
    parse_query,
    parse_shape,
    substitute_window,
    syntax_diagnostic,
    window_problem,
)
from monaco.backends.promrules.promtool_check import accepted
from monaco.backends.promrules.sources import FAMILY, PromMetric, prom_source
from monaco.diagnostics import Diagnostics, Span
from monaco.spec.models import SloSpec

__all__ = ["WINDOW_RE", "check_prometheus_sli", "substitute_window"]

SpecPath = tuple[str | int, ...]


def check_prometheus_sli(spec: SloSpec, span: Callable[[SpecPath], Span], diagnostics: Diagnostics) -> None:
    """Report problems with the Prometheus side of an SLO's SLI (nothing when it has none)."""
    sli = spec.sli
    if sli.ratio is not None:
        sides = [(name, side) for name in ("bad", "good", "total") if (side := getattr(sli.ratio, name)) is not None]
        with_prom = [name for name, side in sides if prom_source(side) is not None]
        if with_prom and len(with_prom) != len(sides):
            missing = next(name for name, _ in sides if name not in with_prom)
            diagnostics.error(
                "MON243",
                f"SLI `{with_prom[0]}` has a Prometheus source but `{missing}` has none",
                span(("sli", "ratio", missing)),
            )
        for name, side in sides:
            source = prom_source(side)
            path: SpecPath = ("sli", "ratio", name, FAMILY)
            if isinstance(source, str):
                _check_counter_query(spec, source, path, span, diagnostics)
            elif isinstance(source, PromMetric):
                _check_metric(spec, source, path, span, diagnostics)
    elif isinstance(gauge := prom_source(sli.gauge), str):
        _parse(gauge, "gauge", ("sli", "gauge", FAMILY), span, diagnostics)


def _check_counter_query(
    spec: SloSpec, query: str, path: SpecPath, span: Callable[[SpecPath], Span], diagnostics: Diagnostics
) -> None:
    expr = _parse(query, "counter", path, span, diagnostics)
    if expr is None or not spec.group_by:
        return
    while isinstance(expr, promql_parser.ParenExpr):
        expr = expr.expr
    wanted = list(spec.group_by)
    if isinstance(expr, promql_parser.AggregateExpr) and expr.modifier is not None:
        labels = list(expr.modifier.labels)
        by = expr.modifier.type == promql_parser.AggModifierType.By
        dropped = [g for g in wanted if (g not in labels) == by]
        if dropped:
            diagnostics.error(
                "MON242",
                f"the query drops group_by label(s) {', '.join(dropped)}",
                span(path),
                f"aggregate with `sum by ({', '.join(wanted)}) (...)`",
            )
    elif isinstance(expr, promql_parser.AggregateExpr):
        diagnostics.error(
            "MON242",
            f"the query aggregates away group_by label(s) {', '.join(wanted)}",
            span(path),
            f"aggregate with `sum by ({', '.join(wanted)}) (...)`",
        )
    else:
        diagnostics.warning(
            "MON242",
            f"cannot check that the query keeps group_by label(s) {', '.join(wanted)}",
            span(path),
            f"end the query with `sum by ({', '.join(wanted)}) (...)`",
        )


def _check_metric(
    spec: SloSpec, metric: PromMetric, path: SpecPath, span: Callable[[SpecPath], Span], diagnostics: Diagnostics
) -> None:
    if metric.function not in (None, "rate", "increase"):
        diagnostics.error(
            "MON243",
            f"an SLI counter is read with rate(), not {metric.function}()",
            span((*path, "function")),
            "a ratio SLI counts events: use a counter",
        )
    if metric.by and sorted(metric.by) != sorted(spec.group_by):
        diagnostics.warning(
            "MON243",
            "`by` of an SLI counter is ignored; the SLO's group_by decides grouping",
            span((*path, "by")),
            "move the labels to the SLO's group_by",
        )
    if metric.aggregate not in (None, "sum"):
        diagnostics.warning(
            "MON243", f"SLI counters are summed; aggregate {metric.aggregate!r} is ignored", span((*path, "aggregate"))
        )


def _parse(
    query: str, role: str, path: SpecPath, span: Callable[[SpecPath], Span], diagnostics: Diagnostics
) -> object | None:
    """The query's syntax tree, or None after reporting why there is none (nothing when promtool accepted it)."""
    problem = window_problem(query, role)
    if problem is not None:
        diagnostics.error(problem.code, problem.message, span(path), problem.hint)
        return None
    shape = parse_shape(query)  # the structure is all these checks read
    if shape.tree is None and not accepted((parsed := parse_query(query)).text):
        diagnostics.add(syntax_diagnostic(parsed, span(path)))
    return shape.tree
