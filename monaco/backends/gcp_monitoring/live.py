"""Reading a target, read-only and batched: one paged list call per kind (ceil(N / page_size) calls), normalized once.

Channels and services are listed with the ownership filter (`user_labels.managed_by = "monaco"`, channels also
`user_labels.monaco_target`); SLOs of every service in one listing (`services/-`). Policies are listed without a
filter: the API's filter cannot say "label absent", and a policy another tool made with the display name of one
monaco would create must be seen (read as unowned under that policy's key, so the plan refuses it, MON410, and
leaves it alone). Objects of other monaco targets with server-assigned ids (policies, channels) are not this
target's business and are skipped; a Service Monitoring service id is project-wide, so another target's service
is read as held by it. Server names are kept aside for apply; bodies name channels by monaco id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from monaco.backends.gcp_monitoring.canonical import CHANNEL, POLICY, SERVICE, SLO, from_message
from monaco.backends.gcp_monitoring.clients import Clients
from monaco.backends.gcp_monitoring.config import (
    ID_LABEL,
    OWNER_LABEL,
    OWNER_VALUE,
    SECRET_LABEL_PREFIX,
    TARGET_LABEL,
    GcpConfig,
    label_value,
)
from monaco.backends.gcp_monitoring.policy_render import alert_display_name, alert_policy_id
from monaco.backends.gcp_monitoring.slo_render import policy_identities
from monaco.ir.nodes import Service
from monaco.plan.model import Resource

OWNED_FILTER = f'user_labels.{OWNER_LABEL} = "{OWNER_VALUE}"'


@dataclass(slots=True)
class LiveIndex:
    """What a target holds: canonical resources, plus each key's server name and its conditions' names in order."""

    resources: list[Resource] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    condition_names: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Key -> (server name, display name) of each live condition, in order."""


def holder_of(labels: dict[str, str], target: str) -> str | None:
    """None when the labels say the object is `target`'s; else who holds it (`target x`, `not monaco`)."""
    if labels.get(OWNER_LABEL) != OWNER_VALUE:
        return "not monaco"
    owner = labels.get(TARGET_LABEL, "")
    return None if owner == label_value(target) else f"target {owner}"


def desired_display_names(services: tuple[Service, ...]) -> dict[str, str]:
    """Display name -> monaco id of every policy the selected services could have."""
    found: dict[str, str] = {}
    for service in services:
        found.update({alert_display_name(service, a): alert_policy_id(service, a) for a in service.alerts})
        found.update(policy_identities(service))
    return found


def _channel_body(channel: Any) -> dict[str, Any]:
    """A channel's canonical body; a secret label shows the fingerprint recorded beside it, never its value."""
    body = from_message(CHANNEL, channel)
    user_labels = dict(channel.user_labels)
    labels = dict(body.get("labels", {}))
    for key in labels:
        recorded = user_labels.get(SECRET_LABEL_PREFIX + key)
        if recorded is not None:
            labels[key] = f"sha256:{recorded}"
    body["labels"] = labels
    return body


def _channels(clients: Clients, config: GcpConfig, target: str, index: LiveIndex) -> None:
    """Read this target's channels into `index`."""
    query = f'{OWNED_FILTER} AND user_labels.{TARGET_LABEL} = "{label_value(target)}"'
    request = {"name": config.parent, "filter": query, "page_size": config.page_size}
    for channel in clients.pages("channels", "list_notification_channels", "notification_channels", request):
        object_id = channel.user_labels.get(ID_LABEL, "")
        if not object_id or holder_of(dict(channel.user_labels), target) is not None:
            continue
        resource = Resource(CHANNEL, object_id, _channel_body(channel))
        index.resources.append(resource)
        index.names[resource.key] = channel.name


def _named_channels(names: list[str], ids: dict[str, str]) -> list[str]:
    return sorted(ids.get(name, name) for name in names)


def policy_body(policy: Any, ids: dict[str, str]) -> dict[str, Any]:
    """A policy's canonical body, its channels named by monaco id."""
    body = from_message(POLICY, policy)
    if "notificationChannels" in body:
        body["notificationChannels"] = _named_channels(body["notificationChannels"], ids)
    for strategy in body.get("alertStrategy", {}).get("notificationChannelStrategy", []):
        strategy["notificationChannelNames"] = _named_channels(strategy.get("notificationChannelNames", []), ids)
    return body


def _policies(clients: Clients, config: GcpConfig, target: str, wanted: dict[str, str], index: LiveIndex) -> None:
    """Read this target's policies, and unowned ones named like a desired policy, into `index`."""
    ids = index_channel_ids(index)
    request = {"name": config.parent, "page_size": config.page_size}
    for policy in clients.pages("policies", "list_alert_policies", "alert_policies", request):
        labels = dict(policy.user_labels)
        holder = holder_of(labels, target)
        if holder is None and labels.get(ID_LABEL):
            resource = Resource(POLICY, labels[ID_LABEL], policy_body(policy, ids))
            index.condition_names[resource.key] = [(c.name, c.display_name) for c in policy.conditions]
        elif holder == "not monaco" and policy.display_name in wanted:
            body = {"displayName": policy.display_name}
            resource = Resource(POLICY, wanted[policy.display_name], body, owned=False, holder=holder)
        else:
            continue
        index.resources.append(resource)
        index.names[resource.key] = policy.name


def index_channel_ids(index: LiveIndex) -> dict[str, str]:
    """Server name -> monaco id of the channels read into `index`."""
    prefix = f"{CHANNEL}."
    return {name: key.removeprefix(prefix) for key, name in index.names.items() if key.startswith(prefix)}


def _services(clients: Clients, config: GcpConfig, target: str, index: LiveIndex) -> None:
    """Read monaco's services (this target's, or held by another) and this target's SLOs into `index`."""
    request = {"parent": config.parent, "filter": OWNED_FILTER, "page_size": config.page_size}
    mine: set[str] = set()
    for service in clients.pages("services", "list_services", "services", request):
        service_id = service.name.rsplit("/", 1)[-1]
        holder = holder_of(dict(service.user_labels), target)
        body = from_message(SERVICE, service) if holder is None else {"displayName": service.display_name}
        index.resources.append(Resource(SERVICE, service_id, body, owned=holder is None, holder=holder or ""))
        index.names[f"{SERVICE}.{service_id}"] = service.name
        if holder is None:
            mine.add(service_id)
    if not mine:
        return
    request = {"parent": f"{config.parent}/services/-", "page_size": config.page_size}
    for slo in clients.pages("services", "list_service_level_objectives", "service_level_objectives", request):
        parts = slo.name.split("/")
        if parts[3] not in mine or holder_of(dict(slo.user_labels), target) is not None:
            continue
        resource = Resource(SLO, f"{parts[3]}/{parts[5]}", from_message(SLO, slo))
        index.resources.append(resource)
        index.names[resource.key] = slo.name


def read_index(clients: Clients, config: GcpConfig, target: str, services: tuple[Service, ...]) -> LiveIndex:
    """Every object of `target` (and unowned namesakes of its policies), canonical, with server names."""
    index = LiveIndex()
    _channels(clients, config, target, index)
    _policies(clients, config, target, desired_display_names(services), index)
    _services(clients, config, target, index)
    index.resources.sort(key=lambda r: r.key)
    return index
