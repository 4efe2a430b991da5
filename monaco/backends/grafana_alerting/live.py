"""Reading a target's Grafana alerting objects, read-only: five list calls whatever the number of rules.

`GET alert-rules` (every rule; those in the target's folder or labelled for it are kept), `GET alert-rules/
export?folderUid=` (the folder's group intervals, in one call), `GET contact-points` (those under the name
prefix), `GET mute-timings` (those in the target's name namespace, `mute_timings.owns_mute_timing`) and
`GET policies` (the whole tree; the root route matching `monaco_owner: <target>` is the target's subtree).
Ownership: a rule is the target's when its `monaco_owner` label names the target; a contact point when its
uid is the one derived from the target and its name; a group when it holds one of the target's rules; a
mute timing by its name. Everything is normalized once, here (`normalize`, `mute_timings`).
"""

from __future__ import annotations

from typing import Any

from monaco.backends.base import LiveState
from monaco.backends.grafana_alerting.clients import PROVISIONING, GrafanaClients, GrafanaError
from monaco.backends.grafana_alerting.config import OWNER_LABEL, GrafanaAlertingConfig, contact_point_uid
from monaco.backends.grafana_alerting.contact_render import CONTACT_POINT
from monaco.backends.grafana_alerting.mute_timings import MUTE_TIMING, canonical_mute_timing, owns_mute_timing
from monaco.backends.grafana_alerting.normalize import (
    canonical_contact_point,
    canonical_route,
    canonical_rule,
    duration,
)
from monaco.backends.grafana_alerting.policy_render import POLICY, SUBTREE, owner_matcher
from monaco.backends.grafana_alerting.target_render import RULE, RULE_GROUP
from monaco.diagnostics import Diagnostic
from monaco.plan.model import Resource
from monaco.spec.types import parse_duration

READ_FAILED = "MON634"


def rule_ownership(rule: dict[str, Any], target: str) -> tuple[bool, str]:
    """Whether a live rule is `target`'s, and who holds it when not."""
    owner = (rule.get("labels") or {}).get(OWNER_LABEL)
    if owner == target:
        return True, ""
    return False, f"target {owner}" if owner else "not monaco"


def group_intervals(clients: GrafanaClients, folder_uid: str) -> dict[str, int]:
    """Group name -> evaluation interval in seconds for the folder's groups (one export call; none -> {})."""
    try:
        export = clients.call(
            "GET", f"{PROVISIONING}/alert-rules/export", params={"folderUid": folder_uid, "format": "json"}
        )
    except GrafanaError as exc:
        if exc.status == 404:
            return {}
        raise
    return {str(g["name"]): parse_duration(duration(g.get("interval") or "1m")) for g in export.get("groups") or []}


def _rules(clients: GrafanaClients, config: GrafanaAlertingConfig, target: str) -> list[Resource]:
    listed = clients.call("GET", f"{PROVISIONING}/alert-rules") or []
    found: list[Resource] = []
    groups: dict[str, bool] = {}
    for raw in listed:
        in_folder = raw.get("folderUID") == config.folder_uid
        owned, holder = rule_ownership(raw, target)
        if not (in_folder or owned):
            continue
        name = f"{raw.get('ruleGroup')}/{raw['uid']}"
        found.append(Resource(RULE, name, canonical_rule(raw), owned=owned, holder=holder))
        if in_folder:
            group = str(raw.get("ruleGroup"))
            groups[group] = groups.get(group, False) or owned
    intervals = group_intervals(clients, config.folder_uid) if groups else {}
    for group, owned in sorted(groups.items()):
        body = {"folderUid": config.folder_uid, "title": group, "interval": intervals.get(group, 60)}
        holder = "" if owned else "not monaco (a group with no rule of this target)"
        found.append(Resource(RULE_GROUP, f"{config.folder_uid}/{group}", body, owned=owned, holder=holder))
    return found


def _contact_points(clients: GrafanaClients, config: GrafanaAlertingConfig, target: str) -> list[Resource]:
    found = []
    for raw in clients.call("GET", f"{PROVISIONING}/contact-points") or []:
        name = str(raw.get("name") or "")
        if not name.startswith(config.contact_point_prefix):
            continue
        owned = raw.get("uid") == contact_point_uid(target, name)
        holder = "" if owned else f"not this target's (uid {raw.get('uid')})"
        found.append(Resource(CONTACT_POINT, name, canonical_contact_point(raw), owned=owned, holder=holder))
    return found


def _mute_timings(clients: GrafanaClients, config: GrafanaAlertingConfig, target: str) -> list[Resource]:
    """The target's mute timings; every other one (the user's, another target's) is left out of the plan."""
    found = []
    for raw in clients.call("GET", f"{PROVISIONING}/mute-timings") or []:
        name = str(raw.get("name") or "")
        if owns_mute_timing(config, target, name):
            found.append(Resource(MUTE_TIMING, name, canonical_mute_timing(raw)))
    return found


def owned_route_index(tree: dict[str, Any], target: str) -> int | None:
    """The position, among the root's routes, of the target's subtree, or None."""
    for index, route in enumerate(tree.get("routes") or []):
        if isinstance(route, dict) and owner_matcher(target) in (route.get("object_matchers") or []):
            return index
    return None


def _policy(clients: GrafanaClients, target: str) -> list[Resource]:
    tree = clients.call("GET", f"{PROVISIONING}/policies") or {}
    index = owned_route_index(tree, target)
    if index is None:
        return []
    return [Resource(POLICY, SUBTREE, canonical_route(tree["routes"][index]))]


def read_live(clients: GrafanaClients, config: GrafanaAlertingConfig, target: str) -> LiveState:
    """The target's live objects and the calls it took; a failed read is MON634 naming the target."""
    try:
        resources = (
            _rules(clients, config, target)
            + _contact_points(clients, config, target)
            + _mute_timings(clients, config, target)
            + _policy(clients, target)
        )
    except GrafanaError as exc:
        message = f"target {target}: cannot read Grafana alerting objects at {config.url}: {exc}"
        hint = "check url, the token's permissions (alerting provisioning read) and org_id"
        return LiveState(diagnostics=[Diagnostic(READ_FAILED, message, hint=hint)], calls=clients.total)
    return LiveState(resources=sorted(resources, key=lambda r: r.key), calls=clients.total)
