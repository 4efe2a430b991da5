"""A service's PrometheusRule and AlertmanagerConfig objects, in the operator's own field names (pure).

The PrometheusRule's `spec.groups` are the shared renderer's groups, unchanged, so they are byte for
byte what the Prometheus backend writes. The AlertmanagerConfig mirrors the Alertmanager backend's
route subtree (one child route per receiver of a route, `continue` on all but the last, with the route's
`muteTimeIntervals` / `activeTimeIntervals`) with the operator's structured matchers, the time intervals
those routes use (`time_intervals.py`), and its receivers name secrets as `secretKeyRef`s into one
Kubernetes Secret: no secret value, fingerprint or reference to a local file is ever written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from monaco.ir.inhibition import InhibitRule, inhibit_rules
from monaco.ir.nodes import LabelMatcher, Receiver, Service
from monaco.ir.routing import RouteBranch, route_branches, route_timings
from monaco.spec.types import SecretRef

RULE_API = "monitoring.coreos.com/v1"
CONFIG_API = "monitoring.coreos.com/v1alpha1"
SUMMARY = "{{ .CommonAnnotations.summary }}"


def prometheus_rule(metadata: dict[str, Any], groups: list[dict[str, Any]]) -> dict[str, Any]:
    """A PrometheusRule holding `groups` exactly as rendered."""
    return {"apiVersion": RULE_API, "kind": "PrometheusRule", "metadata": metadata, "spec": {"groups": groups}}


def matcher(m: LabelMatcher) -> dict[str, str]:
    """The operator's structured matcher: equality for one value, an anchored regex of alternatives for several."""
    if len(m.values) == 1:
        return {"name": m.label, "value": m.values[0], "matchType": "="}
    return {"name": m.label, "value": "|".join(re.escape(v) for v in m.values), "matchType": "=~"}


_CAMEL = {"group_wait": "groupWait", "group_interval": "groupInterval", "repeat_interval": "repeatInterval"}


def _child_route(branch: RouteBranch) -> dict[str, Any]:
    node: dict[str, Any] = {"receiver": branch.receiver}
    if branch.route.matchers:
        node["matchers"] = [matcher(m) for m in branch.route.matchers]
    if branch.continue_:
        node["continue"] = True
    if branch.route.group_by is not None:
        node["groupBy"] = list(branch.route.group_by)
    node.update((_CAMEL[name], duration) for name, duration in route_timings(branch.route))
    if branch.route.mute_during:
        node["muteTimeIntervals"] = list(branch.route.mute_during)
    if branch.route.active_during:
        node["activeTimeIntervals"] = list(branch.route.active_during)
    return node


def service_route(service: Service, root_receiver: str) -> dict[str, Any]:
    """The service's route: matches its `service` label, then its routes and its team's, in order."""
    children = [_child_route(branch) for branch in route_branches(service)]
    node: dict[str, Any] = {
        "receiver": root_receiver,
        "matchers": [matcher(LabelMatcher(service.identity.service, (service.name,)))],
    }
    if children:
        node["routes"] = children
    return node


def inhibit_rule(rule: InhibitRule) -> dict[str, Any]:
    """One inhibition in the AlertmanagerConfig shape."""
    return {
        "sourceMatch": [matcher(m) for m in rule.source],
        "targetMatch": [matcher(m) for m in rule.target],
        "equal": list(rule.equal),
    }


def receiver(spec_receiver: Receiver, secret_name: str, keys: dict[str, str]) -> dict[str, Any]:
    """One receiver in the operator's shape; each secret becomes a `secretKeyRef`, recorded in `keys` (key -> ref)."""
    spec = spec_receiver.spec

    def secret(field: str, ref: SecretRef) -> dict[str, str]:
        key = f"{spec.name}.{field}"
        keys[key] = ref.describe()
        return {"name": secret_name, "key": key}

    body: dict[str, Any] = {"name": spec.name}
    if spec.slack is not None:
        slack = spec.slack
        body["slackConfigs"] = [
            {
                "apiURL": secret("api_url", slack.webhook_url),
                "channel": slack.channel,
                "sendResolved": slack.send_resolved,
                "title": '{{ template "slack.default.title" . }}',
                "text": SUMMARY,
            }
        ]
    elif spec.pagerduty is not None:
        pagerduty = spec.pagerduty
        body["pagerdutyConfigs"] = [
            {
                "routingKey": secret("routing_key", pagerduty.key),
                "sendResolved": pagerduty.send_resolved,
                "description": SUMMARY,
            }
        ]
    elif spec.email is not None:
        body["emailConfigs"] = [{"to": ", ".join(spec.email.to), "sendResolved": spec.email.send_resolved}]
    elif spec.webhook is not None:
        url = spec.webhook.url
        hook: dict[str, Any] = (
            {"url": str(url)} if not isinstance(url, SecretRef) else {"urlSecret": secret("url", url)}
        )
        hook["sendResolved"] = spec.webhook.send_resolved
        if spec.webhook.max_alerts:
            hook["maxAlerts"] = spec.webhook.max_alerts
        body["webhookConfigs"] = [hook]
    return body


def alertmanager_config(
    metadata: dict[str, Any],
    service: Service,
    root_receiver: str,
    receivers: Mapping[str, Receiver],
    severities: list[str],
    secret_name: str,
    intervals: list[dict[str, Any]],
) -> tuple[dict[str, Any], dict[str, str]]:
    """The service's AlertmanagerConfig, and the Secret keys it reads (key -> the spec's secret reference).

    `intervals` are the `spec.muteTimeIntervals` entries of the intervals the service's routes use."""
    used = sorted({root_receiver, *(r for route in service.routes for r in route.receivers)})
    keys: dict[str, str] = {}
    spec: dict[str, Any] = {
        "route": service_route(service, root_receiver),
        "receivers": [receiver(receivers[name], secret_name, keys) for name in used],
    }
    inhibitions = [inhibit_rule(rule) for rule in inhibit_rules(service, severities)]
    if inhibitions:
        spec["inhibitRules"] = inhibitions
    if intervals:
        spec["muteTimeIntervals"] = intervals
    return {"apiVersion": CONFIG_API, "kind": "AlertmanagerConfig", "metadata": metadata, "spec": spec}, keys
