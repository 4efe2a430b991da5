"""Reading an Azure Monitor target: one list call per type and resource group (every page), normalized once here.

Ownership comes from tags (`managed-by: monaco` and this target's name); names are deterministic, so
an unowned resource of a desired name is reported with its holder. Secret webhook URLs are shown as the
fingerprints plans hold (`secret:sha256:…`), for the receivers the action group's tag lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from monaco.backends.azure_monitor.action_groups import PAGERDUTY_PATTERN, PAGERDUTY_URL
from monaco.backends.azure_monitor.clients import Clients
from monaco.backends.azure_monitor.config import SECRETS_TAG, AzureMonitorConfig, ownership
from monaco.backends.azure_monitor.normalize import (
    ACTION_GROUP,
    LOG_ALERT,
    METRIC_ALERT,
    PROCESSING_RULE,
    RULE_GROUP,
    canonical_body,
)
from monaco.backends.azure_monitor.processing_rules import ProcessingRules
from monaco.backends.base import LiveState
from monaco.diagnostics import Diagnostic
from monaco.plan.model import Resource
from monaco.spec.secrets import fingerprint


def _pages(clients: Clients, operation: str, paged: Any) -> list[Any]:
    """Every item of a pageable list, counting one call per page read."""
    items: list[Any] = []
    for page in paged.by_page():
        clients.count(operation)
        items.extend(page)
    if operation not in clients.calls:
        clients.count(operation)
    return items


def listed(clients: Clients, subscription: str, resource_group: str) -> Iterable[tuple[str, str, dict[str, Any]]]:
    """(kind, name, REST body) of every resource of the five types in `resource_group`."""
    monitor, rules = clients.monitor, clients.rule_groups
    lists: list[tuple[str, str, Any, bool]] = [
        (ACTION_GROUP, "action_groups.list", monitor.action_groups.list_by_resource_group(resource_group), False),
        (METRIC_ALERT, "metric_alerts.list", monitor.metric_alerts.list_by_resource_group(resource_group), False),
        (
            LOG_ALERT,
            "scheduled_query_rules.list",
            monitor.scheduled_query_rules.list_by_resource_group(resource_group),
            False,
        ),
        (RULE_GROUP, "rule_groups.list", rules.prometheus_rule_groups.list_by_resource_group(resource_group), True),
    ]
    for kind, operation, paged, typespec in lists:
        for item in _pages(clients, operation, paged):
            body = item.as_dict() if typespec else item.serialize(keep_readonly=False)
            yield kind, str(item.name), body
    for page in ProcessingRules(clients, subscription).pages(resource_group):
        clients.count("processing_rules.list")
        for document in page:
            yield PROCESSING_RULE, str(document.get("name", "")), document


def present_uri(uri: str) -> str:
    """How a secret webhook URL appears in a plan: PagerDuty's URL around the key's fingerprint, else the URL's."""
    found = PAGERDUTY_PATTERN.match(uri)
    if found is not None:
        return PAGERDUTY_URL.format(key=f"secret:{fingerprint(found.group(1))}")
    return f"secret:{fingerprint(uri)}"


def _hide_secrets(body: dict[str, Any]) -> dict[str, Any]:
    """An action group's body with the URLs of the receivers its secrets tag lists replaced by fingerprints."""
    secret_names = set(filter(None, (body.get("tags") or {}).get(SECRETS_TAG, "").split(",")))
    for receiver in (body.get("properties") or {}).get("webhookReceivers") or []:
        if receiver.get("name") in secret_names and isinstance(receiver.get("serviceUri"), str):
            receiver["serviceUri"] = present_uri(receiver["serviceUri"])
    return body


def read(clients: Clients, config: AzureMonitorConfig, target: str) -> list[Resource]:
    """Every resource of the five types in the target's resource group, canonical, with its ownership."""
    resources = []
    for kind, name, raw in listed(clients, config.subscription_id, config.resource_group):
        if kind == ACTION_GROUP:
            raw = _hide_secrets(raw)
        owned, holder = ownership(raw.get("tags") or {}, target)
        resources.append(Resource(kind, name, canonical_body(kind, raw), owned=owned, holder=holder))
    return sorted(resources, key=lambda r: r.key)


def read_live(clients: Clients, config: AzureMonitorConfig, target: str) -> LiveState:
    """The target's live state and the API calls it took; a failed read is MON910 naming the target."""
    try:
        resources = read(clients, config, target)
    except Exception as exc:
        if type(exc).__module__.split(".")[0] != "azure":
            raise
        message = f"target {target}: cannot read Azure Monitor resources in {config.resource_group}: {exc}"
        hint = "check the credential, subscription_id, resource_group and base_url"
        return LiveState(diagnostics=[Diagnostic("MON910", message, hint=hint)], calls=sum(clients.calls.values()))
    return LiveState(resources=resources, calls=sum(clients.calls.values()))
