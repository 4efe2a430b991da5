"""Rendering one Azure Monitor target: metric and log alerts, SLO rules, rule groups, the action groups they use,
and the processing rules of routes' quiet hours."""

from __future__ import annotations

from monaco.backends.azure_monitor.action_groups import action_group_resource
from monaco.backends.azure_monitor.config import AzureMonitorConfig
from monaco.backends.azure_monitor.quiet_hours import quiet_hours_rules
from monaco.backends.azure_monitor.render import Context, threshold_rule
from monaco.backends.azure_monitor.rule_groups import azure_sli, prometheus_rule_groups, promql_part
from monaco.backends.azure_monitor.slo import azure_slo
from monaco.backends.azure_monitor.sources import azure_source
from monaco.backends.base import RenderResult, SecretFingerprint, Target
from monaco.backends.unsupported import level_of
from monaco.ir.nodes import Model, Service
from monaco.ir.rule_groups import RECORDS_NOT_RENDERED, records_not_rendered

HINT = (
    "add `azure: {scope, namespace, metric}` or `azure: {scope, query}`, or PromQL with the target's monitor_workspace"
)


def _missing(ctx: Context, service: Service) -> None:
    """MON901 for each alert and SLO this target can render nowhere (no Azure source, no PromQL it can place)."""
    placed = promql_part(service) if ctx.config.monitor_workspace else None
    for alert in service.alerts:
        if azure_source(alert.source) is not None or (placed is not None and alert in placed.alerts):
            continue
        message = f"alert {service.name}/{alert.name} has no azure source; it is not rendered on this target"
        ctx.not_here("MON901", message, alert.origin, HINT)
    for slo in service.slos:
        if azure_sli(slo):
            continue
        if slo.sli.latency is not None and (placed is None or slo not in placed.slos):
            ctx.not_here(
                "MON911", f"SLO {service.name}/{slo.name}: a latency SLI has no Azure source", slo.origin, HINT
            )
        elif placed is None or slo not in placed.slos:
            message = f"SLO {service.name}/{slo.name} has no azure SLI; it is not rendered on this target"
            ctx.not_here("MON901", message, slo.origin, HINT)


def render_target(model: Model, target: Target, config: AzureMonitorConfig, secrets: SecretFingerprint) -> RenderResult:
    """Every resource the selected services need on this target, with the action groups their routes reach."""
    ctx = Context(config, target, model, {r.name: r for r in model.receivers})
    for service in target.selected:
        for alert in service.alerts:
            threshold_rule(ctx, service, alert)
        for slo in service.slos:
            if azure_sli(slo):
                azure_slo(ctx, service, slo)
        if config.monitor_workspace:
            prometheus_rule_groups(ctx, service)
        else:
            level = level_of(target, RECORDS_NOT_RENDERED)
            ctx.diagnostics.extend(records_not_rendered(service, target.name, "azure_monitor", level))
        _missing(ctx, service)
    quiet_hours_rules(ctx)
    for members in sorted(ctx.receiver_sets):
        group, problems = action_group_resource(config, [ctx.receivers[n] for n in members], secrets, target.name)
        ctx.resources.append(group)
        ctx.diagnostics.extend(problems)
    resources = sorted(ctx.resources, key=lambda r: r.key)
    return RenderResult(resources=resources, diagnostics=ctx.diagnostics)
