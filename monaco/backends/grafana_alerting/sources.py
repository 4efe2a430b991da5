"""Grafana alert rules query a Prometheus datasource, so the family is Prometheus's: the same models and checks."""

from __future__ import annotations

from monaco.backends.promrules.family import SOURCES
from monaco.backends.promrules.sources import PromMetric, PromSource, prom_source
from monaco.spec.sources import Sources

__all__ = ["SOURCES", "alert_query"]


def alert_query(sources: Sources | None) -> str | None:
    """The PromQL an alert's Prometheus source reads (a structured metric rendered), or None when it names none."""
    from monaco.backends.promrules.promql import render_prom_metric

    source: PromSource | None = prom_source(sources)
    if source is None:
        return None
    return render_prom_metric(source) if isinstance(source, PromMetric) else source.strip()
