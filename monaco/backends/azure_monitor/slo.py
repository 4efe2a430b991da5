"""SLO burn-rate tiers on Azure from Azure SLIs: one log alert per tier for KQL, a reported fallback for metrics.

KQL: the tier's one scheduled query rule counts bad and total events over every window of its pairs
and returns a row only when, for some pair, both the long and the short window burn:
`print ratio_1h = ..., ratio_5m = ... | where (ratio_1h > T and ratio_5m > T) or (...)`, alerting on
more than 0 rows. Its `windowSize` (the query's time range) is the longest window, at most P2D: a
pair with a longer window is left out with MON905 (level set by the target).

Platform metrics: a metric alert has one window and cannot divide two metrics, and Azure has no
composite alerts, so a burn pair cannot be expressed; `metric_slo` renders the documented fallback
and reports it (MON904).
"""

from __future__ import annotations

import re
from typing import Any

from monaco.backends.azure_monitor.durations import LOG_FREQUENCIES, LOG_MAX_WINDOW, fixed_set_problem, iso_duration
from monaco.backends.azure_monitor.metric_slo import metric_slo
from monaco.backends.azure_monitor.normalize import LOG_ALERT
from monaco.backends.azure_monitor.render import Context, description, tier_routed
from monaco.backends.azure_monitor.sources import AzureLogQuery, azure_source
from monaco.ir.burnmath import format_decimal
from monaco.ir.nodes import BurnTier, BurnWindowPair, Service, Slo
from monaco.ir.routing import tier_receivers
from monaco.spec.types import format_duration, parse_duration


def _kql_sides(slo: Slo) -> tuple[AzureLogQuery, AzureLogQuery, bool] | None:
    """The (bad or good, total) KQL queries of a ratio SLI and whether the first counts good events."""
    ratio = slo.sli.ratio
    if ratio is None:
        return None
    side, total = azure_source(ratio.bad or ratio.good), azure_source(ratio.total)
    if isinstance(side, AzureLogQuery) and isinstance(total, AzureLogQuery):
        return side, total, ratio.bad is None
    return None


def _count(events: str, time_column: str, window: int) -> str:
    """KQL counting the rows of the `events` let binding within the last `window` seconds."""
    return f"toscalar({events} | where {time_column} > ago({window}s) | count)"


def kql_query(side: AzureLogQuery, total: AzureLogQuery, good: bool, pairs: list[BurnWindowPair]) -> str:
    """The tier's KQL: a row when, for some pair, both windows' bad-event ratios exceed the pair's threshold."""
    windows = sorted({s for pair in pairs for s in (pair.long_seconds, pair.short_seconds)})
    lines = [f"let side_events = {_one_line(side.query)};", f"let total_events = {_one_line(total.query)};"]
    columns = []
    for window in windows:
        label = format_duration(window)
        side_count = _count("side_events", side.time_column, window)
        total_count = _count("total_events", total.time_column, window)
        lines.append(f"let total_{label} = todouble({total_count});")
        bad = f"total_{label} - todouble({side_count})" if good else f"todouble({side_count})"
        lines.append(f"let bad_{label} = {bad};")
        columns.append(f"ratio_{label} = iff(total_{label} > 0, bad_{label} / total_{label}, 0.0)")
    clauses = [
        f"(ratio_{format_duration(p.long_seconds)} > {format_decimal(p.threshold)} and "
        f"ratio_{format_duration(p.short_seconds)} > {format_decimal(p.threshold)})"
        for p in pairs
    ]
    lines.append("print " + ", ".join(columns))
    lines.append("| where " + " or ".join(clauses))
    return "\n".join(lines)


def _one_line(query: str) -> str:
    """A user's query as one let-bound expression: trailing semicolons and blank lines removed."""
    return re.sub(r"\s*\n\s*", "\n    ", query.strip().rstrip(";"))


def _pairs_in_range(ctx: Context, service: Service, slo: Slo, tier: BurnTier) -> list[BurnWindowPair]:
    """The tier's pairs whose long window a log alert can look back over (P2D); the others reported MON905."""
    kept = []
    for pair in tier.windows:
        if pair.long_seconds > LOG_MAX_WINDOW:
            ctx.not_here(
                "MON905",
                f"SLO {service.name}/{slo.name} tier {tier.name}: the {format_duration(pair.long_seconds)} window "
                "is longer than a log alert's P2D look-back; this window pair is not rendered",
                tier.origin,
                "shorten the tier's windows, or use a PromQL SLI in a monitor workspace",
            )
            continue
        kept.append(pair)
    return kept


def kql_tier(ctx: Context, service: Service, slo: Slo, tier: BurnTier) -> None:
    """The tier's one log alert computing both windows of each pair; nothing when no pair fits."""
    sides = _kql_sides(slo)
    assert sides is not None
    pairs = _pairs_in_range(ctx, service, slo, tier)
    frequency = parse_duration(ctx.config.kql_frequency)
    if (problem := fixed_set_problem("kql_frequency", frequency, LOG_FREQUENCIES)) is not None:
        ctx.report("MON903", f"SLO {service.name}/{slo.name}: {problem}", slo.origin)
        return
    if not pairs:
        return
    if tier.for_seconds:
        ctx.not_here("MON908", f"SLO {service.name}/{slo.name} tier {tier.name}: `for` is not expressible", tier.origin)
    what = f"SLO {service.name}/{slo.name} tier {tier.name}"
    window = max(frequency, max(p.long_seconds for p in pairs))
    condition: dict[str, Any] = {
        "query": kql_query(*sides, pairs),
        "timeAggregation": "Count",
        "operator": "GreaterThan",
        "threshold": 0.0,
        "failingPeriods": {"numberOfEvaluationPeriods": 1, "minFailingPeriodsToAlert": 1},
    }
    properties = {
        "displayName": f"{service.name}/{slo.name} {tier.name}",
        "description": description(
            f"{what} is burning its error budget (severity {tier.severity}).",
            slo.description,
            f"[monaco] service={service.name} team={service.team} objective={format_decimal(slo.objective)}%",
            limit=4096,
        ),
        "severity": ctx.severity(tier.severity),
        "enabled": True,
        "scopes": [sides[1].scope],
        "evaluationFrequency": iso_duration(frequency),
        "windowSize": iso_duration(window),
        "criteria": {"allOf": [condition]},
        "autoMitigate": True,
        "actions": {"actionGroups": ctx.action_group_ids(tier_receivers(service, slo, tier), what, tier.origin)},
    }
    notes = {"objective": format_decimal(slo.objective), "severity": tier.severity}
    for pair in pairs:
        pair_text = f"{format_duration(pair.long_seconds)}/{format_duration(pair.short_seconds)}"
        notes[f"threshold error ratio ({pair_text})"] = format_decimal(pair.threshold)
    raw = {"location": ctx.config.location, "kind": "LogAlert", "properties": properties}
    name = ctx.config.resource_name(service.name, "slo", slo.name, tier.name)
    key = f"{service.name}/slo/{slo.name}/{tier.name}"
    ctx.add(
        LOG_ALERT, raw, name, key, tier.origin, f"{service.name}/{slo.name}", notes, tier_routed(service, slo, tier)
    )


def azure_slo(ctx: Context, service: Service, slo: Slo) -> None:
    """Render an SLO with an Azure SLI: KQL tiers as log alerts; platform metrics through the reported fallback."""
    if _kql_sides(slo) is None:
        metric_slo(ctx, service, slo)
        return
    for tier in slo.tiers:
        kql_tier(ctx, service, slo, tier)
