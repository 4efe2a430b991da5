"""Services to ruler resources: each namespace's owner marker and the shared Prometheus rule groups (pure)."""

from __future__ import annotations

from typing import Any

from monaco.backends.base import RenderResult, Target
from monaco.backends.mimir_ruler.codes import GROUP_LIMIT_DROPPED
from monaco.backends.mimir_ruler.config import MimirRulerConfig, marker_group
from monaco.backends.promrules.service_rules import RuleGroup, service_groups
from monaco.backends.unsupported import level_of, not_here
from monaco.ir.nodes import Service
from monaco.plan.model import Resource

NAMESPACE = "namespace"
RULE_GROUP = "rule_group"


def group_key(namespace: str, group: str) -> str:
    """A rule group's resource name: its namespace and its name (unique in the tenant)."""
    return f"{namespace}/{group}"


def namespace_resource(namespace: str, target: str, address: str = "") -> Resource:
    """The namespace as monaco owns it: its body is the owner marker group."""
    return Resource(NAMESPACE, namespace, {"marker": marker_group(target)}, address=address)


def group_resource(namespace: str, group: dict[str, Any], notes: dict[str, str], address: str) -> Resource:
    """One rule group in a namespace, body as the ruler keeps it."""
    body = {"namespace": namespace, "group": group}
    return Resource(RULE_GROUP, group_key(namespace, str(group["name"])), body, notes=notes, address=address)


def render_target(target: Target, config: MimirRulerConfig) -> RenderResult:
    """Every selected service's rule groups in its namespace, plus each namespace's marker; deterministic."""
    result = RenderResult()
    namespaces: dict[str, list[str]] = {}
    for service in target.selected:
        groups, problems = service_groups(service, lambda code: level_of(target, code))
        result.diagnostics.extend(problems)
        if not groups:
            continue
        namespace = config.namespace_of(target.name, service.name)
        namespaces.setdefault(namespace, []).append(service.name)
        for group in groups:
            result.resources.append(_rendered_group(target, namespace, service, group, result))
    for namespace, services in sorted(namespaces.items()):
        address = services[0] if config.namespace == "per_service" else ""
        result.resources.append(namespace_resource(namespace, target.name, address))
    return result


def _rendered_group(
    target: Target, namespace: str, service: Service, group: RuleGroup, result: RenderResult
) -> Resource:
    """The group's resource; a `limit` the ruler would drop is reported (MON670) and left out."""
    body = dict(group.body)
    if "limit" in body:
        del body["limit"]
        result.diagnostics.append(
            not_here(
                target,
                GROUP_LIMIT_DROPPED,
                f"rule group {group.name}: the ruler keeps no `limit` (Mimir stores none), so it is not sent",
                service.origin,
                "drop `limit` from the service's rule group options, or use the prometheus backend for it",
            )
        )
    return group_resource(namespace, body, group.notes, group.address)
