"""SLOs on platform metrics: Azure cannot AND two windows, so each pair is alerted on its long window alone (reported).

A metric alert has one window and cannot divide two metrics, and Azure has no composite alerts. The
documented fallback (MON904, at the level the target sets): for a gauge SLI on a platform metric (a
0/1 or 0-1 series; its average over a window is the good fraction), every window pair becomes one
metric alert on its long window, `Average < 1 - threshold`. The SRE workbook's long-window-only alert
detects as precisely as the pair but resets later (the short window is what makes a pair stop firing
soon after the burn stops). A long window outside Azure's metric windows (PT1M … P1D) is left out with
MON905. A ratio of two platform metrics cannot be computed at all: MON904 and no rule; send the
metrics to Log Analytics for a KQL SLI, or to managed Prometheus for a PromQL one.
"""

from __future__ import annotations

from decimal import Decimal

from monaco.backends.azure_monitor.durations import METRIC_WINDOWS, iso_duration
from monaco.backends.azure_monitor.normalize import METRIC_ALERT
from monaco.backends.azure_monitor.render import Context, description, metric_criteria, tier_routed, timing_problem
from monaco.backends.azure_monitor.sources import AzureMetric, azure_source
from monaco.ir.burnmath import format_decimal
from monaco.ir.nodes import BurnTier, BurnWindowPair, Service, Slo
from monaco.ir.routing import tier_receivers
from monaco.spec.types import format_duration, parse_duration

HINT = "send the metric to Log Analytics and write a KQL SLI (`azure: {scope, query}`), or use a PromQL SLI"


def _pair_alert(
    ctx: Context, service: Service, slo: Slo, tier: BurnTier, gauge: AzureMetric, pair: BurnWindowPair
) -> None:
    """One metric alert on the pair's long window: the gauge's average below 1 - the pair's threshold."""
    what = f"SLO {service.name}/{slo.name} tier {tier.name}"
    label = format_duration(pair.long_seconds)
    if pair.long_seconds not in METRIC_WINDOWS:
        ctx.not_here(
            "MON905",
            f"{what}: the {label} window is not one a metric alert takes (PT1M ... P1D); this window pair is not rendered",
            tier.origin,
            HINT,
        )
        return
    good_floor = Decimal(1) - pair.threshold
    properties = {
        "description": description(
            f"{what}: good fraction over {label} below {format_decimal(good_floor)} (long window only: Azure "
            "cannot AND it with the short window).",
            f"[monaco] service={service.name} team={service.team} objective={format_decimal(slo.objective)}%",
        ),
        "severity": ctx.severity(tier.severity),
        "enabled": True,
        "scopes": [gauge.scope],
        "evaluationFrequency": iso_duration(parse_duration(gauge.frequency)),
        "windowSize": iso_duration(pair.long_seconds),
        "criteria": metric_criteria(gauge.model_copy(update={"aggregation": "Average"}), "LessThan", float(good_floor)),
        "autoMitigate": True,
        "actions": [
            {"actionGroupId": group}
            for group in ctx.action_group_ids(tier_receivers(service, slo, tier), what, tier.origin)
        ],
    }
    notes = {
        "fallback": "long window only (Azure cannot AND two windows)",
        "severity": tier.severity,
        f"threshold error ratio ({label}/{format_duration(pair.short_seconds)})": format_decimal(pair.threshold),
    }
    name = ctx.config.resource_name(service.name, "slo", slo.name, tier.name, label)
    key = f"{service.name}/slo/{slo.name}/{tier.name}/{label}"
    routed = tier_routed(service, slo, tier)
    ctx.add(
        METRIC_ALERT, {"properties": properties}, name, key, tier.origin, f"{service.name}/{slo.name}", notes, routed
    )


def metric_slo(ctx: Context, service: Service, slo: Slo) -> None:
    """The documented fallback for an SLO whose SLI is a platform metric, always reported with MON904."""
    gauge = azure_source(slo.sli.gauge) if slo.sli.gauge is not None else None
    if not isinstance(gauge, AzureMetric):
        ctx.not_here(
            "MON904",
            f"SLO {service.name}/{slo.name}: this SLI (a ratio over platform metrics, or a KQL gauge) cannot be "
            "computed by an Azure metric alert (one metric, one window, no composite alerts); no burn-rate rule is "
            "rendered for it",
            slo.origin,
            HINT,
        )
        return
    if (problem := timing_problem(gauge.model_copy(update={"window": "1d"}))) is not None:
        ctx.report("MON903", f"SLO {service.name}/{slo.name}: {problem}", slo.origin)
        return
    ctx.not_here(
        "MON904",
        f"SLO {service.name}/{slo.name}: Azure metric alerts cannot AND a long and a short window; each window pair "
        "is alerted on its long window alone (as precise, but it resets later)",
        slo.origin,
        HINT,
    )
    for tier in slo.tiers:
        for pair in tier.windows:
            _pair_alert(ctx, service, slo, tier, gauge, pair)
