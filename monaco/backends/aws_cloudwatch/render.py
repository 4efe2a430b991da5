"""IR to CloudWatch requests: threshold alarms, burn-rate alarms and SNS topics, deterministic and pure.

Every rendered resource is a canonical body (see `normalize`) keyed by its AlarmName or topic name.
What CloudWatch cannot express is a diagnostic naming the spec line, never a silent drop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from monaco.backends.aws_cloudwatch.config import (
    KEY_TAG,
    OWNER_TAG,
    OWNER_VALUE,
    TARGET_TAG,
    CloudWatchConfig,
    alarm_part,
    tag_value,
)
from monaco.backends.aws_cloudwatch.metrics import math_alarm_metrics, single_metric, stat_error
from monaco.backends.aws_cloudwatch.normalize import ALARM, canonical_alarm
from monaco.backends.aws_cloudwatch.sources import CloudWatchMath, CloudWatchMetric, cloudwatch_source
from monaco.backends.aws_cloudwatch.topic_render import send_resolved
from monaco.backends.base import Target
from monaco.backends.unsupported import not_here
from monaco.diagnostics import Diagnostic, Level, Span
from monaco.ir.labels import routing_labels, threshold_alert_labels
from monaco.ir.nodes import Receiver, Service, ThresholdAlert
from monaco.ir.routing import alert_receivers
from monaco.plan.model import Resource
from monaco.spec.types import format_duration, parse_duration

COMPARISONS = {
    "above": "GreaterThanThreshold",
    ">": "GreaterThanThreshold",
    "above_or_equal": "GreaterThanOrEqualToThreshold",
    ">=": "GreaterThanOrEqualToThreshold",
    "below": "LessThanThreshold",
    "<": "LessThanThreshold",
    "below_or_equal": "LessThanOrEqualToThreshold",
    "<=": "LessThanOrEqualToThreshold",
}
MAX_ACTIONS = 5


@dataclass(slots=True)
class Context:
    """What rendering one target accumulates: resources, diagnostics, spans and the receivers used."""

    config: CloudWatchConfig
    target: Target
    receivers: dict[str, Receiver]
    resources: list[Resource] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    spans: dict[str, Span] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    routed: dict[str, tuple[Service, dict[str, str]]] = field(default_factory=dict)
    """Alarm name -> (service, the routing labels its actions were chosen by), for mute rules."""

    def report(
        self, code: str, message: str, span: Span | None, hint: str | None = None, lvl: Level = Level.ERROR
    ) -> None:
        """Record a diagnostic, prefixed with the target's name."""
        self.diagnostics.append(Diagnostic(code, f"target {self.target.name}: {message}", span, hint, lvl))

    def not_here(self, code: str, message: str, span: Span | None, hint: str | None = None) -> None:
        """Record that this target cannot express something, at the level the target sets for `code`."""
        self.diagnostics.append(not_here(self.target, code, message, span, hint))

    def missing_source(self, what: str, span: Span) -> None:
        """Report an alert or SLO that has no CloudWatch source and so is not rendered here."""
        self.not_here(
            "MON701",
            f"{what} has no cloudwatch source; it is not rendered on this target",
            span,
            "add `cloudwatch: {namespace, metric, dimensions, stat, period}` next to its prometheus source",
        )

    def tags(self, key: str) -> dict[str, str]:
        """The ownership tags of a resource with stable monaco key `key`: monaco's marker and this target."""
        return {OWNER_TAG: OWNER_VALUE, KEY_TAG: tag_value(key), TARGET_TAG: self.target.name}

    def actions(self, chosen: tuple[str, ...], what: str, span: Span) -> dict[str, list[str]]:
        """AlarmActions and OKActions: the topics of the receivers the alert's routes reach (from the IR)."""
        if not chosen:
            self.report(
                "MON709",
                f"{what} matches no route and the team has no default receiver; the alarm notifies no one",
                span,
                "add a route matching its severity",
                Level.WARNING,
            )
        known = [name for name in chosen if name in self.receivers]
        for name in chosen:
            if name not in self.receivers:
                self.report("MON708", f"{what} routes to unknown receiver {name!r}", span)
        if len(known) > MAX_ACTIONS:
            self.report(
                "MON708",
                f"{what} routes to {len(known)} receivers; a CloudWatch alarm takes at most {MAX_ACTIONS} actions",
                span,
                "route fewer receivers, or share one receiver",
            )
            known = known[:MAX_ACTIONS]
        self.used.update(known)
        arns = [self.config.topic_arn(self.config.topic_name(n)) for n in known]
        resolved = [self.config.topic_arn(self.config.topic_name(n)) for n in known if send_resolved(self.receivers[n])]
        return {"AlarmActions": arns, "OKActions": resolved}

    def add_alarm(self, raw: dict[str, Any], key: str, span: Span, address: str, notes: dict[str, str]) -> None:
        """Add one alarm resource, tagged as monaco's with stable key `key`."""
        body = canonical_alarm(raw, self.tags(key))
        resource = Resource(ALARM, body["AlarmName"], body, notes=notes, address=address)
        if resource.key in self.spans:
            message = f"two alerts of one service map to the alarm name {resource.name!r}; the second is not rendered"
            self.report("MON715", message, span, "give one of them another name or severity")
            return
        self.resources.append(resource)
        self.spans[resource.key] = span


def description(*lines: str | None) -> str:
    """An AlarmDescription from non-empty lines, cut to CloudWatch's 1024 characters."""
    text = "\n".join(line for line in lines if line)
    return text if len(text) <= 1024 else text[:1021] + "..."


def period_problem(period: int, evaluation_periods: int) -> str | None:
    """Why CloudWatch would reject this Period and EvaluationPeriods, or None."""
    if period not in (10, 20, 30) and (period <= 0 or period % 60):
        return f"period {format_duration(period)} is not 10s, 20s, 30s or a whole number of minutes"
    if period > 86400:
        return f"period {format_duration(period)} is longer than CloudWatch's 1d maximum"
    limit = 86400 if period < 3600 else 604800
    if period * evaluation_periods > limit:
        return (
            f"period x evaluation periods = {format_duration(period * evaluation_periods)} exceeds "
            f"{format_duration(limit)} (CloudWatch's limit for {format_duration(period)} periods)"
        )
    return None


def _alarm_metrics(
    ctx: Context, what: str, alert: ThresholdAlert, source: CloudWatchMetric | CloudWatchMath, raw: dict[str, Any]
) -> int | None:
    """Add the alarm's metric (or metric-math queries) to `raw`; its period, or None when reported invalid."""
    if isinstance(source, CloudWatchMetric):
        if (error := stat_error(source.stat)) is not None:
            ctx.report("MON713", f"{what}: {error}", alert.origin)
            return None
        raw.update(single_metric(source))
        return int(raw["Period"])
    queries, problems = math_alarm_metrics(source)
    for problem in problems:
        ctx.report("MON713", f"{what}: {problem}", alert.origin)
    if problems:
        return None
    raw["Metrics"] = queries
    return parse_duration(source.period)


def _report_keep_firing_for(ctx: Context, what: str, alert: ThresholdAlert) -> None:
    """MON712 (info): CloudWatch has no keep_firing_for."""
    if alert.keep_firing_for_seconds:
        ctx.not_here(
            "MON712",
            f"{what}: keep_firing_for is not expressible on CloudWatch; the alarm returns to OK "
            "as soon as a datapoint no longer breaches",
            alert.origin,
        )


def threshold_alarm(ctx: Context, service: Service, alert: ThresholdAlert) -> None:
    """A metric alarm for one threshold alert, or diagnostics saying why there is none."""
    what = f"alert {service.name}/{alert.name}"
    source = cloudwatch_source(alert.source)
    if source is None:
        ctx.missing_source(what, alert.origin)
        return
    operator = COMPARISONS.get(alert.comparison or "")
    if operator is None or alert.threshold is None:
        ctx.report(
            "MON702",
            f"{what}: CloudWatch alarms compare with >, >=, < or <=; "
            f"{alert.comparison or 'no condition'} is not expressible",
            alert.origin,
            "write `when: {above: N}` (or above_or_equal, below, below_or_equal)",
        )
        return
    identity = alert.key or alert.name  # the name, or name.severity when a severity ladder repeats it
    raw: dict[str, Any] = {"AlarmName": ctx.config.alarm_name(service.name, alarm_part(identity))}
    period = _alarm_metrics(ctx, what, alert, source, raw)
    if period is None:
        return
    evaluation = max(1, math.ceil(alert.for_seconds / period))
    if (limit := period_problem(period, evaluation)) is not None:
        ctx.report("MON703", f"{what}: {limit}", alert.origin, "shorten `for` or lengthen the source's period")
        return
    _report_keep_firing_for(ctx, what, alert)
    raw.update(ctx.actions(alert_receivers(service, alert), what, alert.origin))
    raw.update(
        AlarmDescription=description(
            alert.summary,
            alert.description,
            f"Runbook: {alert.runbook}" if alert.runbook else None,
            f"[monaco] service={service.name} team={service.team} severity={alert.severity}",
        ),
        EvaluationPeriods=evaluation,
        DatapointsToAlarm=evaluation,
        Threshold=float(alert.threshold),
        ComparisonOperator=operator,
        TreatMissingData="notBreaching",
    )
    notes = {
        "severity": alert.severity,
        "condition": f"{alert.comparison} {alert.threshold:g}",
        "for": format_duration(alert.for_seconds),
    }
    ctx.add_alarm(raw, f"{service.name}/alert/{identity}", alert.origin, f"{service.name}/{alert.name}", notes)
    ctx.routed.setdefault(
        raw["AlarmName"], (service, routing_labels(threshold_alert_labels(service, alert), alert.name))
    )
