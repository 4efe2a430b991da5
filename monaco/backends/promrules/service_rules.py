"""Services to Prometheus rule groups: one group per service (recordings, then threshold alerts), plus SLO groups.

`service_groups` is what every backend shipping Prometheus rules renders for a service, with the
plan's address and notes of each group; MON301 (an alert without a PromQL source) is reported here.

The service's recording rules share its group and come first: Prometheus evaluates a group's rules
in order, so an alert reading a recording sees the value of the same evaluation, not the previous
one. The group carries the service's `interval`, `limit` and `query_offset` (pure).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from monaco.backends.promrules.promql import render_prom_metric
from monaco.backends.promrules.slo_notes import slo_notes
from monaco.backends.promrules.slo_rules import MISSING_SLI, has_prometheus_sli, missing_sli, render_slo_groups
from monaco.backends.promrules.sources import PromMetric, prom_source
from monaco.diagnostics import Diagnostic, Diagnostics, Level
from monaco.ir.labels import threshold_alert_labels
from monaco.ir.nodes import GroupOptions, RecordingRule, Service, ThresholdAlert
from monaco.ir.tracing import alert_window_seconds, trace_url
from monaco.plan.yamltext import dump_yaml
from monaco.spec.types import format_duration, parse_duration

_DURATION_FIELDS = ("for", "keep_firing_for")
MISSING_PROMQL = "MON301"
"""The code of an alert without a PromQL source: not rendered on a backend shipping Prometheus rules."""

COMPARISON_OPERATORS = {
    "above": ">",
    "above_or_equal": ">=",
    "below": "<",
    "below_or_equal": "<=",
    "equal": "==",
    "not_equal": "!=",
}


def format_number(value: float) -> str:
    """A threshold as PromQL text: integers without `.0`, others in shortest round-trip form."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def alert_expression(alert: ThresholdAlert) -> str | None:
    """The alert's PromQL condition, or None when the alert has no Prometheus source."""
    source = prom_source(alert.source)
    if source is None:
        return None
    query = render_prom_metric(source) if isinstance(source, PromMetric) else source.strip()
    if alert.comparison is None or alert.threshold is None:
        return query
    return f"({query}) {COMPARISON_OPERATORS[alert.comparison]} {format_number(alert.threshold)}"


def alert_rule(service: Service, alert: ThresholdAlert, expr: str) -> dict[str, Any]:
    """One alerting rule, labelled service/team/severity and annotated with summary, description, runbook."""
    rule: dict[str, Any] = {"alert": alert.name, "expr": expr}
    if alert.for_seconds:
        rule["for"] = format_duration(alert.for_seconds)
    if alert.keep_firing_for_seconds:
        rule["keep_firing_for"] = format_duration(alert.keep_firing_for_seconds)
    rule["labels"] = threshold_alert_labels(service, alert)
    annotations = {"summary": alert.summary}
    if alert.description:
        annotations["description"] = alert.description
    if alert.runbook:
        annotations["runbook_url"] = alert.runbook
    if service.tracing is not None:
        window = alert_window_seconds(alert.for_seconds, service.group_options.interval_seconds)
        annotations["trace_url"] = trace_url(service.tracing, service.name, window)
    for name, text in alert.annotations:
        annotations.setdefault(name, text)
    rule["annotations"] = annotations
    return rule


def record_rule(record: RecordingRule) -> dict[str, Any]:
    """One recording rule, exactly as the user wrote it (monaco adds no labels to it)."""
    rule: dict[str, Any] = {"record": record.name, "expr": record.expr}
    if record.labels:
        rule["labels"] = dict(record.labels)
    return rule


def group_options(options: GroupOptions) -> dict[str, Any]:
    """The group-level fields that are set, in Prometheus's order: interval, limit, query_offset."""
    fields: dict[str, Any] = {}
    if options.interval_seconds is not None:
        fields["interval"] = format_duration(options.interval_seconds)
    if options.limit is not None:
        fields["limit"] = options.limit
    if options.query_offset_seconds is not None:
        fields["query_offset"] = format_duration(options.query_offset_seconds)
    return fields


def threshold_group(service: Service) -> tuple[dict[str, Any] | None, list[ThresholdAlert]]:
    """The service's own group (None when empty) and the alerts lacking a Prometheus source."""
    rules, missing = [record_rule(r) for r in service.records], []
    for alert in service.alerts:
        expr = alert_expression(alert)
        if expr is None:
            missing.append(alert)
        else:
            rules.append(alert_rule(service, alert, expr))
    if not rules:
        return None, missing
    return {"name": service.name, **group_options(service.group_options), "rules": rules}, missing


@dataclass(frozen=True, slots=True)
class RuleGroup:
    """One rendered rule group, the spec object it comes from (`service`, `service/slo/name`) and its notes."""

    body: dict[str, Any]
    address: str
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The group's name, unique in its rule file."""
        return str(self.body["name"])


def _missing_promql(service: Service, alert: ThresholdAlert, level: Level) -> Diagnostic:
    """MON301 at `level`: the alert has no Prometheus source, so it is not rendered."""
    return Diagnostic(
        MISSING_PROMQL,
        f"alert {service.name}/{alert.name} has no prometheus source; it is not rendered here",
        alert.origin,
        "add `source.prometheus` or select this service out of the target",
        level,
    )


def service_problems(service: Service, level_for: Callable[[str], Level]) -> list[Diagnostic]:
    """Exactly what `service_groups` reports for the service, found without rendering a rule (validate's check)."""
    problems = [_missing_promql(service, a, level_for(MISSING_PROMQL)) for a in service.alerts if not has_promql(a)]
    problems += [missing_sli(slo, level_for(MISSING_SLI)) for slo in service.slos if not has_prometheus_sli(slo)]
    return problems


def has_promql(alert: ThresholdAlert) -> bool:
    """True when the alert has a Prometheus source (so it is rendered as a rule)."""
    return prom_source(alert.source) is not None


def service_groups(service: Service, level_for: Callable[[str], Level]) -> tuple[list[RuleGroup], list[Diagnostic]]:
    """The service's own group, then one group per SLO; what has no PromQL source is reported at `level_for(code)`."""
    group, missing = threshold_group(service)
    problems = Diagnostics()
    for alert in missing:
        problems.add(_missing_promql(service, alert, level_for(MISSING_PROMQL)))
    groups = [RuleGroup(group, service.name)] if group else []
    for slo in service.slos:
        address = f"{service.name}/slo/{slo.name}"
        slo_groups = render_slo_groups(service, slo, diagnostics=problems, level=level_for(MISSING_SLI))
        groups.extend(RuleGroup(body, address, slo_notes(slo) if i == 0 else {}) for i, body in enumerate(slo_groups))
    return groups, list(problems)


def promtool_rule_files(service: Service) -> dict[str, str]:
    """The service's rule file as promtool loads it for `monaco test` (name -> YAML text)."""
    groups, _ = service_groups(service, lambda code: Level.WARNING)
    return {f"monaco-{service.name}.rules.yml": dump_yaml({"groups": [g.body for g in groups]})} if groups else {}


def canonical_group(group: dict[str, Any]) -> dict[str, Any]:
    """A rule group read back from a live system in the form the renderer writes: canonical durations,
    string label values, no empty maps or zero durations."""
    result = dict(group)
    if "interval" in result:
        result["interval"] = _duration(result["interval"])
    result["rules"] = [_canonical_rule(rule) for rule in result.get("rules") or [] if isinstance(rule, dict)]
    return result


def _canonical_rule(rule: dict[str, Any]) -> dict[str, Any]:
    result = dict(rule)
    for key in _DURATION_FIELDS:
        if key in result:
            result[key] = _duration(result[key])
            if result[key] == "0s":
                del result[key]
    for key in ("labels", "annotations"):
        if key in result:
            if result[key]:
                result[key] = {str(k): str(v) for k, v in result[key].items()}
            else:
                del result[key]
    return result


def _duration(value: Any) -> Any:
    try:
        return format_duration(parse_duration(str(value)))
    except ValueError:
        return value
