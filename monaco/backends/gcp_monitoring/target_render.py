"""Rendering one gcp_monitoring target: threshold policies, SLOs with their burn-rate policies, and channels."""

from __future__ import annotations

from monaco.backends.base import RenderResult, SecretFingerprint, Target
from monaco.backends.gcp_monitoring.channel_render import receiver_channels
from monaco.backends.gcp_monitoring.config import GcpConfig
from monaco.backends.gcp_monitoring.context import Context
from monaco.backends.gcp_monitoring.policy_render import threshold_policy
from monaco.backends.gcp_monitoring.promql_slo_render import is_promql_slo, promql_slo_policies
from monaco.backends.gcp_monitoring.slo_render import slo_objects
from monaco.backends.unsupported import level_of
from monaco.ir.nodes import Model
from monaco.ir.rule_groups import RECORDS_NOT_RENDERED, records_not_rendered
from monaco.ir.time_intervals import QUIET_HOURS_NOT_RENDERED, quiet_hours_not_rendered


def render_target(model: Model, target: Target, config: GcpConfig, secrets: SecretFingerprint) -> RenderResult:
    """Every object the selected services need on this target, in canonical form, sorted by key."""
    ctx = Context(config, target, {r.name: r for r in model.receivers}, paging=model.paging_severities)
    for service in target.selected:
        ctx.diagnostics.extend(
            records_not_rendered(service, target.name, "gcp_monitoring", level_of(target, RECORDS_NOT_RENDERED))
        )
        ctx.diagnostics.extend(
            quiet_hours_not_rendered(service, target.name, "gcp_monitoring", level_of(target, QUIET_HOURS_NOT_RENDERED))
        )
        for alert in service.alerts:
            threshold_policy(ctx, service, alert)
        service_id: str | None = None
        for slo in service.slos:
            if is_promql_slo(ctx, slo):
                promql_slo_policies(ctx, service, slo)
            else:
                service_id = slo_objects(ctx, service, slo, service_id)
    for name in sorted(ctx.used):
        ctx.resources.extend(receiver_channels(ctx, ctx.receivers[name], secrets))
    return RenderResult(resources=sorted(ctx.resources, key=lambda r: r.key), diagnostics=ctx.diagnostics)
