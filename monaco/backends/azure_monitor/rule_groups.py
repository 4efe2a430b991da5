"""PromQL on Azure: the Prometheus backend's own rule groups (`promrules.service_groups`) as Prometheus rule groups
in the target's Azure Monitor workspace, each alert rule with its severity and the action group its routes reach.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from monaco.backends.azure_monitor.durations import RULE_GROUP_INTERVALS, fixed_set_problem, iso_duration
from monaco.backends.azure_monitor.normalize import RULE_GROUP
from monaco.backends.azure_monitor.render import Context, Routed, description
from monaco.backends.azure_monitor.sources import azure_source
from monaco.backends.promrules.service_rules import RuleGroup, service_groups
from monaco.backends.promrules.slo_rules import has_prometheus_sli
from monaco.backends.promrules.sources import prom_source
from monaco.backends.unsupported import level_of
from monaco.ir.labels import routing_labels
from monaco.ir.nodes import Service, Slo
from monaco.ir.routing import receivers_for
from monaco.spec.types import parse_duration

DEFAULT_INTERVAL = 60


def azure_sli(slo: Slo) -> bool:
    """True when the SLO's SLI names an Azure source (so it is not rendered as PromQL here)."""
    sli = slo.sli
    if sli.ratio is not None:
        return azure_source(sli.ratio.bad or sli.ratio.good) is not None or azure_source(sli.ratio.total) is not None
    return sli.gauge is not None and azure_source(sli.gauge) is not None


def promql_part(service: Service) -> Service:
    """The service with only what goes to managed Prometheus: alerts and SLOs with PromQL and no Azure source."""
    alerts = tuple(a for a in service.alerts if azure_source(a.source) is None and prom_source(a.source) is not None)
    slos = tuple(s for s in service.slos if not azure_sli(s) and has_prometheus_sli(s))
    return dataclasses.replace(service, alerts=alerts, slos=slos)


def _rule(
    ctx: Context, service: Service, rule: dict[str, Any], group: str, raised: list[dict[str, str]]
) -> dict[str, Any]:
    """One Prometheus rule in Azure's shape: `expression`, ISO `for`, severity, actions, auto-resolution (an
    alerting rule's routing labels appended to `raised`)."""
    out: dict[str, Any] = {"expression": rule["expr"], "enabled": True}
    if "labels" in rule:
        out["labels"] = dict(rule["labels"])
    if "record" in rule:
        return {"record": rule["record"], **out}
    what = f"rule group {group} alert {rule['alert']}"
    if "keep_firing_for" in rule:
        ctx.not_here("MON908", f"{what}: keep_firing_for is not expressible in an Azure rule group", service.origin)
    labels = dict(rule.get("labels", {}))
    raised.append(routing_labels(labels, rule["alert"]))
    receivers = receivers_for(service, raised[-1])
    groups = ctx.action_group_ids(receivers, what, service.origin)
    out |= {
        "alert": rule["alert"],
        "severity": ctx.severity(labels.get("severity", "")),
        "annotations": dict(rule.get("annotations", {})),
        "actions": [{"actionGroupId": group_id} for group_id in groups],
        "resolveConfiguration": {"autoResolved": True},
    }
    if "for" in rule:
        out["for"] = iso_duration(parse_duration(rule["for"]))
    return out


def _group(ctx: Context, service: Service, group: RuleGroup) -> None:
    """Add one rule group resource, its interval checked against Azure's PT1M-PT15M."""
    body = group.body
    interval = parse_duration(body["interval"]) if "interval" in body else DEFAULT_INTERVAL
    if (problem := fixed_set_problem("rule group interval", interval, RULE_GROUP_INTERVALS)) is not None:
        ctx.report("MON903", f"service {service.name}: {problem}", service.origin, "set `interval` to 1m-15m")
        return
    for option in ("limit", "query_offset"):
        if option in body:
            ctx.not_here("MON908", f"rule group {group.name}: {option} is not expressible on Azure", service.origin)
    raised: list[dict[str, str]] = []
    properties: dict[str, Any] = {
        "description": description(f"[monaco] rule group {group.name} of service {service.name}"),
        "scopes": [ctx.config.monitor_workspace],
        "enabled": True,
        "interval": iso_duration(interval),
        "rules": [_rule(ctx, service, rule, group.name, raised) for rule in body["rules"]],
    }
    if ctx.config.cluster_name:
        properties["clusterName"] = ctx.config.cluster_name
    raw = {"location": ctx.config.location, "properties": properties}
    name = ctx.config.resource_name(group.name)
    routed = Routed(service, tuple(raised))
    key = f"{service.name}/rules/{group.name}"
    ctx.add(RULE_GROUP, raw, name, key, service.origin, group.address, group.notes, routed)


def prometheus_rule_groups(ctx: Context, service: Service) -> None:
    """The service's PromQL alerts and SLOs as rule groups in the monitor workspace (nothing when it has none)."""
    part = promql_part(service)
    if not part.alerts and not part.slos and not part.records:
        return
    groups, problems = service_groups(part, lambda code: level_of(ctx.target, code))
    ctx.diagnostics.extend(problems)
    for group in groups:
        _group(ctx, service, group)
