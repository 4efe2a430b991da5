"""Pure: the panels of one service's dashboard, built with grafana-foundation-sdk's typed builders.

Per SLO: the SLI against its objective, the error budget left over the period, the burn rate per tier
window with every window pair's factor drawn as a threshold step, and which burn alerts fire. Per threshold
alert: its Prometheus query with the threshold drawn as a line. Every query reads the series the Prometheus
backend records, by the names in `promrules.record_names`; the numbers drawn (objective, factors,
threshold) are the IR's exact values, never recomputed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from grafana_foundation_sdk.builders import common as common_builders
from grafana_foundation_sdk.builders import dashboard as builders
from grafana_foundation_sdk.builders import prometheus, statetimeline, timeseries
from grafana_foundation_sdk.models import common
from grafana_foundation_sdk.models import dashboard as models

from monaco.backends.promrules import record_names as names
from monaco.backends.promrules.promql import render_prom_metric
from monaco.backends.promrules.slo_rules import windows
from monaco.backends.promrules.sources import PromMetric, prom_source
from monaco.ir.burnmath import format_decimal
from monaco.ir.labels import ALERTNAME, BURN_ALERT
from monaco.ir.nodes import Service, Slo, ThresholdAlert
from monaco.spec.types import format_duration

DATASOURCE_VARIABLE = "datasource"
DATASOURCE = models.DataSourceRef(type_val="prometheus", uid=f"${{{DATASOURCE_VARIABLE}}}")
"""Every query runs on the data source the dashboard's `datasource` variable names."""
HALF, FULL, HEIGHT = 12, 24, 8
TIER_COLOURS = {"page": "red", "ticket": "orange"}
BELOW = {"above": "green", "above_or_equal": "green", "below": "red", "below_or_equal": "red"}
"""The colour under an alert's threshold line (red where crossing means below it)."""


@dataclass
class Layout:
    """Hands out panel ids in order, so a dashboard's ids depend only on what it draws."""

    next_id: int = 1

    def take(self) -> int:
        """The next panel id."""
        self.next_id += 1
        return self.next_id - 1


def quote(value: str) -> str:
    """A PromQL string literal."""
    return json.dumps(value, ensure_ascii=False)


def slo_selector(service: Service, slo: Slo, grouped: bool = True) -> str:
    """`{service="checkout",slo="availability"}` plus, when `grouped`, a `=~"$label"` matcher per grouping label
    (the objective's constant series carries no grouping label, so it is selected without them)."""
    ids = service.identity
    parts = [f"{ids.service}={quote(service.name)}", f"{ids.slo}={quote(slo.name)}"]
    parts += [f'{label}=~"${label}"' for label in slo.group_by] if grouped else []
    return "{" + ",".join(parts) + "}"


def _query(expr: str, legend: str, ref: str) -> prometheus.Dataquery:
    return prometheus.Dataquery().expr(expr).legend_format(legend).ref_id(ref).range()


def _steps(base: str, steps: list[tuple[Decimal | float, str]]) -> builders.ThresholdsConfig:
    """Absolute threshold steps: `base` from minus infinity, then each value upward (Grafana wants them ascending)."""
    ordered = sorted(steps, key=lambda step: step[0])
    values = [models.Threshold(None, base)] + [models.Threshold(float(value), colour) for value, colour in ordered]
    return builders.ThresholdsConfig().mode(models.ThresholdsMode.ABSOLUTE).steps(values)


def _lines() -> common_builders.GraphThresholdsStyleConfig:
    return common_builders.GraphThresholdsStyleConfig().mode(common.GraphThresholdsStyleMode.LINE)


def sli_panel(service: Service, slo: Slo, layout: Layout) -> timeseries.Panel:
    """The SLI over the base window and over the period, the objective as a red threshold line below it."""
    sel = slo_selector(service, slo)
    base = format_duration(windows(slo)[0])
    period = format_duration(slo.period_seconds)
    objective = slo.objective / 100
    return (
        timeseries.Panel()
        .id(layout.take())
        .title(f"{slo.name}: SLI against the {format_decimal(slo.objective)}% objective")
        .description(slo.description or f"1 - error ratio over {base} and over the {period} period.")
        .datasource(DATASOURCE)
        .with_target(_query(f"1 - {names.error_ratio(base)}{sel}", f"SLI ({base})", "A"))
        .with_target(_query(f"1 - {names.error_ratio(period)}{sel}", f"SLI ({period})", "B"))
        .with_target(_query(f"{names.OBJECTIVE}{slo_selector(service, slo, grouped=False)}", "objective", "C"))
        .unit("percentunit")
        .thresholds(_steps("red", [(objective, "green")]))
        .thresholds_style(_lines())
        .height(HEIGHT)
        .span(HALF)
    )


def budget_panel(service: Service, slo: Slo, layout: Layout) -> timeseries.Panel:
    """The share of the period's error budget left, over the whole period; red once it is spent."""
    period = format_duration(slo.period_seconds)
    return (
        timeseries.Panel()
        .id(layout.take())
        .title(f"{slo.name}: error budget remaining ({period})")
        .description(f"1 is untouched, 0 is spent; error budget {format_decimal(slo.error_budget * 100)}%.")
        .datasource(DATASOURCE)
        .with_target(_query(f"{names.BUDGET_REMAINING}{slo_selector(service, slo)}", "remaining", "A"))
        .unit("percentunit")
        .time_from(period)
        .thresholds(_steps("red", [(Decimal(0), "green")]))
        .thresholds_style(_lines())
        .height(HEIGHT)
        .span(HALF)
    )


def burn_panel(service: Service, slo: Slo, layout: Layout) -> timeseries.Panel:
    """The burn rate over every tier window; each pair's factor is a threshold step in its tier's colour."""
    sel = slo_selector(service, slo)
    budget = format_decimal(slo.error_budget)
    used = sorted({s for tier in slo.tiers for pair in tier.windows for s in (pair.long_seconds, pair.short_seconds)})
    panel = (
        timeseries.Panel()
        .id(layout.take())
        .title(f"{slo.name}: burn rate per window")
        .description(_burn_description(slo))
        .datasource(DATASOURCE)
    )
    for n, seconds in enumerate(used):
        w = format_duration(seconds)
        panel = panel.with_target(_query(f"{names.error_ratio(w)}{sel} / {budget}", w, _ref(n)))
    factors: dict[Decimal, str] = {}
    for tier in slo.tiers:
        for pair in tier.windows:
            factors.setdefault(pair.factor, TIER_COLOURS.get(tier.name, "orange"))
    return panel.thresholds(_steps("green", list(factors.items()))).thresholds_style(_lines()).height(HEIGHT).span(HALF)


def _burn_description(slo: Slo) -> str:
    pairs = [
        f"{tier.name} {format_duration(p.long_seconds)}/{format_duration(p.short_seconds)} at {format_decimal(p.factor)}x"
        for tier in slo.tiers
        for p in tier.windows
    ]
    return "Error ratio / error budget; a tier fires when both windows of a pair are above its factor: " + (
        ", ".join(pairs) or "no burn tiers"
    )


def _ref(n: int) -> str:
    """Query ref ids A, B, ... Z, then A1, B1, ..."""
    letter = chr(ord("A") + n % 26)
    return letter if n < 26 else f"{letter}{n // 26}"


def firing_panel(service: Service, slo: Slo, layout: Layout) -> statetimeline.Panel:
    """Which burn-rate tiers of the SLO fire, over time (`ALERTS{alertname="SLOErrorBudgetBurn",...}`)."""
    ids = service.identity
    sel = slo_selector(service, slo)[1:-1]
    expr = f'ALERTS{{{ALERTNAME}="{BURN_ALERT}",alertstate="firing",{sel}}}'
    legend = "{{" + ids.tier + "}} ({{" + ids.severity + "}})"
    return (
        statetimeline.Panel()
        .id(layout.take())
        .title(f"{slo.name}: burn alerts firing")
        .datasource(DATASOURCE)
        .with_target(_query(expr, legend, "A"))
        .thresholds(_steps("green", [(Decimal(1), "red")]))
        .line_width(0)
        .fill_opacity(70)
        .height(HEIGHT)
        .span(HALF)
    )


def alert_query(alert: ThresholdAlert) -> str | None:
    """The query an alert compares with its threshold (the whole PromQL condition when it has no threshold)."""
    source = prom_source(alert.source)
    if source is None:
        return None
    return render_prom_metric(source) if isinstance(source, PromMetric) else source.strip()


def alert_panel(alert: ThresholdAlert, query: str, layout: Layout, runbook: str | None) -> timeseries.Panel:
    """The alert's query over time, its threshold drawn as a line coloured by the side that fires."""
    panel = (
        timeseries.Panel()
        .id(layout.take())
        .title(f"{alert.name} ({alert.severity})")
        .description(alert.summary)
        .datasource(DATASOURCE)
        .with_target(_query(query, alert.name, "A"))
        .height(HEIGHT)
        .span(HALF)
    )
    if alert.comparison in BELOW and alert.threshold is not None:
        below = BELOW[alert.comparison]
        above = "red" if below == "green" else "green"
        panel = panel.thresholds(_steps(below, [(alert.threshold, above)])).thresholds_style(_lines())
    if runbook:
        panel = panel.links([builders.DashboardLink("Runbook").type(models.DashboardLinkType.LINK).url(runbook)])
    return panel
