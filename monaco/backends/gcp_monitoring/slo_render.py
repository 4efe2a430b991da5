"""SLOs to a Service Monitoring service and SLO, and one burn-rate policy per tier (per window pair) (pure).

A tier's policy has two `select_slo_burn_rate` conditions, the long and the short window, joined with AND, each
with the tier's exact burn-rate factor from the IR (`BurnWindowPair.factor`, never recomputed). A tier with
several window pairs (OR'ed) gets one policy per pair: Cloud Monitoring's combiner cannot mix AND and OR, and
any one policy firing is the OR. A goal or period Cloud Monitoring cannot hold is MON804 at the spec line, and the
SLO is not rendered: it is never changed silently.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from monaco.backends.gcp_monitoring.canonical import POLICY, SERVICE, SLO
from monaco.backends.gcp_monitoring.config import label_value, resource_id
from monaco.backends.gcp_monitoring.context import Context, identity_labels, owner_labels
from monaco.backends.gcp_monitoring.no_data_render import no_data_identity, no_data_policy
from monaco.backends.gcp_monitoring.policy_render import documentation, notifications, repeat_interval, severity_of
from monaco.backends.gcp_monitoring.sources import gcp_metric
from monaco.ir.burnmath import format_decimal
from monaco.ir.labels import BURN_ALERT, burn_alert_labels, routing_labels
from monaco.ir.nodes import BurnTier, BurnWindowPair, Service, Slo
from monaco.ir.routing import tier_receivers
from monaco.spec.types import format_duration

MAX_GOAL = Decimal("0.9999")
"""service.py ServiceLevelObjective.goal: "0 < goal <= 0.9999"."""
DAY = 86400
MAX_PERIOD = 30 * DAY
"""service.py rolling_period: "an integer multiple of 1 day no larger than 30 days"."""


def slo_id(slo: Slo) -> str:
    """The client-chosen SLO id."""
    return resource_id(slo.name)


def _goal_problem(slo: Slo) -> str | None:
    goal = slo.objective / 100
    if goal > MAX_GOAL:
        return f"objective {format_decimal(slo.objective)}% is above Cloud Monitoring's maximum goal of 99.99%"
    if slo.period_seconds % DAY or slo.period_seconds > MAX_PERIOD:
        return f"period {format_duration(slo.period_seconds)} is not a whole number of days up to 30d"
    return None


def _indicator(ctx: Context, service: Service, slo: Slo, what: str) -> dict[str, Any] | None:
    """The SLO's service level indicator from its gcp sources, or None (MON801) when one is missing."""
    sli = slo.sli
    if sli.ratio is not None:
        counted = gcp_metric(sli.ratio.bad or sli.ratio.good)
        total = gcp_metric(sli.ratio.total)
        if counted is None or total is None:
            ctx.missing_source(what, slo.origin)
            return None
        side = "badServiceFilter" if sli.ratio.bad is not None else "goodServiceFilter"
        ratio = {side: counted.render_filter(), "totalServiceFilter": total.render_filter()}
        return {"requestBased": {"goodTotalRatio": ratio}}
    if sli.latency is not None:
        metric = gcp_metric(sli.latency)
        if metric is None:
            ctx.missing_source(what, slo.origin)
            return None
        boundary = sli.latency.threshold * metric.threshold_scale
        cut = {"distributionFilter": metric.render_filter(), "range": {"max": boundary}}
        return {"requestBased": {"distributionCut": cut}}
    gauge = gcp_metric(sli.gauge)
    if gauge is None:
        ctx.missing_source(what, slo.origin)
        return None
    ctx.not_here(
        "MON809",
        f"{what}: a gauge SLI is rendered as windows-based: the share of 1-minute windows whose mean is 1",
        slo.origin,
    )
    in_range = {"timeSeries": gauge.render_filter(), "range": {"min": 1, "max": 1}}
    return {"windowsBased": {"windowPeriod": "60s", "metricMeanInRange": in_range}}


def _report_unexpressed(ctx: Context, slo: Slo, what: str) -> None:
    """MON808 for what the SLO asks that Cloud Monitoring's burn-rate policies cannot say."""
    for asked, text in (
        (slo.group_by, "group_by (one SLO covers every series)"),
        (slo.min_events, "min_events"),
    ):
        if asked:
            ctx.not_here("MON808", f"{what}: {text} is not expressible on Cloud Monitoring", slo.origin)


def service_object(ctx: Context, service: Service) -> str:
    """Add the service's Service Monitoring service (a custom service); its id."""
    service_id = ctx.config.service_id(service.name)
    labels = {**identity_labels({"service": service.name, "team": service.team})}
    raw = {
        "displayName": service.name,
        "custom": {},
        "userLabels": {**labels, **owner_labels(ctx.target.name, label_value(service_id))},
    }
    ctx.add(SERVICE, service_id, raw, service.name, {"team": service.team})
    return service_id


def slo_objects(ctx: Context, service: Service, slo: Slo, service_id: str | None) -> str | None:
    """Add one SLO and its burn-rate policies; the service id it needs (created on first use), or None."""
    what = f"SLO {service.name}/{slo.name}"
    indicator = _indicator(ctx, service, slo, what)
    if indicator is None:
        return service_id
    if (problem := _goal_problem(slo)) is not None:
        ctx.report("MON804", f"{what}: {problem}; it is not rendered", slo.origin)
        return service_id
    _report_unexpressed(ctx, slo, what)
    service_id = service_id or service_object(ctx, service)
    name = f"{service_id}/{slo_id(slo)}"
    raw = {
        "displayName": f"{service.name} {slo.name}",
        "goal": float(slo.objective / 100),
        "rollingPeriod": f"{slo.period_seconds}s",
        "serviceLevelIndicator": indicator,
        "userLabels": owner_labels(ctx.target.name, label_value(f"{service.name}--{slo.name}")),
    }
    notes = {"objective": f"{format_decimal(slo.objective)}%", "period": format_duration(slo.period_seconds)}
    ctx.add(SLO, name, raw, f"{service.name}/{slo.name}", notes)
    full_name = f"{ctx.config.parent}/services/{service_id}/serviceLevelObjectives/{slo_id(slo)}"
    for tier in slo.tiers:
        for index, pair in enumerate(tier.windows):
            burn_policy(ctx, service, slo, tier, pair, full_name, pair_suffix(tier, index))
    no_data_policy(ctx, service, slo)
    return service_id


def pair_suffix(tier: BurnTier, index: int) -> str:
    """`--N` for the Nth window pair of a tier with several, else nothing."""
    return f"--{index + 1}" if len(tier.windows) > 1 else ""


def burn_identity(service: Service, slo: Slo, tier: BurnTier, suffix: str) -> tuple[str, str]:
    """The monaco id and the display name of one burn-rate policy."""
    object_id = label_value(f"{service.name}--{slo.name}--{tier.name}{suffix}")
    return object_id, f"{service.name}/{slo.name} burn rate ({tier.name}{suffix.replace('--', ' ')})"


def policy_identities(service: Service) -> dict[str, str]:
    """Display name -> monaco id of every policy the service's SLOs could have (to spot unowned namesakes)."""
    found: dict[str, str] = {}
    for slo in service.slos:
        for tier in slo.tiers:
            suffixes = {"", *(pair_suffix(tier, index) for index in range(len(tier.windows)))}  # "": a PromQL SLO's
            for suffix in sorted(suffixes):
                object_id, display_name = burn_identity(service, slo, tier, suffix)
                found[display_name] = object_id
        object_id, display_name = no_data_identity(service, slo)
        found[display_name] = object_id
    return found


def _burn_condition(slo_name: str, seconds: int, factor: Decimal, duration: int) -> dict[str, Any]:
    """One `select_slo_burn_rate` condition over `seconds`, above the tier's exact factor."""
    threshold = {
        "filter": f'select_slo_burn_rate("{slo_name}", "{seconds}s")',
        "comparison": "COMPARISON_GT",
        "thresholdValue": float(factor),
        "duration": f"{duration}s",
    }
    return {
        "displayName": f"burn rate over {format_duration(seconds)} above {format_decimal(factor)}",
        "conditionThreshold": threshold,
    }


def burn_policy(
    ctx: Context, service: Service, slo: Slo, tier: BurnTier, pair: BurnWindowPair, slo_name: str, suffix: str
) -> None:
    """The policy of one tier's window pair: long AND short window burning faster than the factor."""
    what = f"SLO {service.name}/{slo.name} tier {tier.name}"
    if tier.for_seconds % 60:
        ctx.report("MON803", f"{what}: `for` {format_duration(tier.for_seconds)} is not whole minutes", tier.origin)
        return
    object_id, display_name = burn_identity(service, slo, tier, suffix)
    labels = burn_alert_labels(service, slo, tier)
    long_w, short_w = format_duration(pair.long_seconds), format_duration(pair.short_seconds)
    factor = format_decimal(pair.factor)
    text = (
        f"SLO {slo.name} of {service.name} (objective {format_decimal(slo.objective)}% over "
        f"{format_duration(slo.period_seconds)}): the error budget burns faster than {factor}x over both "
        f"{long_w} and {short_w} ({format_decimal(pair.budget_fraction * 100)}% of the budget in {long_w})."
    )
    raw: dict[str, Any] = {
        "displayName": display_name,
        "documentation": documentation(
            f"{service.name} {slo.name}: error budget burning too fast ({tier.name})",
            text,
            f"Runbook: {service.runbook}" if service.runbook else None,
            f"[monaco] service={service.name} team={service.team} severity={tier.severity}",
        ),
        "userLabels": {**identity_labels(labels), **owner_labels(ctx.target.name, object_id)},
        "conditions": [
            _burn_condition(slo_name, pair.long_seconds, pair.factor, tier.for_seconds),
            _burn_condition(slo_name, pair.short_seconds, pair.factor, tier.for_seconds),
        ],
        "combiner": "AND",
        "enabled": True,
        "severity": severity_of(ctx, tier.severity),
    }
    repeat = repeat_interval(service.routes, routing_labels(labels, BURN_ALERT))
    raw.update(notifications(ctx, tier_receivers(service, slo, tier), repeat, what, tier.origin))
    notes = {"factor": factor, "windows": f"{long_w}/{short_w}", "severity": tier.severity}
    ctx.add(POLICY, object_id, raw, f"{service.name}/{slo.name}", notes)
