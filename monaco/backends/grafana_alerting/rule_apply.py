"""Rules, group by group: a new group written whole, an existing one rule by rule (see `apply`'s docstring)."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from monaco.backends.grafana_alerting.apply import ApplyRun, Refused, ours, rule_request
from monaco.backends.grafana_alerting.clients import PROVISIONING, GrafanaError
from monaco.backends.grafana_alerting.target_render import RULE, RULE_GROUP
from monaco.plan.model import Action, Change

RULES = f"{PROVISIONING}/alert-rules"


def _group_path(run: ApplyRun, group: str) -> str:
    return f"{PROVISIONING}/folder/{quote(run.config.folder_uid)}/rule-groups/{quote(group, safe='')}"


def _live_group(run: ApplyRun, group: str) -> dict[str, Any] | None:
    try:
        found: dict[str, Any] = run.clients.call("GET", _group_path(run, group))
    except GrafanaError as exc:
        if exc.status == 404:
            return None
        raise
    return found


def _interval(changes: Sequence[Change], live: dict[str, Any] | None) -> int:
    for change in changes:
        if change.resource.kind == RULE_GROUP and change.after is not None:
            return int(change.after.body["interval"])
    return int((live or {}).get("interval") or 60)


def _rewrite_group(run: ApplyRun, group: str, changes: Sequence[Change], live: dict[str, Any] | None) -> None:
    """PUT the group whole: its live rules with the changes applied (refused when some are not the target's)."""
    current = (live or {}).get("rules") or []
    foreign = [r["title"] for r in current if not ours(r, run.target)]
    if foreign:
        raise Refused(f"group {group} holds rules this target does not own ({', '.join(foreign)}); not rewritten")
    by_uid = {c.resource.body["uid"]: c for c in changes if c.resource.kind == RULE}
    rules = []
    for rule in current:
        change = by_uid.pop(rule["uid"], None)
        if change is None:
            rules.append(rule_request(rule))
        elif change.after is not None:
            rules.append(rule_request(change.after.body))
    rules += [rule_request(c.after.body) for c in by_uid.values() if c.after is not None]
    body = {"title": group, "interval": _interval(changes, live), "rules": rules}
    run.clients.call("PUT", _group_path(run, group), json=body, provenance=run.provenance)


def _one_rule(run: ApplyRun, change: Change, live: dict[str, Any]) -> None:
    """Create, update or delete one rule of an existing group, after checking it is (still) the target's."""
    uid = str(change.resource.body["uid"])
    now = next((r for r in live.get("rules") or [] if r.get("uid") == uid), None)
    if change.action is Action.CREATE:
        if now is not None:
            raise Refused(f"rule {uid} exists now; re-plan")
        run.clients.call("POST", RULES, json=rule_request(change.resource.body), provenance=run.provenance)
        return
    if now is not None and not ours(now, run.target):
        raise Refused(f"rule {uid} no longer carries this target's monaco_owner label")
    if change.action is Action.DELETE:
        run.clients.call("DELETE", f"{RULES}/{quote(uid)}", provenance=run.provenance)
        return
    run.clients.call("PUT", f"{RULES}/{quote(uid)}", json=rule_request(change.resource.body), provenance=run.provenance)


def _group(run: ApplyRun, group: str, changes: Sequence[Change]) -> None:
    if why := run.stopped():
        run.done(changes, False, why)
        return
    try:
        live = _live_group(run, group)
    except GrafanaError as exc:
        run.failed = True
        run.done(changes, False, f"failed: cannot read rule group {group}: {exc}")
        return
    if live is None and all(c.action is Action.DELETE for c in changes):
        run.done(changes, True, "already gone")
        return
    interval_changes = [c for c in changes if c.resource.kind == RULE_GROUP and c.action is not Action.DELETE]
    if live is None or interval_changes:
        run.step(changes, functools.partial(_rewrite_group, run, group, changes, live))
        return
    for change in (c for c in changes if c.resource.kind == RULE):
        run.step([change], functools.partial(_one_rule, run, change, live))
    run.step([c for c in changes if c.resource.kind == RULE_GROUP], lambda: None)


def _elsewhere(run: ApplyRun, change: Change) -> None:
    run.clients.call("DELETE", f"{RULES}/{quote(str(change.resource.body['uid']))}", provenance=run.provenance)


def apply_rules(run: ApplyRun, changes: Sequence[Change]) -> None:
    """Every rule and rule-group change, grouped by the group they belong to."""
    by_group: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        body = change.resource.body
        if change.resource.kind == RULE and body.get("folderUID") != run.config.folder_uid:
            run.step([change], functools.partial(_elsewhere, run, change))
            continue
        by_group[str(body.get("ruleGroup") if change.resource.kind == RULE else body["title"])].append(change)
    for group in sorted(by_group):
        _group(run, group, by_group[group])
