"""PromQL at the spec level: syntax checks and the text of structured metrics."""

from __future__ import annotations

import promql_parser

from monaco.diagnostics import Diagnostics
from monaco.spec.sources import PromMetric
from monaco.spec.yaml_loader import Document, Path

WINDOW_PLACEHOLDER = "{{window}}"


def check_promql(query: str, doc: Document, path: Path, diagnostics: Diagnostics) -> None:
    """Parse `query` (with `{{window}}` standing for a range) and report a syntax or type error at it."""
    try:
        promql_parser.parse(query.replace(WINDOW_PLACEHOLDER, "5m"))
    except (ValueError, RuntimeError, OverflowError) as exc:
        diagnostics.error(
            "MON120",
            f"PromQL does not parse: {exc}",
            doc.span(path),
            "check parentheses, braces and range selectors; `promtool check rules` gives the column",
        )


def render_prom_metric(metric: PromMetric, window: str | None = None) -> str:
    """PromQL for a structured metric: `aggregate by (by) (function(metric{matchers}[range]))`."""
    parts = []
    for label, value in sorted(metric.matchers.items()):
        op, text = ("=~", value[1:]) if value.startswith("~") else ("=", value)
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        parts.append(f'{label}{op}"{escaped}"')
    selector = metric.metric + ("{" + ",".join(parts) + "}" if parts else "")
    expr = f"{metric.function}({selector}[{window or metric.range}])" if metric.function else selector
    if metric.aggregate:
        by = f" by ({', '.join(metric.by)})" if metric.by else ""
        expr = f"{metric.aggregate}{by} ({expr})"
    return expr
