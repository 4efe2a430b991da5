"""Rendering one CloudWatch target: threshold and SLO alarms, the topics they notify and the mute rules of routes'
quiet hours, checked by botocore."""

from __future__ import annotations

from monaco.backends.aws_cloudwatch.config import CloudWatchConfig
from monaco.backends.aws_cloudwatch.mute_rules import mute_rules
from monaco.backends.aws_cloudwatch.render import Context, threshold_alarm
from monaco.backends.aws_cloudwatch.slo import slo_alarms
from monaco.backends.aws_cloudwatch.topic_render import topic_resource
from monaco.backends.base import RenderResult, SecretFingerprint, Target
from monaco.backends.unsupported import level_of
from monaco.ir.nodes import Model
from monaco.ir.rule_groups import RECORDS_NOT_RENDERED, records_not_rendered


def render_target(model: Model, target: Target, config: CloudWatchConfig, secrets: SecretFingerprint) -> RenderResult:
    """Every resource the selected services need on this target, checked against botocore's model."""
    from monaco.backends.aws_cloudwatch.validate import validate_resources  # botocore, only when rendering

    ctx = Context(config, target, {r.name: r for r in model.receivers})
    for service in target.selected:
        ctx.diagnostics.extend(
            records_not_rendered(service, target.name, "aws_cloudwatch", level_of(target, RECORDS_NOT_RENDERED))
        )
        for alert in service.alerts:
            threshold_alarm(ctx, service, alert)
        for slo in service.slos:
            slo_alarms(ctx, service, slo)
    mute_rules(ctx, model.time_intervals)
    for name in sorted(ctx.used):
        receiver = ctx.receivers[name]
        topic, problems = topic_resource(receiver, config, secrets, target.name)
        ctx.resources.append(topic)
        ctx.spans[topic.key] = receiver.origin
        ctx.diagnostics.extend(problems)
    ctx.diagnostics.extend(validate_resources(ctx.resources, ctx.spans, config))
    resources = sorted(ctx.resources, key=lambda r: r.key)
    return RenderResult(resources=resources, diagnostics=ctx.diagnostics)
