"""Executing a plan on Azure Monitor: ownership re-checked, action groups before rules, rules deleted before groups.

Order: action groups created or updated (rules reference them), then rules put (metric alerts, log
alerts, rule groups), then rules deleted, then action groups deleted. A failed step stops the later
ones, so an action group is never deleted while a rule may still use it, and a re-run converges. Calls
run one at a time through azure-core's retry policy (429 waits its Retry-After, bounded by the config);
the report says, per change, what was and was not applied. Nothing not owned by this target is touched.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Sequence
from typing import Any

from monaco.backends.azure_monitor.action_groups import resolve_uri
from monaco.backends.azure_monitor.clients import Clients
from monaco.backends.azure_monitor.config import AzureMonitorConfig, ownership
from monaco.backends.azure_monitor.live import listed
from monaco.backends.azure_monitor.normalize import ACTION_GROUP, LOG_ALERT, METRIC_ALERT, PROCESSING_RULE, RULE_GROUP
from monaco.backends.azure_monitor.processing_rules import ProcessingRules
from monaco.backends.base import ApplyReport, ChangeResult, Notice, SecretValue
from monaco.plan.model import Action, Change, Resource

RULE_KINDS = (METRIC_ALERT, LOG_ALERT, RULE_GROUP, PROCESSING_RULE)
"""Put after action groups and deleted before them; processing rules go with the rules they select."""


def _operations(clients: Clients, config: AzureMonitorConfig, kind: str) -> Any:
    """The SDK operation group of a resource kind (processing rules: the same verbs over the monitor pipeline)."""
    monitor = clients.monitor
    if kind == PROCESSING_RULE:
        return ProcessingRules(clients, config.subscription_id)
    return {
        ACTION_GROUP: monitor.action_groups,
        METRIC_ALERT: monitor.metric_alerts,
        LOG_ALERT: monitor.scheduled_query_rules,
        RULE_GROUP: clients.rule_groups.prometheus_rule_groups,
    }[kind]


def _request_body(resource: Resource, secrets: SecretValue) -> dict[str, Any]:
    """The body to send: the planned one with each secret's `secret:<fingerprint>` replaced by its value."""
    body = copy.deepcopy(resource.body)
    for pointer, ref in resource.secrets.items():
        parts = [int(p) if p.isdigit() else p for p in pointer.strip("/").split("/")]
        holder: Any = body
        for part in parts[:-1]:
            holder = holder[part]
        holder[parts[-1]] = resolve_uri(holder[parts[-1]], secrets(ref))
    return body


def _sdk_parameters(kind: str, body: dict[str, Any]) -> Any:
    """The SDK model the operation takes (rule groups and processing rules take the JSON mapping itself)."""
    if kind in (RULE_GROUP, PROCESSING_RULE):
        return body
    from azure.mgmt.monitor import models

    model: Any = {
        ACTION_GROUP: models.ActionGroupResource,
        METRIC_ALERT: models.MetricAlertResource,
        LOG_ALERT: models.ScheduledQueryRuleResource,
    }[kind]
    return model.deserialize(body)


def _put(clients: Clients, config: AzureMonitorConfig, resource: Resource, secrets: SecretValue) -> None:
    """Create or replace one resource (PUT)."""
    try:
        body = _request_body(resource, secrets)
    except KeyError as exc:
        raise ApplyError(f"a secret of {resource.key} cannot be read: {exc}") from None
    clients.count(f"{resource.kind}.put")
    _operations(clients, config, resource.kind).create_or_update(
        config.resource_group, resource.name, _sdk_parameters(resource.kind, body)
    )


def _delete(clients: Clients, config: AzureMonitorConfig, resource: Resource) -> None:
    """Delete one resource (a 204 for one already gone counts as done)."""
    clients.count(f"{resource.kind}.delete")
    _operations(clients, config, resource.kind).delete(config.resource_group, resource.name)


class ApplyError(Exception):
    """A change that cannot be carried out, with a message safe to show (no secret values)."""


def preflight(clients: Clients, config: AzureMonitorConfig, changes: Sequence[Change], target: str) -> dict[str, str]:
    """Change key -> why it is refused now: a create over an existing resource, or one no longer this target's."""
    live = {
        f"{kind}.{name.lower()}": body
        for kind, name, body in listed(clients, config.subscription_id, config.resource_group)
    }
    refused: dict[str, str] = {}
    for change in changes:
        found = live.get(f"{change.resource.kind}.{change.resource.name.lower()}")
        if change.action is Action.CREATE:
            if found is not None:
                refused[change.key] = "refused: a resource of this name exists now and would be overwritten; re-plan"
            continue
        if found is None:
            continue
        mine, holder = ownership(found.get("tags") or {}, target)
        if not mine:
            why = f"it now belongs to monaco {holder}" if holder.startswith("target ") else "it is not monaco's"
            refused[change.key] = f"refused: {why}"
    return refused


def steps(changes: Sequence[Change]) -> list[list[Change]]:
    """The ordered steps: groups put, rules put, rules deleted, groups deleted."""
    groups = [c for c in changes if c.resource.kind == ACTION_GROUP]
    rules = [c for c in changes if c.resource.kind in RULE_KINDS]
    return [
        [c for c in groups if c.action is not Action.DELETE],
        [c for c in rules if c.action is not Action.DELETE],
        [c for c in rules if c.action is Action.DELETE],
        [c for c in groups if c.action is Action.DELETE],
    ]


def _call(clients: Clients, config: AzureMonitorConfig, change: Change, secrets: SecretValue) -> Callable[[], None]:
    """The call that carries out one change."""
    resource = change.resource
    if change.action is Action.DELETE:
        return lambda: _delete(clients, config, resource)
    return lambda: _put(clients, config, resource, secrets)


def _describe(exc: BaseException) -> str:
    """A one-line account of an SDK or apply error (ARM's code and message; never a request body)."""
    error = getattr(exc, "error", None)
    code = getattr(error, "code", None)
    message = getattr(error, "message", None) or str(exc).splitlines()[0]
    return f"{code}: {message}" if code else f"{type(exc).__name__}: {message}"


def _run(change: Change, run: Callable[[], None], progress: Notice) -> tuple[bool, str]:
    """Carry out one change; its outcome (never raises for an Azure error)."""
    try:
        run()
    except Exception as exc:
        if not isinstance(exc, ApplyError) and type(exc).__module__.split(".")[0] != "azure":
            raise
        message = _describe(exc)
        progress(f"  failed  {change.key}: {message}")
        return False, f"failed: {message}"
    progress(f"  {change.action.symbol} {change.key}")
    return True, ""


def apply_changes(
    clients: Clients,
    config: AzureMonitorConfig,
    changes: Sequence[Change],
    secrets: SecretValue,
    progress: Notice,
    target: str,
    cancel: threading.Event,
) -> ApplyReport:
    """Apply `changes` to `target` in dependency order, recording each outcome as soon as it is known."""
    report = ApplyReport()
    try:
        refused = preflight(clients, config, changes, target)
    except Exception as exc:
        if type(exc).__module__.split(".")[0] != "azure":
            raise
        return report.none_applied(changes, f"could not re-check ownership before applying: {_describe(exc)}")

    def record(change: Change, ok: bool, message: str) -> None:
        """Add one outcome to the report (its listeners print it at once)."""
        report.results.append(ChangeResult(change.key, change.action.value, ok, message))

    for change in changes:
        if change.key in refused:
            record(change, False, refused[change.key])
    stopped = ""
    for step in steps([c for c in changes if c.key not in refused]):
        failed = False
        for change in step:
            stopped = stopped or ("cancelled" if cancel.is_set() else "")
            if stopped:
                record(change, False, f"not applied ({stopped})")
                continue
            ok, message = _run(change, _call(clients, config, change, secrets), progress)
            record(change, ok, message)
            failed = failed or not ok
        if failed:
            stopped = "an earlier step failed"
    return report
