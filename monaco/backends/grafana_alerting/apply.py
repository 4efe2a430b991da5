"""Executing a plan on Grafana: what the policy tree names before the tree, the tree before rules, deletes last.

Steps, each started only when the ones before succeeded (a re-run converges; a contact point or mute
timing the tree still names is never deleted first, which Grafana would refuse with 409): the folder
(created when missing), contact point creates and updates, mute timing creates and updates, the policy
tree (read whole, only the target's subtree replaced, every other route sent back as read, written with
`X-Disable-Provenance` so people keep editing their routes in the UI), rules group by group, contact
point deletes, mute timing deletes. Mute timings are written like contact points: provisioned unless the
target sets `disable_provenance`; a create of a name taken meanwhile is Grafana's own 400 (Grafana keeps
timing names unique, so no read before). A new group is written whole (`PUT rule-groups/:group`, which
also sets its interval); in an existing group each rule is created, updated or deleted on its own, so rules
monaco does not own in that group are never rewritten; an interval change rewrites the group and is refused
while the group holds rules that are not the target's. Every change's outcome is reported as it completes.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from monaco.backends.base import ApplyReport, ChangeResult, Notice, SecretValue
from monaco.backends.grafana_alerting.clients import PROVISIONING, GrafanaClients, GrafanaError
from monaco.backends.grafana_alerting.config import FINGERPRINTS_SETTING, GrafanaAlertingConfig
from monaco.backends.grafana_alerting.contact_render import CONTACT_POINT
from monaco.backends.grafana_alerting.live import owned_route_index, rule_ownership
from monaco.backends.grafana_alerting.mute_timings import MUTE_TIMING
from monaco.backends.grafana_alerting.normalize import RULE_KEYS
from monaco.backends.grafana_alerting.policy_render import POLICY
from monaco.backends.grafana_alerting.target_render import RULE, RULE_GROUP
from monaco.plan.model import Action, Change

_FINGERPRINT = re.compile(r"^\(sensitive (.+)\)$")


class Refused(Exception):
    """A change not carried out because the live object is no longer what the plan saw."""


@dataclass
class ApplyRun:
    """One apply: the clients, what is decided so far, and whether a step failed or the apply was cancelled."""

    clients: GrafanaClients
    config: GrafanaAlertingConfig
    target: str
    secrets: SecretValue
    progress: Notice
    cancel: threading.Event
    report: ApplyReport = field(default_factory=ApplyReport)
    failed: bool = False

    def stopped(self) -> str:
        """Why nothing more is started ("" while work goes on)."""
        if self.failed:
            return "not applied: an earlier step failed"
        return "not applied (cancelled)" if self.cancel.is_set() else ""

    def done(self, changes: Sequence[Change], ok: bool, message: str = "") -> None:
        """Record (and tell the listeners) the outcome of `changes`."""
        for change in changes:
            self.report.results.append(ChangeResult(change.key, change.action.value, ok, message))
            self.progress(f"  {'ok' if ok else 'failed'}  {change.action.symbol} {change.key} {message}".rstrip())

    def step(self, changes: Sequence[Change], work: Callable[[], None]) -> None:
        """Run `work` for `changes` unless stopped; an API error fails them (and stops later steps)."""
        if not changes:
            return
        if why := self.stopped():
            self.done(changes, False, why)
            return
        try:
            work()
        except Refused as exc:
            self.done(changes, False, f"refused: {exc}")
            return
        except (GrafanaError, KeyError) as exc:
            self.failed = True
            self.done(changes, False, f"failed: {exc}")
            return
        self.done(changes, True)

    @property
    def provenance(self) -> bool:
        """Whether rules, contact points and mute timings are written provisioned (the API's default) or editable
        in the UI."""
        return not self.config.disable_provenance


def _ensure_folder(run: ApplyRun) -> None:
    folders = run.clients.call("GET", "/folders") or []
    if not any(f.get("uid") == run.config.folder_uid for f in folders):
        run.clients.call("POST", "/folders", json={"uid": run.config.folder_uid, "title": run.config.folder_title})


def contact_point_request(change: Change, secrets: SecretValue) -> dict[str, Any]:
    """The contact point to send: real secret values in place of fingerprints, the fingerprints recorded beside."""
    after = change.after
    assert after is not None
    body: dict[str, Any] = {**after.body, "settings": dict(after.body["settings"])}
    recorded: dict[str, str] = {}
    for pointer, ref in sorted(after.secrets.items()):
        name = pointer.removeprefix("/settings/")
        planned = _FINGERPRINT.match(str(body["settings"].get(name, "")))
        recorded[name] = planned.group(1) if planned else ""
        body["settings"][name] = secrets(ref)
    if recorded:
        body["settings"][FINGERPRINTS_SETTING] = recorded
    return body


def _put_contact_point(run: ApplyRun, change: Change) -> None:
    body = contact_point_request(change, run.secrets)
    path = f"{PROVISIONING}/contact-points"
    if change.action is Action.CREATE:
        existing = run.clients.call("GET", path, params={"name": body["name"]}) or []
        if existing:
            raise Refused(f"a contact point named {body['name']} exists now; re-plan")
        run.clients.call("POST", path, json=body, provenance=run.provenance)
    else:
        run.clients.call("PUT", f"{path}/{quote(body['uid'])}", json=body, provenance=run.provenance)


def _delete_contact_point(run: ApplyRun, change: Change) -> None:
    before = change.before
    assert before is not None
    run.clients.call("DELETE", f"{PROVISIONING}/contact-points/{quote(before.body['uid'])}")


def _put_mute_timing(run: ApplyRun, change: Change) -> None:
    body = change.resource.body
    path = f"{PROVISIONING}/mute-timings"
    if change.action is Action.CREATE:
        run.clients.call("POST", path, json=body, provenance=run.provenance)
    else:
        run.clients.call("PUT", f"{path}/{quote(body['name'], safe='')}", json=body, provenance=run.provenance)


def _delete_mute_timing(run: ApplyRun, change: Change) -> None:
    name = change.resource.body["name"]
    run.clients.call("DELETE", f"{PROVISIONING}/mute-timings/{quote(name, safe='')}", provenance=run.provenance)


def _write_policy(run: ApplyRun, change: Change) -> None:
    """Read the whole tree, replace (or insert first, or remove) only the target's subtree, write it back."""
    tree = run.clients.call("GET", f"{PROVISIONING}/policies") or {}
    routes = list(tree.get("routes") or [])
    index = owned_route_index(tree, run.target)
    if change.action is Action.CREATE and index is not None:
        raise Refused("the tree holds this target's subtree now; re-plan")
    if change.action is not Action.CREATE and index is None:
        raise Refused("this target's subtree is no longer in the tree; re-plan")
    if change.action is Action.DELETE:
        assert index is not None
        del routes[index]
    elif index is None:
        routes.insert(0, change.resource.body)
    else:
        routes[index] = change.resource.body
    written = {k: v for k, v in tree.items() if k not in ("provenance", "routes")}
    if routes:
        written["routes"] = routes
    run.clients.call("PUT", f"{PROVISIONING}/policies", json=written, provenance=False)


def apply_changes(
    clients: GrafanaClients,
    config: GrafanaAlertingConfig,
    changes: Sequence[Change],
    secrets: SecretValue,
    progress: Notice,
    target: str,
    cancel: threading.Event,
) -> ApplyReport:
    """Apply `changes` to `target` in dependency order and report each one's outcome; never raises for Grafana."""
    from monaco.backends.grafana_alerting.rule_apply import apply_rules

    run = ApplyRun(clients, config, target, secrets, progress, cancel)
    points = [c for c in changes if c.resource.kind == CONTACT_POINT]
    timings = [c for c in changes if c.resource.kind == MUTE_TIMING]
    rules = [c for c in changes if c.resource.kind in (RULE, RULE_GROUP)]
    if any(c.action is not Action.DELETE for c in rules) and not run.stopped():
        try:
            _ensure_folder(run)
        except GrafanaError as exc:
            run.failed = True
            run.report.errors.append(f"cannot create folder {config.folder_uid}: {exc}")
    for change in (c for c in points if c.action is not Action.DELETE):
        run.step([change], functools.partial(_put_contact_point, run, change))
    for change in (c for c in timings if c.action is not Action.DELETE):
        run.step([change], functools.partial(_put_mute_timing, run, change))
    for change in (c for c in changes if c.resource.kind == POLICY):
        run.step([change], functools.partial(_write_policy, run, change))
    apply_rules(run, rules)
    for change in (c for c in points if c.action is Action.DELETE):
        run.step([change], functools.partial(_delete_contact_point, run, change))
    for change in (c for c in timings if c.action is Action.DELETE):
        run.step([change], functools.partial(_delete_mute_timing, run, change))
    return run.report


def rule_request(body: dict[str, Any]) -> dict[str, Any]:
    """A rule as sent: the keys monaco renders (a live rule read back loses Grafana's own fields)."""
    return {k: body[k] for k in RULE_KEYS if k in body}


def ours(rule: dict[str, Any], target: str) -> bool:
    """Whether a rule read now is the target's."""
    return rule_ownership(rule, target)[0]
