"""The target's notification policy subtree: one root-level route matching `monaco_owner: <target>` (pure).

Under it, one route per service (matching `service`), whose receiver is the team's default contact point
and whose children are the service's routes (its own, then its team's) split per receiver, as on
Alertmanager: all but a route's last receiver `continue`. A route without a receiver inherits its
parent's, so a service with neither routes nor a default reaches the tree's root receiver. A route's
`mute_during` / `active_during` become `mute_time_intervals` / `active_time_intervals` naming the target's
mute timings (`mute_timings.mute_timing_name`); `active_time_intervals` needs Grafana 11 or later.
"""

from __future__ import annotations

import re
from typing import Any

from monaco.backends.grafana_alerting.config import OWNER_LABEL, GrafanaAlertingConfig
from monaco.backends.grafana_alerting.mute_timings import mute_timing_name
from monaco.ir.nodes import LabelMatcher, Service
from monaco.ir.routing import RouteBranch, route_branches, route_timings
from monaco.ir.time_intervals import route_interval_fields
from monaco.plan.model import Resource

POLICY = "policy"
SUBTREE = "subtree"


def object_matcher(matcher: LabelMatcher) -> list[str]:
    """`[label, "=", value]`, or `[label, "=~", "a|b"]` (Grafana anchors the regex) for several values."""
    if len(matcher.values) == 1:
        return [matcher.label, "=", matcher.values[0]]
    return [matcher.label, "=~", "|".join(re.escape(v) for v in matcher.values)]


def owner_matcher(target: str) -> list[str]:
    """The matcher that marks (and selects) the target's subtree."""
    return [OWNER_LABEL, "=", target]


def _branch(config: GrafanaAlertingConfig, target: str, branch: RouteBranch) -> dict[str, Any]:
    node: dict[str, Any] = {"receiver": config.contact_point_name(branch.receiver)}
    if branch.route.matchers:
        node["object_matchers"] = [object_matcher(m) for m in branch.route.matchers]
    if branch.continue_:
        node["continue"] = True
    if branch.route.group_by is not None:
        node["group_by"] = list(branch.route.group_by)
    node.update(route_timings(branch.route))
    for field, names in sorted(route_interval_fields(branch.route)):
        node[field] = [mute_timing_name(config, target, name) for name in names]
    return node


def service_route(config: GrafanaAlertingConfig, target: str, service: Service) -> dict[str, Any] | None:
    """The service's route, or None when it has neither routes nor a team default receiver."""
    children = [_branch(config, target, branch) for branch in route_branches(service)]
    if not children and not service.team_default_receiver:
        return None
    route: dict[str, Any] = {}
    if service.team_default_receiver:
        route["receiver"] = config.contact_point_name(service.team_default_receiver)
    route["object_matchers"] = [[service.identity.service, "=", service.name]]
    if children:
        route["routes"] = children
    return route


def subtree(config: GrafanaAlertingConfig, target: str, services: tuple[Service, ...]) -> Resource | None:
    """The target's subtree as one resource, or None when no selected service routes anywhere."""
    routes = [r for r in (service_route(config, target, s) for s in services) if r is not None]
    if not routes:
        return None
    body = {"object_matchers": [owner_matcher(target)], "routes": routes}
    return Resource(POLICY, SUBTREE, body, address="routes")
