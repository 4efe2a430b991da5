"""Executing a plan on PagerDuty: ownership re-checked, then policies, services, and deletes in reverse.

Order: escalation policies are created or updated first (services point at them), then services (a new
one gets monaco's Events API v2 integration right after it is created), then services are deleted, then
policies (PagerDuty refuses to delete a policy a service still uses). Ids come from a fresh read under the
apply; a create whose name exists now, or a change to something that is no longer this target's, is refused
before anything is written. When a step has a failure, later steps are not started (no delete runs after a
failed write), and a re-run converges. Each change's outcome is reported as it completes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from monaco.backends.base import ApplyReport, ChangeResult, Notice
from monaco.backends.pagerduty.client import PdClient, describe_error
from monaco.backends.pagerduty.config import OWNER_TAG, PagerDutyConfig
from monaco.backends.pagerduty.live import Live
from monaco.backends.pagerduty.render import POLICY, SERVICE
from monaco.plan.model import Action, Change


class ApplyError(Exception):
    """A change that cannot be carried out (a reference PagerDuty does not have); reported, never raised out."""


def _policy_request(body: dict[str, Any], live: Live) -> dict[str, Any]:
    """The escalation policy as PagerDuty takes it: each target by id."""
    rules = []
    for rule in body["escalation_rules"]:
        targets = []
        for target in rule["targets"]:
            ident = live.refs.get((target["type"], target["ref"]))
            if ident is None:
                raise ApplyError(f"PagerDuty has no {target['type']} {target['ref']!r}")
            targets.append({"id": ident, "type": f"{target['type']}_reference"})
        rules.append({"escalation_delay_in_minutes": rule["escalation_delay_in_minutes"], "targets": targets})
    fields = {k: body[k] for k in ("name", "description", "num_loops")}
    return {"type": "escalation_policy", **fields, "escalation_rules": rules}


def _service_request(body: dict[str, Any], live: Live) -> dict[str, Any]:
    """The service as PagerDuty takes it: its policy by id."""
    policy = live.policy_ids.get(body["escalation_policy"])
    if policy is None:
        raise ApplyError(f"PagerDuty has no escalation policy {body['escalation_policy']!r}")
    fields = {k: v for k, v in body.items() if k not in ("escalation_policy", "integration")}
    return {"type": "service", **fields, "escalation_policy": {"id": policy, "type": "escalation_policy_reference"}}


def _put_policy(client: PdClient, config: PagerDutyConfig, target: str, change: Change, live: Live) -> None:
    resource = change.resource
    request = _policy_request(resource.body, live)
    if change.action is Action.CREATE:
        created = client.post("/escalation_policies", "escalation_policy", request)
        live.policy_ids[resource.name] = created["id"]
        client.change_tags("escalation_policies", created["id"], [OWNER_TAG, config.target_tag(target)])
    else:
        client.put(f"/escalation_policies/{live.policy_ids[resource.name]}", "escalation_policy", request)


def _put_service(client: PdClient, change: Change, live: Live) -> None:
    resource = change.resource
    request = _service_request(resource.body, live)
    if change.action is Action.CREATE:
        ident = client.post("/services", "service", request)["id"]
        live.service_ids[resource.name] = ident
    else:
        ident = live.service_ids[resource.name]
        client.put(f"/services/{ident}", "service", request)
    wanted = resource.body.get("integration")
    if wanted and resource.name not in live.integrated:
        client.post(f"/services/{ident}/integrations", "integration", dict(wanted))
        live.integrated.add(resource.name)


def _delete(client: PdClient, change: Change, live: Live) -> None:
    resource = change.resource
    if resource.kind == SERVICE:
        client.delete(f"/services/{live.service_ids[resource.name]}")
    else:
        client.delete(f"/escalation_policies/{live.policy_ids[resource.name]}")


def refusals(changes: Sequence[Change], live: Live) -> dict[str, str]:
    """Change key -> why it is refused now: a create over an existing name, or a change to what is not ours."""
    now = {r.key: r for r in live.resources}
    refused: dict[str, str] = {}
    for change in changes:
        current = now.get(change.key)
        if change.action is Action.CREATE and current is not None:
            refused[change.key] = "refused: an object of this name exists now and would be overwritten; re-plan"
        elif change.action is not Action.CREATE and (current is None or not current.owned):
            refused[change.key] = "refused: it is gone or no longer this target's; re-plan"
    return refused


def steps(changes: Sequence[Change]) -> list[list[Change]]:
    """The ordered steps: put policies, put services, delete services, delete policies."""

    def chosen(kind: str, deleting: bool) -> list[Change]:
        return [c for c in changes if c.resource.kind == kind and (c.action is Action.DELETE) == deleting]

    return [chosen(POLICY, False), chosen(SERVICE, False), chosen(SERVICE, True), chosen(POLICY, True)]


def _runner(client: PdClient, config: PagerDutyConfig, target: str, live: Live) -> Callable[[Change], None]:
    def run(change: Change) -> None:
        if change.action is Action.DELETE:
            _delete(client, change, live)
        elif change.resource.kind == POLICY:
            _put_policy(client, config, target, change, live)
        else:
            _put_service(client, change, live)

    return run


def apply_changes(
    client: PdClient,
    config: PagerDutyConfig,
    target: str,
    changes: Sequence[Change],
    live: Live,
    progress: Notice,
    cancel: threading.Event,
) -> ApplyReport:
    """Apply `changes` to `target` (with `live` freshly read) and report each one; never raises for an API error.

    Each outcome goes to the report as it completes (its listeners print progress); `progress` is unused."""
    report = ApplyReport()
    refused = refusals(changes, live)
    for change in changes:
        if change.key in refused:
            report.results.append(ChangeResult(change.key, change.action.value, False, refused[change.key]))
    todo = [c for c in changes if c.key not in refused]
    run, stopped = _runner(client, config, target, live), ""
    for step in steps(todo):
        failed = False
        for change in step:
            stopped = stopped or ("cancelled" if cancel.is_set() else "")
            if stopped:
                report.results.append(ChangeResult(change.key, change.action.value, False, f"not applied: {stopped}"))
                continue
            try:
                run(change)
            except Exception as exc:  # an API error or ApplyError: reported, never raised
                if not isinstance(exc, ApplyError) and type(exc).__module__.split(".")[0] not in (
                    "pagerduty",
                    "httpx2",
                ):
                    raise
                failed = True
                message = str(exc) if isinstance(exc, ApplyError) else describe_error(exc)
                report.results.append(ChangeResult(change.key, change.action.value, False, f"failed: {message}"))
                continue
            report.results.append(ChangeResult(change.key, change.action.value, True))
        stopped = stopped or ("an earlier step failed" if failed else "")
    if refused:
        report.errors.append(f"{len(refused)} change(s) refused: PagerDuty changed since the plan; run `monaco plan`")
    return report
