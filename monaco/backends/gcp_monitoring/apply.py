"""Executing a plan on Cloud Monitoring: ownership re-checked, dependency order, a report per change.

Order: channels (policies name them), services, SLOs (burn-rate filters name them), policies created or updated;
then policies deleted, SLOs, services, and channels last (a channel a policy uses cannot be deleted). When a step
has a failure, later steps are not started, so deletes never run after a failed write and a re-run converges.
An update sends the whole object under its server name (an empty update mask: a full replace that keeps the
id) with each condition's server name copied from live, so open incidents stay attached. A create whose reply
is lost is looked up by its monaco id before it is retried: no duplicates.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from monaco.backends.base import ApplyReport, ChangeResult, Notice, SecretValue
from monaco.backends.gcp_monitoring.canonical import CHANNEL, POLICY, SERVICE, SLO, to_message
from monaco.backends.gcp_monitoring.clients import Clients
from monaco.backends.gcp_monitoring.config import ID_LABEL, OWNER_LABEL, TARGET_LABEL, GcpConfig, label_value
from monaco.backends.gcp_monitoring.live import LiveIndex, index_channel_ids, read_index
from monaco.ir.nodes import Service
from monaco.plan.model import Action, Change

ORDER = (CHANNEL, SERVICE, SLO, POLICY)
"""Creates and updates in this order; deletes in the reverse one."""


@dataclass(slots=True)
class Writer:
    """The writes of one apply, with the server names known so far (live, then those just created)."""

    clients: Clients
    config: GcpConfig
    target: str
    secrets: SecretValue
    index: LiveIndex
    channel_names: dict[str, str] = field(default_factory=dict)

    def _find(self, client: str, method: str, items: str, request: dict[str, Any], object_id: str) -> Any:
        """The object of this target with monaco id `object_id`, if a list call finds one."""
        query = f'user_labels.{ID_LABEL} = "{object_id}" AND user_labels.{TARGET_LABEL} = "{label_value(self.target)}"'
        found = self.clients.pages(client, method, items, {**request, "filter": query})
        return found[0] if found else None

    def channel(self, change: Change) -> None:
        """Create, update or delete one channel, its secret labels resolved from their references."""
        key, resource = change.key, change.resource
        if change.action is Action.DELETE:
            self.clients.call("channels", "delete_notification_channel", name=self.index.names[key])
            return
        body = {**resource.body, "labels": dict(resource.body.get("labels", {}))}
        for pointer, ref in resource.secrets.items():
            body["labels"][pointer.rsplit("/", 1)[-1]] = self.secrets(ref)
        message = to_message(CHANNEL, body)
        if change.action is Action.CREATE:
            request = {"name": self.config.parent}

            def recover() -> Any:
                return self._find(
                    "channels", "list_notification_channels", "notification_channels", request, resource.name
                )

            made = self.clients.call(
                "channels",
                "create_notification_channel",
                recover,
                name=self.config.parent,
                notification_channel=message,
            )
            self.channel_names[resource.name] = made.name
            return
        message.name = self.index.names[key]
        self.clients.call("channels", "update_notification_channel", notification_channel=message)

    def _policy_message(self, change: Change) -> Any:
        """The policy as sent: channel ids replaced by server names; on update its name and condition names."""
        body = dict(change.resource.body)
        names = self.channel_names

        def named(ids: list[str]) -> list[str]:
            return [names.get(object_id, object_id) for object_id in ids]

        body["notificationChannels"] = named(body.get("notificationChannels", []))
        if "alertStrategy" in body:
            strategies = body["alertStrategy"].get("notificationChannelStrategy", [])
            body["alertStrategy"] = {
                **body["alertStrategy"],
                "notificationChannelStrategy": [
                    {**s, "notificationChannelNames": named(s.get("notificationChannelNames", []))} for s in strategies
                ],
            }
        if change.action is Action.UPDATE:
            body["name"] = self.index.names[change.key]
            body["conditions"] = kept_condition_names(
                body["conditions"], self.index.condition_names.get(change.key, [])
            )
        return to_message(POLICY, body)

    def policy(self, change: Change) -> None:
        """Create, update (keeping id and condition names) or delete one policy."""
        if change.action is Action.DELETE:
            self.clients.call("policies", "delete_alert_policy", name=self.index.names[change.key])
            return
        message = self._policy_message(change)
        if change.action is Action.UPDATE:
            self.clients.call("policies", "update_alert_policy", alert_policy=message)
            return
        request = {"name": self.config.parent}

        def recover() -> Any:
            return self._find("policies", "list_alert_policies", "alert_policies", request, change.resource.name)

        self.clients.call("policies", "create_alert_policy", recover, name=self.config.parent, alert_policy=message)

    def service(self, change: Change) -> None:
        """Create (client-chosen id), update or delete one Service Monitoring service."""
        name = f"{self.config.parent}/services/{change.resource.name}"
        if change.action is Action.DELETE:
            self.clients.call("services", "delete_service", name=name)
            return
        message = to_message(SERVICE, change.resource.body)
        if change.action is Action.CREATE:
            request = {"parent": self.config.parent, "service_id": change.resource.name, "service": message}
            self._create_with_id("create_service", request, "get_service", name)
            return
        message.name = name
        self.clients.call("services", "update_service", request={"service": message})

    def slo(self, change: Change) -> None:
        """Create (client-chosen id), update or delete one SLO."""
        service_id, slo_id = change.resource.name.split("/", 1)
        parent = f"{self.config.parent}/services/{service_id}"
        name = f"{parent}/serviceLevelObjectives/{slo_id}"
        if change.action is Action.DELETE:
            self.clients.call("services", "delete_service_level_objective", name=name)
            return
        message = to_message(SLO, change.resource.body)
        if change.action is Action.CREATE:
            request = {"parent": parent, "service_level_objective_id": slo_id, "service_level_objective": message}
            self._create_with_id("create_service_level_objective", request, "get_service_level_objective", name)
            return
        message.name = name
        self.clients.call("services", "update_service_level_objective", request={"service_level_objective": message})

    def _create_with_id(self, method: str, request: dict[str, Any], getter: str, name: str) -> None:
        """A create with a client-chosen id; a retry that finds the object made by a lost reply is done."""

        def recover() -> Any:
            try:
                found = self.clients.call("services", getter, name=name)
            except Exception as exc:
                if type(exc).__name__ == "NotFound":
                    return None
                raise
            mine = found.user_labels.get(OWNER_LABEL) and found.user_labels.get(TARGET_LABEL) == label_value(
                self.target
            )
            return found if mine else None

        self.clients.call("services", method, recover, request=request)


def refusals(index: LiveIndex, changes: Sequence[Change]) -> dict[str, str]:
    """Change key -> why it is refused now: a create over an existing object, or one no longer this target's."""
    live = {r.key: r for r in index.resources}
    refused: dict[str, str] = {}
    for change in changes:
        current = live.get(change.key)
        if change.action is Action.CREATE and current is not None:
            refused[change.key] = "refused: an object with this key exists now; re-plan"
        elif change.action is not Action.CREATE and (current is None or not current.owned):
            refused[change.key] = "refused: the object is gone or no longer this target's; re-plan"
    return refused


def steps(changes: Sequence[Change]) -> list[list[Change]]:
    """Writes by kind in dependency order, then deletes in the reverse order."""
    writes = [[c for c in changes if c.resource.kind == kind and c.action is not Action.DELETE] for kind in ORDER]
    deletes = [[c for c in changes if c.resource.kind == kind and c.action is Action.DELETE] for kind in ORDER[::-1]]
    return [step for step in writes + deletes if step]


def _describe(exc: BaseException) -> str:
    """An API error as `NotFound: message` (the status and message, never a request body)."""
    message = getattr(exc, "message", None) or str(exc)
    return f"{type(exc).__name__}: {message}"


def apply_changes(
    clients: Clients,
    config: GcpConfig,
    services: tuple[Service, ...],
    changes: Sequence[Change],
    secrets: SecretValue,
    progress: Notice,
    target: str,
    cancel: threading.Event,
) -> ApplyReport:
    """Apply `changes` to `target` and report each one's outcome; never raises for an API error."""
    report = ApplyReport()
    try:
        index = read_index(clients, config, target, services)
    except Exception as exc:
        return report.none_applied(changes, f"could not re-read live objects before applying: {_describe(exc)}")
    outcome: dict[str, tuple[bool, str]] = {k: (False, why) for k, why in refusals(index, changes).items()}
    writer = Writer(clients, config, target, secrets, index, dict(_channel_names(index)))
    handlers: dict[str, Callable[[Change], None]] = {
        CHANNEL: writer.channel,
        SERVICE: writer.service,
        SLO: writer.slo,
        POLICY: writer.policy,
    }
    todo = [c for c in changes if c.key not in outcome]
    stopped = ""
    for step in steps(todo):
        for change in step:
            stopped = stopped or ("cancelled" if cancel.is_set() else "")
            if stopped:
                outcome[change.key] = (False, f"not applied: {stopped}")
                continue
            try:
                handlers[change.resource.kind](change)
            except Exception as exc:  # an API error or a missing secret: reported, never raised
                outcome[change.key] = (False, f"failed: {_describe(exc)}")
                progress(f"  failed  {change.key}: {_describe(exc)}")
                continue
            outcome[change.key] = (True, "")
            progress(f"  [{len(outcome)}/{len(changes)}] {change.action.symbol} {change.key}")
        if any(not outcome[c.key][0] for c in step) and not stopped:
            stopped = "an earlier step failed"
    for change in changes:
        ok, message = outcome.get(change.key, (False, "not applied"))
        report.results.append(ChangeResult(change.key, change.action.value, ok, message))
    return report


def _channel_names(index: LiveIndex) -> dict[str, str]:
    """Monaco id -> server name of the live channels."""
    return {object_id: name for name, object_id in index_channel_ids(index).items()}


def kept_condition_names(desired: list[dict[str, Any]], live: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The desired conditions carrying the server names of the live ones they continue, so open incidents stay
    attached: the live condition of the same display name, else the unclaimed one at the same position (an
    edited threshold renames a condition); a condition continuing none is new and gets a name from the API."""
    by_display: dict[str, str] = {}
    for server_name, display in live:
        by_display.setdefault(display, server_name)
    names: list[str | None] = [by_display.pop(c.get("displayName", ""), None) for c in desired]
    claimed = set(names)
    for index, found in enumerate(names):
        if found is None and index < len(live) and live[index][0] not in claimed:
            names[index] = live[index][0]
            claimed.add(live[index][0])
    return [{**c, "name": kept} if kept else c for c, kept in zip(desired, names, strict=True)]
