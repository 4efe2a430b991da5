"""A Prometheus-sourced SLO on Managed Service for Prometheus: its burn tiers as PromQL policies (pure).

With `managed_prometheus: true`, an SLO whose SLI has a prometheus source and no gcp one is not a Service
Monitoring SLO: each burn tier becomes one policy with one `conditionPrometheusQueryLanguage` holding the very
alert the Prometheus backend renders (same expression, `for`, labels; `burn_alert_rule`), so one promtool test
proves both. The expression reads the SLO's recording rules (`slo:sli_error:ratio_rate<window>`), which the
Managed Prometheus rule evaluator records from the same rule groups (a `Rules` resource holding what
`monaco compile` writes for a prometheus or prometheus_operator target). The goal and period limits of Service
Monitoring do not apply: no Service Monitoring object is made. An SLO asking for no-data gets its `absent()`
alert the same way.
"""

from __future__ import annotations

from typing import Any

from monaco.backends.gcp_monitoring.canonical import POLICY
from monaco.backends.gcp_monitoring.context import Context, identity_labels, owner_labels
from monaco.backends.gcp_monitoring.no_data_render import no_data_identity
from monaco.backends.gcp_monitoring.policy_render import documentation, notifications, repeat_interval, severity_of
from monaco.backends.gcp_monitoring.slo_render import burn_identity
from monaco.backends.gcp_monitoring.sources import gcp_metric
from monaco.backends.promrules.slo_rules import (
    burn_alert_rule,
    has_prometheus_sli,
    no_data_rule,
    no_data_severity,
    slo_group_name,
)
from monaco.ir.burnmath import format_decimal
from monaco.ir.labels import BURN_ALERT, NO_DATA_ALERT, routing_labels
from monaco.ir.nodes import Service, Slo
from monaco.ir.routing import no_data_receivers, tier_receivers
from monaco.spec.types import format_duration, parse_duration

RECORDINGS_NOTE = (
    "It reads the SLO's recording rules (slo:sli_error:ratio_rate*), which Managed Service for Prometheus "
    "records from the rule groups monaco compiles for this service."
)


def has_gcp_sli(slo: Slo) -> bool:
    """True when every series the SLO's SLI needs has a gcp source (a Service Monitoring SLO can be made)."""
    sli = slo.sli
    if sli.ratio is not None:
        counted = sli.ratio.bad or sli.ratio.good
        return gcp_metric(sli.ratio.total) is not None and gcp_metric(counted) is not None
    return gcp_metric(sli.latency if sli.latency is not None else sli.gauge) is not None


def is_promql_slo(ctx: Context, slo: Slo) -> bool:
    """True when this target renders the SLO as PromQL policies rather than a Service Monitoring SLO."""
    return ctx.config.managed_prometheus and not has_gcp_sli(slo) and has_prometheus_sli(slo)


def _condition(service: Service, slo: Slo, rule: dict[str, Any], display_name: str) -> dict[str, Any]:
    """One `conditionPrometheusQueryLanguage` carrying a rule of the SLO's group as the Prometheus backend has it."""
    promql: dict[str, Any] = {
        "query": rule["expr"],
        "duration": f"{parse_duration(rule['for']) if 'for' in rule else 0}s",
        "evaluationInterval": "30s",
        "ruleGroup": slo_group_name(service, slo),
        "alertRule": rule["alert"],
        "labels": dict(rule["labels"]),
    }
    return {"displayName": display_name, "conditionPrometheusQueryLanguage": promql}


def _policy(ctx: Context, service: Service, slo: Slo, rule: dict[str, Any], ids: tuple[str, str]) -> dict[str, Any]:
    """A one-condition policy from one alert rule of the SLO's group: documentation, labels, severity."""
    object_id, display_name = ids
    annotations, labels = rule["annotations"], rule["labels"]
    return {
        "displayName": display_name,
        "documentation": documentation(
            annotations["summary"],
            annotations["description"],
            RECORDINGS_NOTE,
            f"Runbook: {service.runbook}" if service.runbook else None,
            f"[monaco] service={service.name} team={service.team} severity={labels['severity']}",
        ),
        "userLabels": {**identity_labels(labels), **owner_labels(ctx.target.name, object_id)},
        "conditions": [_condition(service, slo, rule, display_name)],
        "combiner": "OR",
        "enabled": True,
        "severity": severity_of(ctx, labels["severity"]),
    }


def promql_slo_policies(ctx: Context, service: Service, slo: Slo) -> None:
    """Add one PromQL policy per burn tier (its window pairs OR'ed inside the expression) and the no-data one."""
    for tier in slo.tiers:
        what = f"SLO {service.name}/{slo.name} tier {tier.name}"
        rule = burn_alert_rule(service, slo, tier)
        ids = burn_identity(service, slo, tier, "")
        raw = _policy(ctx, service, slo, rule, ids)
        repeat = repeat_interval(service.routes, routing_labels(rule["labels"], BURN_ALERT))
        raw.update(notifications(ctx, tier_receivers(service, slo, tier), repeat, what, tier.origin))
        windows = ", ".join(
            f"{format_duration(p.long_seconds)}/{format_duration(p.short_seconds)}" for p in tier.windows
        )
        factors = ", ".join(format_decimal(p.factor) for p in tier.windows)
        notes = {"factor": factors, "windows": windows, "severity": tier.severity}
        ctx.add(POLICY, ids[0], raw, f"{service.name}/{slo.name}", notes)
    if slo.no_data_seconds is None or not slo.tiers:
        return
    rule = no_data_rule(service, slo)
    ids = no_data_identity(service, slo)
    raw = _policy(ctx, service, slo, rule, ids)
    repeat = repeat_interval(service.routes, routing_labels(rule["labels"], NO_DATA_ALERT))
    what = f"SLO {service.name}/{slo.name} no-data alert"
    raw.update(notifications(ctx, no_data_receivers(service, slo), repeat, what, slo.origin))
    notes = {"no data for": format_duration(slo.no_data_seconds), "severity": no_data_severity(slo)}
    ctx.add(POLICY, ids[0], raw, f"{service.name}/{slo.name}", notes)
