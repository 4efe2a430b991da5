"""Services to Alertmanager pieces: a route subtree per service, receivers, inhibit rules (pure, shared)."""

from __future__ import annotations

import re
from typing import Any

from monaco.backends.base import SecretFingerprint, fingerprint_or_report
from monaco.diagnostics import Diagnostic
from monaco.ir.inhibition import InhibitRule
from monaco.ir.nodes import LabelMatcher, Receiver, Service
from monaco.ir.routing import RouteBranch, route_branches, route_timings
from monaco.ir.time_intervals import route_interval_fields
from monaco.plan.model import Resource
from monaco.spec.types import SecretRef

SENSITIVE = "(sensitive {fingerprint})"


def matcher_text(matcher: LabelMatcher) -> str:
    """An Alertmanager matcher string: `label="v"` or `label=~"a|b"`."""
    if len(matcher.values) == 1:
        return f'{matcher.label}="{_escape(matcher.values[0])}"'
    alternatives = "|".join(re.escape(v) for v in matcher.values)
    return f'{matcher.label}=~"{_escape(alternatives)}"'


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def route_subtree(service: Service, default_receiver: str) -> dict[str, Any]:
    """The service's subtree: matches `service`, then its routes and its team's routes in order.

    A route to several receivers becomes sibling routes with `continue: true` on all but the last,
    because an Alertmanager route names exactly one receiver.
    """
    children = [_route_node(branch) for branch in route_branches(service)]
    subtree: dict[str, Any] = {
        "receiver": service.team_default_receiver or default_receiver,
        "matchers": [f'{service.identity.service}="{_escape(service.name)}"'],
    }
    if children:
        subtree["routes"] = children
    return subtree


def _route_node(branch: RouteBranch) -> dict[str, Any]:
    node: dict[str, Any] = {"receiver": branch.receiver}
    if branch.route.matchers:
        node["matchers"] = [matcher_text(m) for m in branch.route.matchers]
    if branch.continue_:
        node["continue"] = True
    if branch.route.group_by is not None:
        node["group_by"] = list(branch.route.group_by)
    node.update(route_timings(branch.route))
    node.update(route_interval_fields(branch.route))
    return node


def inhibit_rule(rule: InhibitRule) -> dict[str, Any]:
    """One inhibition in Alertmanager's format."""
    return {
        "source_matchers": [matcher_text(m) for m in rule.source],
        "target_matchers": [matcher_text(m) for m in rule.target],
        "equal": list(rule.equal),
    }


def receiver_resource(
    receiver: Receiver, secrets: SecretFingerprint, pd_severity: str | None = None
) -> tuple[Resource, list[Diagnostic]]:
    """The receiver in Alertmanager's format; secrets appear only as fingerprints, with their references.

    `pd_severity` is the `severity` template of PagerDuty configs (`pagerduty_severity.model_template`)."""
    spec = receiver.spec
    diagnostics: list[Diagnostic] = []
    refs: dict[str, str] = {}

    def secret(ref: SecretRef, pointer: str) -> str:
        fingerprint = fingerprint_or_report(secrets, ref, receiver, diagnostics)
        refs[pointer] = ref.describe()
        return SENSITIVE.format(fingerprint=fingerprint)

    body: dict[str, Any] = {"name": spec.name}
    if spec.slack is not None:
        slack: dict[str, Any] = {"channel": spec.slack.channel, "send_resolved": spec.slack.send_resolved}
        if spec.slack.webhook_url.file is not None:
            slack["api_url_file"] = spec.slack.webhook_url.file
        else:
            slack["api_url"] = secret(spec.slack.webhook_url, "/slack_configs/0/api_url")
        slack.update(title='{{ template "slack.default.title" . }}', text="{{ .CommonAnnotations.summary }}")
        body["slack_configs"] = [slack]
    elif spec.pagerduty is not None:
        pagerduty: dict[str, Any] = {"send_resolved": spec.pagerduty.send_resolved}
        if spec.pagerduty.key.file is not None:
            pagerduty["routing_key_file"] = spec.pagerduty.key.file
        else:
            pagerduty["routing_key"] = secret(spec.pagerduty.key, "/pagerduty_configs/0/routing_key")
        pagerduty["description"] = "{{ .CommonAnnotations.summary }}"
        if pd_severity is not None:
            pagerduty["severity"] = pd_severity
        body["pagerduty_configs"] = [pagerduty]
    elif spec.email is not None:
        body["email_configs"] = [{"to": ", ".join(spec.email.to), "send_resolved": spec.email.send_resolved}]
    elif spec.webhook is not None:
        url = spec.webhook.url
        webhook: dict[str, Any] = {
            "url": secret(url, "/webhook_configs/0/url") if isinstance(url, SecretRef) else str(url),
            "send_resolved": spec.webhook.send_resolved,
        }
        if spec.webhook.max_alerts:
            webhook["max_alerts"] = spec.webhook.max_alerts
        body["webhook_configs"] = [webhook]
    return Resource("receiver", spec.name, body, secrets=refs, address=receiver.owner), diagnostics
