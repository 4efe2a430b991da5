"""Threshold alerts to alert policies: one condition (a metric threshold or PromQL), documentation, severity (pure).

A policy's `notificationChannels` (and its renotify strategy) name channels by their monaco id; apply puts in the
server-assigned channel names and read_live maps them back, so plans compare ids and never depend on them.
"""

from __future__ import annotations

from typing import Any

from monaco.backends.gcp_monitoring.canonical import POLICY
from monaco.backends.gcp_monitoring.channel_render import channel_ids
from monaco.backends.gcp_monitoring.config import label_value
from monaco.backends.gcp_monitoring.context import Context, identity_labels, owner_labels
from monaco.backends.gcp_monitoring.sources import GcpMetric, GcpPromql, gcp_source
from monaco.backends.promrules.service_rules import COMPARISON_OPERATORS, alert_expression, format_number
from monaco.diagnostics import Level, Span
from monaco.ir.labels import routing_labels, threshold_alert_labels
from monaco.ir.nodes import Route, Service, ThresholdAlert
from monaco.ir.routing import alert_receivers, route_matches
from monaco.spec.types import format_duration, parse_duration

COMPARISONS = {"above": "COMPARISON_GT", "below": "COMPARISON_LT"}
"""alert.py MetricThreshold.comparison: "Only COMPARISON_LT and COMPARISON_GT are supported currently"."""
MAX_DOCUMENTATION = 8192
"""alert.py Documentation.content: at most 8,192 Unicode characters."""
KEEP_FIRING = "MON808"


def severity_of(ctx: Context, severity: str) -> str:
    """monaco's severity as the policy's: paging ones CRITICAL, `high`/`error`-like ERROR, the rest WARNING."""
    paging = {"critical", "page", "p1"}
    if severity in paging or severity in ctx.paging:
        return "CRITICAL"
    return "ERROR" if severity in ("high", "error", "major", "p2") else "WARNING"


def documentation(subject: str, *lines: str | None) -> dict[str, Any]:
    """Markdown documentation from non-empty lines, cut to the API's 8,192 characters."""
    text = "\n\n".join(line for line in lines if line)
    if len(text) > MAX_DOCUMENTATION:
        text = text[: MAX_DOCUMENTATION - 3] + "..."
    return {"content": text, "mimeType": "text/markdown", "subject": subject[:255]}


def alert_policy_id(service: Service, alert: ThresholdAlert) -> str:
    """The monaco id (and resource name) of a threshold alert's policy."""
    return label_value(f"{service.name}--{alert.key or alert.name}")


def alert_display_name(service: Service, alert: ThresholdAlert) -> str:
    """The display name of a threshold alert's policy."""
    return f"{service.name}/{alert.key or alert.name}"


def repeat_interval(routes: tuple[Route, ...], labels: dict[str, str]) -> int | None:
    """The repeat interval of the first matching route that sets one (the policy's renotify interval)."""
    for route in routes:
        if route_matches(route, labels) and route.repeat_interval_seconds is not None:
            return route.repeat_interval_seconds
    return None


def notifications(
    ctx: Context, receivers: tuple[str, ...], repeat: int | None, what: str, span: Span
) -> dict[str, Any]:
    """`notificationChannels` (and `alertStrategy` when a repeat interval is routed): ids of the receivers' channels."""
    if not receivers:
        ctx.report(
            "MON806",
            f"{what} matches no route and the team has no default receiver; the policy notifies no one",
            span,
            "add a route matching its severity",
            Level.WARNING,
        )
    ids: list[str] = []
    for name in receivers:
        if name not in ctx.receivers:
            ctx.report("MON805", f"{what} routes to unknown receiver {name!r}", span)
            continue
        ctx.used.add(name)
        ids.extend(channel_ids(ctx.receivers[name]))
    out: dict[str, Any] = {"notificationChannels": sorted(ids)}
    if repeat and ids:
        strategy = {"notificationChannelNames": sorted(ids), "renotifyInterval": f"{repeat}s"}
        out["alertStrategy"] = {"notificationChannelStrategy": [strategy]}
    return out


def _aggregation(ctx: Context, source: GcpMetric, what: str, span: Span) -> dict[str, Any] | None:
    """The source's aggregation, or None when the API would refuse its aligner, reducer or period."""
    from google.cloud import monitoring_v3

    period = parse_duration(source.alignment_period)
    problems = []
    if source.aligner not in monitoring_v3.Aggregation.Aligner.__members__:
        problems.append(f"{source.aligner} is not an aligner")
    if source.reducer is not None and source.reducer not in monitoring_v3.Aggregation.Reducer.__members__:
        problems.append(f"{source.reducer} is not a reducer")
    if period < 60 or period % 60:
        problems.append(f"alignment period {source.alignment_period} is not a whole number of minutes")
    if source.filter is not None and "metric.type" not in source.filter:
        problems.append("the filter names no metric.type")
    for problem in problems:
        ctx.report("MON803", f"{what}: {problem}", span)
    if problems:
        return None
    aggregation: dict[str, Any] = {"alignmentPeriod": f"{period}s", "perSeriesAligner": source.aligner}
    if source.reducer is not None:
        aggregation["crossSeriesReducer"] = source.reducer
        aggregation["groupByFields"] = list(source.group_by)
    return aggregation


def _metric_condition(ctx: Context, alert: ThresholdAlert, source: GcpMetric, what: str) -> dict[str, Any] | None:
    """A `conditionThreshold`, or None (with a diagnostic) when Cloud Monitoring cannot hold it."""
    comparison = COMPARISONS.get(alert.comparison or "")
    if comparison is None or alert.threshold is None:
        ctx.report(
            "MON802",
            f"{what}: Cloud Monitoring threshold conditions compare with > or <; "
            f"{alert.comparison or 'no condition'} is not expressible",
            alert.origin,
            "write `when: {above: N}` or `when: {below: N}`, or use a `promql:` source",
        )
        return None
    if alert.for_seconds % 60:
        ctx.report("MON803", f"{what}: `for` {format_duration(alert.for_seconds)} is not whole minutes", alert.origin)
        return None
    aggregation = _aggregation(ctx, source, what, alert.origin)
    if aggregation is None:
        return None
    threshold: dict[str, Any] = {
        "filter": source.render_filter(),
        "aggregations": [aggregation],
        "comparison": comparison,
        "thresholdValue": float(alert.threshold),
        "duration": f"{alert.for_seconds}s",
        "trigger": {"count": 1},
    }
    if alert.for_seconds >= 60:  # alert.py: evaluation_missing_data needs a duration of at least 60s
        threshold["evaluationMissingData"] = "EVALUATION_MISSING_DATA_INACTIVE"
    condition = f"{alert.name} {COMPARISON_OPERATORS[alert.comparison or 'above']} {format_number(alert.threshold)}"
    return {"displayName": condition, "conditionThreshold": threshold}


def _promql_condition(service: Service, alert: ThresholdAlert, query: str) -> dict[str, Any]:
    """A `conditionPrometheusQueryLanguage` on `query` (the comparison already in it)."""
    promql: dict[str, Any] = {
        "query": query,
        "duration": f"{alert.for_seconds}s",
        "evaluationInterval": "30s",
        "ruleGroup": service.name,
        "alertRule": alert.name,
    }
    return {"displayName": f"{service.name}/{alert.name}", "conditionPrometheusQueryLanguage": promql}


def _condition(ctx: Context, service: Service, alert: ThresholdAlert, what: str) -> dict[str, Any] | None:
    """The policy's one condition from the alert's gcp source (or its prometheus one, on Managed Prometheus)."""
    source = gcp_source(alert.source)
    if isinstance(source, GcpMetric):
        return _metric_condition(ctx, alert, source, what)
    if isinstance(source, GcpPromql):
        query = source.promql.strip()
        if alert.comparison is not None and alert.threshold is not None:
            query = f"({query}) {COMPARISON_OPERATORS[alert.comparison]} {format_number(alert.threshold)}"
        return _promql_condition(service, alert, query)
    expression = alert_expression(alert) if ctx.config.managed_prometheus else None
    if expression is None:
        ctx.missing_source(what, alert.origin)
        return None
    return _promql_condition(service, alert, expression)


def threshold_policy(ctx: Context, service: Service, alert: ThresholdAlert) -> None:
    """The alert policy of one threshold alert, or diagnostics saying why there is none."""
    what = f"alert {service.name}/{alert.name}"
    condition = _condition(ctx, service, alert, what)
    if condition is None:
        return
    if alert.keep_firing_for_seconds:
        ctx.not_here(KEEP_FIRING, f"{what}: keep_firing_for is not expressible on Cloud Monitoring", alert.origin)
    labels = threshold_alert_labels(service, alert)
    object_id = alert_policy_id(service, alert)
    raw: dict[str, Any] = {
        "displayName": alert_display_name(service, alert),
        "documentation": documentation(
            alert.summary,
            alert.summary,
            alert.description,
            f"Runbook: {alert.runbook}" if alert.runbook else None,
            f"[monaco] service={service.name} team={service.team} severity={alert.severity}",
        ),
        "userLabels": {**identity_labels(labels), **owner_labels(ctx.target.name, object_id)},
        "conditions": [condition],
        "combiner": "OR",
        "enabled": True,
        "severity": severity_of(ctx, alert.severity),
    }
    reached = alert_receivers(service, alert)
    repeat = repeat_interval(service.routes, routing_labels(labels, alert.name))
    raw.update(notifications(ctx, reached, repeat, what, alert.origin))
    notes = {"severity": alert.severity, "for": format_duration(alert.for_seconds)}
    ctx.add(POLICY, object_id, raw, f"{service.name}/{alert.name}", notes)
