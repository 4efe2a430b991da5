"""A service's Grafana rules: its threshold alerts, then per SLO one rule per burn tier and its no-data rule (pure).

Every rule lives in the target's folder, in the service's rule group. Labels are the ones every backend
gives the alert (`monaco.ir.labels`) plus `monaco_owner: <target>` and `managed_by: monaco`; the uid comes
from the service and the alert's key. SLO rules take their PromQL from the shared SLO renderer
(`promrules.slo_rules.render_slo_groups`), so the burn condition, `(long > t) and (short > t)` with the
IR's exact threshold, is byte for byte the Prometheus backend's; it reads the `slo:*` recording series a
Prometheus or Mimir target records (MON633 says so).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from monaco.backends.base import Target
from monaco.backends.grafana_alerting.config import MANAGED_LABEL, MANAGED_VALUE, OWNER_LABEL, rule_uid
from monaco.backends.grafana_alerting.rule_render import condition_node, query_node, reduce_node, rule_body
from monaco.backends.grafana_alerting.sources import alert_query
from monaco.backends.promrules.service_rules import alert_rule
from monaco.backends.promrules.slo_notes import slo_notes
from monaco.backends.promrules.slo_rules import has_prometheus_sli, render_slo_groups
from monaco.ir.labels import BURN_ALERT, NO_DATA_ALERT
from monaco.ir.nodes import Service, Slo, ThresholdAlert
from monaco.spec.types import parse_duration


@dataclass(frozen=True, slots=True)
class RenderedRule:
    """One rule's body, the spec object it comes from and its notes for reviewers."""

    body: dict[str, Any]
    address: str
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What every rule of one target shares: folder, datasource, query range and the owner's name."""

    target: Target
    folder_uid: str
    datasource_uid: str
    range_seconds: int

    def owner_labels(self) -> dict[str, str]:
        """The labels that mark a rule as this target's."""
        return {OWNER_LABEL: self.target.name, MANAGED_LABEL: MANAGED_VALUE}


def _titles(service: Service) -> dict[str, str]:
    """Alert key -> rule title: the alert's name, or its key when two alerts share the name."""
    counts = Counter(alert.name for alert in service.alerts)
    return {alert.key: alert.name if counts[alert.name] == 1 else alert.key for alert in service.alerts}


def threshold_rule(ctx: RuleContext, service: Service, alert: ThresholdAlert, title: str) -> RenderedRule | None:
    """The rule of one threshold alert, or None when it has no Prometheus source."""
    query = alert_query(alert.source)
    if query is None:
        return None
    shape = alert_rule(service, alert, query)
    data = [
        query_node(query, ctx.datasource_uid, ctx.range_seconds),
        reduce_node(),
        condition_node(alert.comparison, alert.threshold),
    ]
    body = rule_body(
        uid=rule_uid(service.name, alert.key),
        title=title,
        folder_uid=ctx.folder_uid,
        group=service.name,
        data=data,
        for_seconds=alert.for_seconds,
        keep_firing_for_seconds=alert.keep_firing_for_seconds,
        labels={**shape["labels"], **ctx.owner_labels()},
        annotations=shape["annotations"],
    )
    return RenderedRule(body, f"{service.name}/alert/{alert.key}")


def slo_rules(ctx: RuleContext, service: Service, slo: Slo) -> list[RenderedRule]:
    """One rule per burn tier and the no-data rule, with the Prometheus backend's PromQL, labels and annotations."""
    groups = render_slo_groups(service, slo)
    alerts = [rule for group in groups for rule in group["rules"] if "alert" in rule]
    names = [f"{BURN_ALERT} {slo.name} {tier.name}" for tier in slo.tiers]
    keys = [f"slo/{slo.name}/{tier.name}" for tier in slo.tiers]
    if len(alerts) > len(slo.tiers):
        names.append(f"{NO_DATA_ALERT} {slo.name}")
        keys.append(f"slo/{slo.name}/no-data")
    repeated = Counter(names)
    rendered = []
    for index, (rule, name, key) in enumerate(zip(alerts, names, keys, strict=True)):
        suffix = f" #{index + 1}" if repeated[name] > 1 else ""
        body = rule_body(
            uid=rule_uid(service.name, key + suffix),
            title=name + suffix,
            folder_uid=ctx.folder_uid,
            group=service.name,
            data=[
                query_node(rule["expr"], ctx.datasource_uid, ctx.range_seconds),
                reduce_node(),
                condition_node(None, None),
            ],
            for_seconds=parse_duration(rule.get("for", "0s")),
            keep_firing_for_seconds=None,
            labels={**rule["labels"], **ctx.owner_labels()},
            annotations=rule["annotations"],
        )
        rendered.append(RenderedRule(body, f"{service.name}/slo/{slo.name}", slo_notes(slo) if index == 0 else {}))
    return rendered


def service_rules(ctx: RuleContext, service: Service) -> tuple[list[RenderedRule], list[ThresholdAlert], list[Slo]]:
    """The service's rules, and the alerts and SLOs left out for want of a Prometheus source."""
    titles = _titles(service)
    rules: list[RenderedRule] = []
    missing_alerts: list[ThresholdAlert] = []
    missing_slos: list[Slo] = []
    for alert in service.alerts:
        found = threshold_rule(ctx, service, alert, titles[alert.key])
        if found is None:
            missing_alerts.append(alert)
        else:
            rules.append(found)
    for slo in service.slos:
        if has_prometheus_sli(slo):
            rules.extend(slo_rules(ctx, service, slo))
        else:
            missing_slos.append(slo)
    return rules, missing_alerts, missing_slos
