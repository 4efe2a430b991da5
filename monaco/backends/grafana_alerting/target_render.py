"""A target's desired Grafana objects: rule groups and rules per service, contact points, mute timings, the
policy subtree (pure)."""

from __future__ import annotations

from monaco.backends.base import RenderResult, SecretFingerprint, Target
from monaco.backends.grafana_alerting.config import GrafanaAlertingConfig
from monaco.backends.grafana_alerting.contact_render import contact_point
from monaco.backends.grafana_alerting.mute_timings import mute_timings
from monaco.backends.grafana_alerting.policy_render import subtree
from monaco.backends.grafana_alerting.service_render import RuleContext, service_rules
from monaco.backends.unsupported import level_of, not_here
from monaco.diagnostics import Diagnostic
from monaco.ir.nodes import Model, Service
from monaco.ir.rule_groups import RECORDS_NOT_RENDERED, records_not_rendered
from monaco.plan.model import Resource
from monaco.spec.types import format_duration, parse_duration

RULE = "rule"
RULE_GROUP = "rule_group"
NO_SOURCE = "MON630"
FOR_NOT_MULTIPLE = "MON631"
BAD_INTERVAL = "MON632"
READS_RECORDINGS = "MON633"
HINT = "add a `prometheus:` source (Grafana's rules query the Prometheus datasource), or select the service out"


def _interval(config: GrafanaAlertingConfig, service: Service) -> int:
    return service.group_options.interval_seconds or parse_duration(config.interval)


def _service(ctx: RuleContext, config: GrafanaAlertingConfig, service: Service, result: RenderResult) -> None:
    target = ctx.target
    result.diagnostics.extend(
        records_not_rendered(service, target.name, "grafana_alerting", level_of(target, RECORDS_NOT_RENDERED))
    )
    rules, missing_alerts, missing_slos = service_rules(ctx, service)
    for alert in missing_alerts:
        result.diagnostics.append(
            not_here(
                target, NO_SOURCE, f"alert {service.name}/{alert.name} has no prometheus source", alert.origin, HINT
            )
        )
    for slo in missing_slos:
        result.diagnostics.append(
            not_here(target, NO_SOURCE, f"SLO {service.name}/{slo.name} has no prometheus SLI source", slo.origin, HINT)
        )
    if not rules:
        return
    interval = _interval(config, service)
    if interval % 10:
        result.diagnostics.append(
            Diagnostic(
                BAD_INTERVAL,
                f"target {target.name}: rule group {service.name} evaluates every {format_duration(interval)}; "
                "Grafana needs a multiple of 10s",
                service.origin,
                "set the service's rule group interval to 10s, 30s, 1m, ...",
            )
        )
    for rule in rules:
        pending = parse_duration(rule.body["for"])
        if interval and pending % interval:
            result.diagnostics.append(
                Diagnostic(
                    FOR_NOT_MULTIPLE,
                    f"target {target.name}: rule {rule.body['title']!r} of {service.name} waits for "
                    f"{rule.body['for']}, not a multiple of its group's interval {format_duration(interval)}",
                    service.origin,
                    "make `for` a multiple of the interval (Grafana refuses the rule otherwise)",
                )
            )
        result.resources.append(
            Resource(RULE, f"{service.name}/{rule.body['uid']}", rule.body, notes=rule.notes, address=rule.address)
        )
    group = {"folderUid": ctx.folder_uid, "title": service.name, "interval": interval}
    result.resources.append(Resource(RULE_GROUP, f"{ctx.folder_uid}/{service.name}", group, address=service.name))


def _receivers(services: tuple[Service, ...]) -> list[str]:
    reached: dict[str, None] = {}
    for service in services:
        if service.team_default_receiver:
            reached[service.team_default_receiver] = None
        for route in service.routes:
            reached.update(dict.fromkeys(route.receivers))
    return sorted(reached)


def render_target(
    model: Model, target: Target, config: GrafanaAlertingConfig, secrets: SecretFingerprint
) -> RenderResult:
    """Everything the target's selected services need in Grafana, in a stable order."""
    result = RenderResult()
    ctx = RuleContext(target, config.folder_uid, config.datasource_uid, parse_duration(config.query_range))
    for service in target.selected:
        _service(ctx, config, service, result)
    if any(slo for service in target.selected for slo in service.slos):
        result.diagnostics.append(
            not_here(
                target,
                READS_RECORDINGS,
                "SLO burn and no-data rules query the slo:* recording series; a Prometheus or Mimir target must "
                "record them for the datasource",
                None,
                "deploy the same services to a prometheus or mimir_ruler target feeding this datasource",
            )
        )
    by_name = {receiver.name: receiver for receiver in model.receivers}
    for name in _receivers(target.selected):
        if name in by_name:
            resource, found = contact_point(config, target.name, by_name[name], secrets)
            result.resources.append(resource)
            result.diagnostics.extend(found)
    result.resources.extend(mute_timings(config, target.name, model, target.selected))
    tree = subtree(config, target.name, target.selected)
    if tree is not None:
        result.resources.append(tree)
    return result
