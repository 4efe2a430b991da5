"""IR to Azure Monitor rules: threshold alerts as metric alerts (platform metrics) or log alerts (KQL), pure.

Every resource is a canonical body (see `normalize`) keyed by a deterministic name; values Azure only
takes from a fixed set are checked here, so validate reports them with the spec line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from monaco.backends.azure_monitor.action_groups import group_name
from monaco.backends.azure_monitor.config import AzureMonitorConfig, tags
from monaco.backends.azure_monitor.durations import (
    LOG_FREQUENCIES,
    LOG_MAX_WINDOW,
    METRIC_FREQUENCIES,
    METRIC_WINDOWS,
    fixed_set_problem,
    iso_duration,
)
from monaco.backends.azure_monitor.normalize import LOG_ALERT, METRIC_ALERT, canonical_body
from monaco.backends.azure_monitor.sources import AzureLogQuery, AzureMetric, azure_source
from monaco.backends.base import Target
from monaco.backends.unsupported import not_here
from monaco.diagnostics import Diagnostic, Level, Span
from monaco.ir.labels import BURN_ALERT, burn_alert_labels, routing_labels, threshold_alert_labels
from monaco.ir.nodes import BurnTier, Model, Receiver, Service, Slo, ThresholdAlert
from monaco.ir.routing import alert_receivers
from monaco.plan.model import Resource
from monaco.spec.types import format_duration, parse_duration

OPERATORS = {
    "above": "GreaterThan",
    "above_or_equal": "GreaterThanOrEqual",
    "below": "LessThan",
    "below_or_equal": "LessThanOrEqual",
    "equal": "Equals",
}
"""Static-threshold operators of metric and log alerts (MetricCriteria / Condition `operator`)."""
DYNAMIC_OPERATORS = {"above": "GreaterThan", "below": "LessThan"}
"""Dynamic-threshold operators (DynamicMetricCriteria: GreaterThan, LessThan, GreaterOrLessThan)."""
MAX_FAILING_PERIODS = 6
"""Log alert failing periods are 1-6 (azurerm `monitor_scheduled_query_rules_alert_v2` docs)."""


@dataclass(frozen=True, slots=True)
class Routed:
    """The alerts one rendered rule raises, as the routing labels each carries, and their service."""

    service: Service
    labels: tuple[dict[str, str], ...]


@dataclass(slots=True)
class Context:
    """What rendering one target accumulates: resources, diagnostics, spans and the receiver sets routed to."""

    config: AzureMonitorConfig
    target: Target
    model: Model
    receivers: dict[str, Receiver]
    resources: list[Resource] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    spans: dict[str, Span] = field(default_factory=dict)
    receiver_sets: set[tuple[str, ...]] = field(default_factory=set)
    routed: dict[str, Routed] = field(default_factory=dict)
    """By resource key: the alerts each rule raises (quiet hours select rules by the routes they pass)."""

    def report(self, code: str, message: str, span: Span | None, hint: str | None = None) -> None:
        """Record an error or warning (at the code's own level), prefixed with the target's name."""
        level = Level.WARNING if code == "MON906" else Level.ERROR
        self.diagnostics.append(Diagnostic(code, f"target {self.target.name}: {message}", span, hint, level))

    def not_here(self, code: str, message: str, span: Span | None, hint: str | None = None) -> None:
        """Record that this target cannot express something, at the level the target sets for `code`."""
        self.diagnostics.append(not_here(self.target, code, message, span, hint))

    def severity(self, name: str) -> int:
        """Azure's severity (0 critical … 4 verbose) for a monaco severity: configured, else its rank, capped at 4."""
        if name in self.config.severities:
            return self.config.severities[name]
        ranks = [s.name for s in self.model.severities]
        return min(ranks.index(name), 4) if name in ranks else 4

    def action_group_ids(self, chosen: tuple[str, ...], what: str, span: Span) -> list[str]:
        """The one action group of the receiver set an alert reaches (routes evaluated by the IR), as an id list."""
        known = tuple(sorted(name for name in dict.fromkeys(chosen) if name in self.receivers))
        for name in chosen:
            if name not in self.receivers:
                self.report("MON907", f"{what} routes to unknown receiver {name!r}", span)
        if not known:
            self.report("MON906", f"{what} matches no route and the team has no default receiver", span)
            return []
        self.receiver_sets.add(known)
        return [self.config.action_group_id(group_name(self.config, known))]

    def add(
        self,
        kind: str,
        raw: dict[str, Any],
        name: str,
        key: str,
        span: Span,
        address: str,
        notes: Any,
        routed: Routed | None = None,
    ) -> None:
        """Add one owned resource tagged with `key` (its alerts `routed`), refusing a second of one name (MON909)."""
        raw["tags"] = tags(key, self.target.name)
        resource = Resource(kind, name, canonical_body(kind, raw), notes=dict(notes), address=address)
        if resource.key in self.spans:
            self.report("MON909", f"two alerts map to the Azure rule {name!r}; the second is not rendered", span)
            return
        self.resources.append(resource)
        self.spans[resource.key] = span
        if routed is not None:
            self.routed[resource.key] = routed


def tier_routed(service: Service, slo: Slo, tier: BurnTier) -> Routed:
    """The one alert a burn-rate tier's rule raises, with the labels routes see."""
    return Routed(service, (routing_labels(burn_alert_labels(service, slo, tier), BURN_ALERT),))


def description(*lines: str | None, limit: int = 2048) -> str:
    """A rule description from non-empty lines, cut to Azure's limit (2,048 characters; log alerts 4,096)."""
    text = "\n".join(line for line in lines if line)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def timing_problem(source: AzureMetric | AzureLogQuery) -> str | None:
    """Why Azure refuses the source's frequency and window, or None (the sets are in `durations`)."""
    frequency, window = parse_duration(source.frequency), parse_duration(source.window)
    if isinstance(source, AzureMetric):
        found = fixed_set_problem("evaluation frequency", frequency, METRIC_FREQUENCIES)
        found = found or fixed_set_problem("window", window, METRIC_WINDOWS)
    else:
        found = fixed_set_problem("evaluation frequency", frequency, LOG_FREQUENCIES)
        if found is None and not (0 < window <= LOG_MAX_WINDOW and window % 60 == 0):
            found = f"window {iso_duration(window)} is not whole minutes up to P2D"
        if found is None and window == 60 and frequency != 60:
            found = "a PT1M window needs a PT1M frequency"
    if found is None and window < frequency:
        found = f"window {iso_duration(window)} is shorter than the frequency {iso_duration(frequency)}"
    return found


def metric_criteria(source: AzureMetric, operator: str, threshold: float) -> dict[str, Any]:
    """SingleResource static criteria, or MultipleResource dynamic criteria when the source asks for them."""
    criterion: dict[str, Any] = {
        "name": "c1",
        "metricName": source.metric,
        "metricNamespace": source.namespace,
        "timeAggregation": source.aggregation,
        "operator": operator,
        "dimensions": [
            {"name": name, "operator": "Include", "values": values}
            for name, values in sorted(source.dimensions.items())
        ],
    }
    if source.dynamic is None:
        criterion |= {"criterionType": "StaticThresholdCriterion", "threshold": float(threshold)}
        return {"odata.type": "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria", "allOf": [criterion]}
    criterion |= {
        "criterionType": "DynamicThresholdCriterion",
        "alertSensitivity": source.dynamic,
        "failingPeriods": {"numberOfEvaluationPeriods": 4, "minFailingPeriodsToAlert": 4},
    }
    return {"odata.type": "Microsoft.Azure.Monitor.MultipleResourceMultipleMetricCriteria", "allOf": [criterion]}


def _operator(ctx: Context, what: str, alert: ThresholdAlert, dynamic: bool) -> str | None:
    """The Azure operator of the alert's comparison, or None when reported inexpressible (MON902)."""
    operators = DYNAMIC_OPERATORS if dynamic else OPERATORS
    found = operators.get(alert.comparison or "")
    if found is None or alert.threshold is None:
        ctx.report(
            "MON902",
            f"{what}: Azure {'dynamic thresholds compare with above or below' if dynamic else 'rules compare with >, >=, <, <= or =='}; "
            f"{alert.comparison or 'no condition'} is not expressible",
            alert.origin,
            "write `when: {above: N}` (or above_or_equal, below, below_or_equal)",
        )
    return found


def _rule_properties(
    ctx: Context, service: Service, alert: ThresholdAlert, source: AzureMetric | AzureLogQuery
) -> dict[str, Any]:
    """What metric and log alerts share: description, severity, the one scope, timing, auto-mitigation."""
    return {
        "description": description(
            alert.summary,
            alert.description,
            f"Runbook: {alert.runbook}" if alert.runbook else None,
            f"[monaco] service={service.name} team={service.team} severity={alert.severity}",
        ),
        "severity": ctx.severity(alert.severity),
        "enabled": True,
        "scopes": [source.scope],
        "evaluationFrequency": iso_duration(parse_duration(source.frequency)),
        "windowSize": iso_duration(parse_duration(source.window)),
        "autoMitigate": True,
    }


def threshold_rule(ctx: Context, service: Service, alert: ThresholdAlert) -> bool:
    """A metric or log alert for one threshold alert with an Azure source; False when it has none."""
    source = azure_source(alert.source)
    if source is None:
        return False
    what = f"alert {service.name}/{alert.name}"
    operator = _operator(ctx, what, alert, isinstance(source, AzureMetric) and source.dynamic is not None)
    if operator is None:
        return True
    if (problem := timing_problem(source)) is not None:
        ctx.report("MON903", f"{what}: {problem}", alert.origin, "use a frequency and window from Azure's sets")
        return True
    if alert.keep_firing_for_seconds:
        ctx.not_here(
            "MON908", f"{what}: keep_firing_for is not expressible on Azure (auto-mitigate resolves it)", alert.origin
        )
    identity = alert.key or alert.name
    properties = _rule_properties(ctx, service, alert, source)
    groups = ctx.action_group_ids(alert_receivers(service, alert), what, alert.origin)
    notes = {"severity": alert.severity, "condition": f"{alert.comparison} {alert.threshold:g}"}
    name = ctx.config.resource_name(service.name, identity)
    key, address = f"{service.name}/alert/{identity}", f"{service.name}/{alert.name}"
    routed = Routed(service, (routing_labels(threshold_alert_labels(service, alert), alert.name),))
    if isinstance(source, AzureMetric):
        if alert.for_seconds and source.dynamic is None:
            ctx.not_here("MON908", f"{what}: `for` is not expressible on a static metric alert", alert.origin)
        properties["criteria"] = metric_criteria(source, operator, float(alert.threshold or 0))
        properties["actions"] = [{"actionGroupId": group} for group in groups]
        ctx.add(METRIC_ALERT, {"properties": properties}, name, key, alert.origin, address, notes, routed)
        return True
    window = parse_duration(source.window)
    periods = min(MAX_FAILING_PERIODS, max(1, math.ceil(alert.for_seconds / window)))
    notes["failing periods"] = f"{periods} of {format_duration(window)}"
    properties |= {
        "displayName": f"{service.name}/{alert.name}",
        "description": properties["description"][:4096],
        "criteria": {"allOf": [_log_condition(source, operator, float(alert.threshold or 0), periods)]},
        "actions": {"actionGroups": groups},
    }
    raw = {"location": ctx.config.location, "kind": "LogAlert", "properties": properties}
    ctx.add(LOG_ALERT, raw, name, key, alert.origin, address, notes, routed)
    return True


def _log_condition(source: AzureLogQuery, operator: str, threshold: float, periods: int) -> dict[str, Any]:
    """One log-alert condition: the query, its aggregation, the threshold and how many periods must fail."""
    condition: dict[str, Any] = {
        "query": source.query,
        "timeAggregation": source.aggregation,
        "operator": operator,
        "threshold": threshold,
        "failingPeriods": {"numberOfEvaluationPeriods": periods, "minFailingPeriodsToAlert": periods},
    }
    if source.measure_column:
        condition["metricMeasureColumn"] = source.measure_column
    return condition
