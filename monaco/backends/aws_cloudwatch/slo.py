"""SLO burn-rate tiers on CloudWatch: one child metric alarm per window, one composite alarm per tier.

Each child computes the SLI's bad-event ratio over exactly one window with metric math (every
`MetricStat.Period` equal to the window, one datapoint), guarded against zero traffic, and carries no
actions. A tier's composite alarm is `(ALARM(long) AND ALARM(short)) OR ...` over its window pairs
and carries the routed actions.

The one rule for windows CloudWatch cannot hold in one datapoint (over 1 day, `daily_any`): the
window of D days is evaluated as ceil(D) daily datapoints (Period 86400 s) and the child alarms when
ANY one of them crosses the threshold (DatapointsToAlarm 1). If the ratio over the whole window is
above the threshold, at least one of its days is too, so the child never stays quiet when the exact
window would fire; it may fire earlier on one bad day (the short window's AND damps that). Windows
over 7 days exceed CloudWatch's evaluation range and are an error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from monaco.backends.aws_cloudwatch.metrics import counter_queries, metric_stat, stat_error
from monaco.backends.aws_cloudwatch.render import Context, description, period_problem
from monaco.backends.aws_cloudwatch.sources import cloudwatch_metric, cloudwatch_source
from monaco.ir.burnmath import format_decimal
from monaco.ir.labels import BURN_ALERT, burn_alert_labels, routing_labels
from monaco.ir.nodes import BurnTier, BurnWindowPair, Service, Slo
from monaco.ir.routing import tier_receivers
from monaco.spec.types import format_duration

DAY = 86400
MAX_WINDOW = 7 * DAY


def ratio_queries(ctx: Context, service: Service, slo: Slo, period: int) -> list[dict[str, Any]] | None:
    """Metric-data queries whose returned series is the SLI's bad-event ratio at `period`; None if impossible."""
    what = f"SLO {service.name}/{slo.name}"
    sli, problems = slo.sli, []
    queries: list[dict[str, Any]] = []
    guard = f"total >= {format_decimal(slo.min_events)}" if slo.min_events else "total > 0"
    if sli.ratio is not None:
        counter = sli.ratio.bad or sli.ratio.good
        assert counter is not None
        name = "bad" if sli.ratio.bad is not None else "good"
        counted, total = cloudwatch_source(counter), cloudwatch_source(sli.ratio.total)
        if counted is None or total is None:
            ctx.missing_source(what, slo.origin)
            return None
        for query_id, source in ((name, counted), ("total", total)):
            found, errors = counter_queries(source, query_id, period)
            queries.extend(found)
            problems.extend(errors)
        bad = "bad" if name == "bad" else "(total - good)"
        expression = f"IF({guard}, {bad} / total, 0)"
    elif sli.latency is not None:
        metric = cloudwatch_metric(sli.latency)
        if metric is None:
            ctx.missing_source(what, slo.origin)
            return None
        # PR(:t) is the percentage of samples at or below t: the share of fast requests, in percent.
        queries.append(
            {
                "Id": "fast",
                "MetricStat": metric_stat(metric, period, f"PR(:{sli.latency.threshold:g})"),
                "ReturnData": False,
            }
        )
        expression = "(100 - fast) / 100"
    else:
        metric = cloudwatch_metric(sli.gauge)
        if metric is None:
            ctx.missing_source(what, slo.origin)
            return None
        if (error := stat_error(metric.stat)) is not None:
            problems.append(error)
        queries.append({"Id": "up", "MetricStat": metric_stat(metric, period, "Average"), "ReturnData": False})
        expression = "1 - up"
    for problem in problems:
        ctx.report("MON713", f"{what}: {problem}", slo.origin)
    if problems:
        return None
    queries.append({"Id": "ratio", "Expression": expression, "Label": "bad-event ratio", "ReturnData": True})
    return queries


def _window_shape(ctx: Context, slo: Slo, tier: BurnTier, window: int) -> tuple[int, int, int] | None:
    """(Period, EvaluationPeriods, DatapointsToAlarm) for one window, reporting the long-window rule."""
    if window <= DAY:
        if (problem := period_problem(window, 1)) is not None:
            ctx.report("MON703", f"SLO {slo.name} tier {tier.name}: window {problem}", tier.origin)
            return None
        return window, 1, 1
    if window > MAX_WINDOW:
        ctx.report(
            "MON705",
            f"SLO {slo.name} tier {tier.name}: a {format_duration(window)} window exceeds the 7d "
            "a CloudWatch alarm can evaluate",
            tier.origin,
            "use a long window of at most 7d",
        )
        return None
    days = math.ceil(window / DAY)
    ctx.not_here(
        "MON704",
        f"SLO {slo.name} tier {tier.name}: the {format_duration(window)} window is longer than one "
        f"CloudWatch datapoint (1d); it is evaluated as {days} daily datapoints, alarming when any one crosses "
        "the threshold (rule `daily_any`: never quieter than the exact window, may fire on one bad day)",
        tier.origin,
        "use windows of at most 1d to keep the exact semantics",
    )
    return DAY, days, 1


@dataclass(slots=True)
class _TierAlarms:
    """What one tier's composite alarm is built from: its child alarms, clauses and plan notes."""

    base: tuple[str, ...]
    notes: dict[str, str]
    children: dict[str, str] = field(default_factory=dict)
    """Child alarm name -> the threshold it watches, so a window shared by two pairs is made once."""
    pending: list[tuple[dict[str, Any], str, dict[str, str]]] = field(default_factory=list)
    clauses: list[str] = field(default_factory=list)


def slo_alarms(ctx: Context, service: Service, slo: Slo) -> None:
    """Child alarms and composite alarms for every burn-rate tier of one SLO."""
    what = f"SLO {service.name}/{slo.name}"
    _report_unexpressible(ctx, what, slo)
    if ratio_queries(ctx, service, slo, 60) is None:
        return
    seen_tiers: set[str] = set()
    for tier in slo.tiers:
        tier_name = tier.name if tier.name not in seen_tiers else f"{tier.name}-{len(seen_tiers) + 1}"
        seen_tiers.add(tier_name)
        _tier_alarms(ctx, service, slo, tier, tier_name)


def _report_unexpressible(ctx: Context, what: str, slo: Slo) -> None:
    """MON711 for group_by and MON714 for the no-data alert, which CloudWatch cannot say."""
    if slo.group_by:
        ctx.not_here(
            "MON711",
            f"{what}: group_by {list(slo.group_by)} is not expressible on CloudWatch; one alarm set "
            "watches the aggregate of all series",
            slo.origin,
        )
    if slo.no_data_seconds:
        ctx.not_here(
            "MON714",
            f"{what}: the no-data alert is not rendered on CloudWatch; child alarms treat missing "
            "data as not breaching",
            slo.origin,
        )


def _tier_alarms(ctx: Context, service: Service, slo: Slo, tier: BurnTier, tier_name: str) -> None:
    """One tier: a child alarm per window and a composite alarm ORing the pairs; none if a window fails."""
    what = f"SLO {service.name}/{slo.name}"
    if tier.for_seconds:
        ctx.not_here(
            "MON712",
            f"{what} tier {tier.name}: `for` is not expressible on a composite alarm; the tier "
            "fires as soon as both windows of a pair alarm",
            tier.origin,
        )
    notes = {"objective": format_decimal(slo.objective), "period": format_duration(slo.period_seconds)}
    build = _TierAlarms((service.name, "slo", slo.name, tier_name), notes)
    for pair in tier.windows:
        names = _pair_children(ctx, service, slo, tier, pair, build)
        if names is None:
            return  # a window could not be expressed (reported); the whole tier is left out
        build.clauses.append(f'ALARM("{names[0]}") AND ALARM("{names[1]}")')
        pair_text = f"{format_duration(pair.long_seconds)}/{format_duration(pair.short_seconds)}"
        build.notes[f"threshold error ratio ({pair_text})"] = format_decimal(pair.threshold)
    if not build.clauses:
        return
    for child_raw, key, child_notes in build.pending:
        ctx.add_alarm(child_raw, key, tier.origin, f"{service.name}/{slo.name}", child_notes)
    _composite_alarm(ctx, service, slo, tier, build)


def _pair_children(
    ctx: Context, service: Service, slo: Slo, tier: BurnTier, pair: BurnWindowPair, build: _TierAlarms
) -> list[str] | None:
    """The long and short child alarm names of one window pair, adding the new ones to `build`."""
    threshold = pair.threshold
    names = []
    for window in (pair.long_seconds, pair.short_seconds):
        label = format_duration(window)
        child = ctx.config.alarm_name(*build.base, label)
        if build.children.get(child, format_decimal(threshold)) != format_decimal(threshold):
            label = f"{label}-x{format_decimal(pair.factor)}"
            child = ctx.config.alarm_name(*build.base, label)
        names.append(child)
        if child in build.children:
            continue
        build.children[child] = format_decimal(threshold)
        raw = _child_alarm(ctx, service, slo, tier, window, child, pair)
        if raw is None:
            return None
        child_notes = {"window": format_duration(window), "threshold error ratio": format_decimal(threshold)}
        build.pending.append((raw, "/".join((*build.base, label)), child_notes))
    return names


def _child_alarm(
    ctx: Context, service: Service, slo: Slo, tier: BurnTier, window: int, name: str, pair: BurnWindowPair
) -> dict[str, Any] | None:
    """A metric-math alarm on the bad-event ratio over one window, without actions; None if inexpressible."""
    shape = _window_shape(ctx, slo, tier, window)
    queries = ratio_queries(ctx, service, slo, shape[0]) if shape else None
    if shape is None or queries is None:
        return None
    budget = slo.error_budget
    threshold = pair.threshold
    label = name.rsplit("/", 1)[-1]
    return {
        "AlarmName": name,
        "ActionsEnabled": False,
        "Metrics": queries,
        "AlarmDescription": description(
            f"[monaco] SLO {service.name}/{slo.name} {tier.name}: bad-event ratio over {label} above "
            f"{format_decimal(threshold)} (burn rate {format_decimal(pair.factor)} x error budget {format_decimal(budget)})",
            "Child of a composite alarm; carries no actions.",
        ),
        "EvaluationPeriods": shape[1],
        "DatapointsToAlarm": shape[2],
        "Threshold": float(threshold),
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "notBreaching",
    }


def _composite_alarm(ctx: Context, service: Service, slo: Slo, tier: BurnTier, build: _TierAlarms) -> None:
    """The tier's composite alarm: the pairs' clauses ORed, with the actions of the receivers it reaches."""
    what = f"SLO {service.name}/{slo.name}"
    rule = build.clauses[0] if len(build.clauses) == 1 else " OR ".join(f"({c})" for c in build.clauses)
    raw = {
        "AlarmName": ctx.config.alarm_name(*build.base),
        "AlarmRule": rule,
        **ctx.actions(tier_receivers(service, slo, tier), f"{what} tier {tier.name}", tier.origin),
        "AlarmDescription": description(
            f"{what} is burning its error budget ({tier.name}: severity {tier.severity}).",
            slo.description,
            f"[monaco] service={service.name} team={service.team} objective={format_decimal(slo.objective)}% "
            f"over {format_duration(slo.period_seconds)}",
        ),
    }
    notes = {**build.notes, "severity": tier.severity}
    ctx.add_alarm(raw, "/".join(build.base), tier.origin, f"{service.name}/{slo.name}", notes)
    labels = routing_labels(burn_alert_labels(service, slo, tier), BURN_ALERT)
    ctx.routed.setdefault(str(raw["AlarmName"]), (service, labels))
