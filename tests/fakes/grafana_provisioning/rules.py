"""Alert rules and rule groups of the fake: create, replace, delete, and Grafana's validation of each rule.

Rejections (Grafana's ngalert validation, `ValidateAlertRule` and the provisioning service): a rule needs a
title, an existing folder, a rule group, queries (`data`) and a `condition` naming one of their refIds; the
no-data and error states are enums; titles are unique within a folder's rule group; a group interval is a
positive multiple of the 10s base interval and a rule's `for` a multiple of its group's interval (the rule
editor's "pending period must be a multiple of the evaluation interval"). Writes keep provenance: a rule
provisioned by the API is not editable without it (`X-Disable-Provenance`), see `check_provenance`.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.grafana_provisioning.store import (
    EXEC_ERR_STATES,
    NO_DATA_STATES,
    ApiError,
    GrafanaState,
    Json,
    check_provenance,
    copied,
    duration_seconds,
    new_uid,
)

DEFAULT_INTERVAL_SECONDS = 60
"""A group created by posting its first rule evaluates every minute (Grafana's default evaluation interval)."""
RULE_FIELDS = (
    "uid",
    "orgID",
    "folderUID",
    "ruleGroup",
    "title",
    "condition",
    "data",
    "noDataState",
    "execErrState",
    "for",
    "annotations",
    "labels",
    "isPaused",
    "notification_settings",
    "keep_firing_for",
)


def check_interval(seconds: Any) -> int:
    """A group interval in seconds: a positive multiple of the 10s base interval, else 400."""
    if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds <= 0 or seconds % 10:
        raise ApiError(400, f"invalid interval {seconds!r}: must be a positive multiple of the base interval 10s")
    return seconds


def _check_data(rule: Json) -> None:
    data = rule.get("data")
    if not isinstance(data, list) or not data:
        raise ApiError(400, "invalid alert rule: no queries or expressions are found")
    ref_ids = [q.get("refId") for q in data if isinstance(q, dict)]
    if len(ref_ids) != len(data) or any(not r for r in ref_ids) or len(set(ref_ids)) != len(ref_ids):
        raise ApiError(400, "invalid alert rule: every query needs a unique refId")
    for query in data:
        if not query.get("datasourceUid") or not isinstance(query.get("model"), dict):
            raise ApiError(400, f"invalid alert rule: query {query.get('refId')} needs a datasourceUid and a model")
    if rule.get("condition") not in ref_ids:
        raise ApiError(400, f"invalid alert rule: condition {rule.get('condition')!r} is not one of {ref_ids}")


def validate_rule(state: GrafanaState, rule: Json, interval: int) -> Json:
    """The rule as stored (known fields, defaults filled), or ApiError naming what Grafana rejects."""
    if not str(rule.get("title") or "").strip():
        raise ApiError(400, "invalid alert rule: title is empty")
    folder = rule.get("folderUID")
    if not folder:
        raise ApiError(400, "invalid alert rule: folderUID must be set")
    if folder not in state.folders:
        raise ApiError(400, f"invalid alert rule: folder {folder} does not exist")
    if not str(rule.get("ruleGroup") or "").strip():
        raise ApiError(400, "invalid alert rule: rule group must be set")
    _check_data(rule)
    for key, allowed in (("noDataState", NO_DATA_STATES), ("execErrState", EXEC_ERR_STATES)):
        if key in rule and rule[key] not in allowed:
            raise ApiError(400, f"invalid alert rule: {key} {rule[key]!r} is not one of {list(allowed)}")
    pending = duration_seconds(rule.get("for", "0s"), "for")
    if pending % interval:
        raise ApiError(400, f"invalid alert rule: 'for' {rule['for']} is not a multiple of the interval {interval}s")
    stored = copied({k: rule[k] for k in RULE_FIELDS if k in rule})
    stored.setdefault("noDataState", "NoData")
    stored.setdefault("execErrState", "Error")
    stored.setdefault("for", "0s")
    stored.setdefault("annotations", {})
    stored.setdefault("labels", {})
    stored.setdefault("isPaused", False)
    stored["orgID"] = 1
    return stored


def _check_titles(state: GrafanaState, folder: str, group: str, rules: list[Json], replacing: set[str]) -> None:
    """Titles are unique within a folder's group (Grafana: "a rule with this title already exists")."""
    titles = [t for uid, t in _group_titles(state, folder, group) if uid not in replacing]
    for rule in rules:
        if rule["title"] in titles:
            raise ApiError(409, f"a rule with the title {rule['title']!r} already exists in {folder}/{group}")
        titles.append(rule["title"])


def _group_titles(state: GrafanaState, folder: str, group: str) -> list[tuple[str, str]]:
    return [(u, r["title"]) for u, r in state.rules.items() if (r["folderUID"], r["ruleGroup"]) == (folder, group)]


def _store(state: GrafanaState, rule: Json, provenance: str, existing: Json | None) -> Json:
    rule["provenance"] = provenance
    rule["id"] = existing["id"] if existing else state.new_id()
    rule["updated"] = "2026-01-01T00:00:00Z"
    state.rules[rule["uid"]] = rule
    return copied(rule)


def create_rule(state: GrafanaState, body: Json, provenance: str) -> Json:
    """POST /api/v1/provisioning/alert-rules: 201 with the stored rule; 409 when the uid exists."""
    with state.lock:
        uid = new_uid(body.get("uid"))
        if uid in state.rules:
            raise ApiError(409, f"a rule with uid {uid} already exists")
        key = (str(body.get("folderUID") or ""), str(body.get("ruleGroup") or ""))
        interval = state.group_intervals.get(key, DEFAULT_INTERVAL_SECONDS)
        rule = validate_rule(state, {**body, "uid": uid}, interval)
        _check_titles(state, key[0], key[1], [rule], set())
        state.group_intervals.setdefault(key, interval)
        return _store(state, rule, provenance, None)


def update_rule(state: GrafanaState, uid: str, body: Json, provenance: str) -> Json:
    """PUT /api/v1/provisioning/alert-rules/:uid: the rule replaced; 404 when missing, 409 on provenance."""
    with state.lock:
        existing = state.rules.get(uid)
        if existing is None:
            raise ApiError(404, f"alert rule {uid} not found")
        check_provenance(existing["provenance"], provenance, f"alert rule {uid}")
        key = (str(body.get("folderUID") or ""), str(body.get("ruleGroup") or ""))
        interval = state.group_intervals.get(key, DEFAULT_INTERVAL_SECONDS)
        rule = validate_rule(state, {**body, "uid": uid}, interval)
        _check_titles(state, key[0], key[1], [rule], {uid})
        state.group_intervals.setdefault(key, interval)
        return _store(state, rule, provenance, existing)


def delete_rule(state: GrafanaState, uid: str, provenance: str) -> None:
    """DELETE /api/v1/provisioning/alert-rules/:uid: 204 (also when it does not exist, as Grafana answers)."""
    with state.lock:
        existing = state.rules.get(uid)
        if existing is None:
            return
        check_provenance(existing["provenance"], provenance, f"alert rule {uid}")
        del state.rules[uid]
        _forget_empty_groups(state)


def _forget_empty_groups(state: GrafanaState) -> None:
    used = {(r["folderUID"], r["ruleGroup"]) for r in state.rules.values()}
    for key in [k for k in state.group_intervals if k not in used]:
        del state.group_intervals[key]


def get_group(state: GrafanaState, folder: str, group: str) -> Json:
    """GET .../folder/:folderUid/rule-groups/:group: `{title, folderUid, interval, rules}`; 404 when empty."""
    with state.lock:
        rules = [copied(r) for r in state.rules.values() if (r["folderUID"], r["ruleGroup"]) == (folder, group)]
        if not rules:
            raise ApiError(404, f"rule group {group} in folder {folder} not found")
        return {"title": group, "folderUid": folder, "interval": state.group_intervals[(folder, group)], "rules": rules}


def put_group(state: GrafanaState, folder: str, group: str, body: Json, provenance: str) -> Json:
    """PUT .../rule-groups/:group: the interval and the whole rule list (rules left out are deleted)."""
    with state.lock:
        if folder not in state.folders:
            raise ApiError(400, f"invalid rule group: folder {folder} does not exist")
        interval = check_interval(body.get("interval"))
        wanted = body.get("rules") or []
        if not isinstance(wanted, list):
            raise ApiError(400, "invalid rule group: rules must be a list")
        current = {u: r for u, r in state.rules.items() if (r["folderUID"], r["ruleGroup"]) == (folder, group)}
        for rule in current.values():
            check_provenance(rule["provenance"], provenance, f"alert rule {rule['uid']}")
        validated = []
        for rule in wanted:
            uid = new_uid(rule.get("uid"))
            other = state.rules.get(uid)
            if other is not None and uid not in current:
                raise ApiError(409, f"rule {uid} belongs to another group; move it with PUT alert-rules/{uid}")
            validated.append(
                validate_rule(state, {**rule, "uid": uid, "folderUID": folder, "ruleGroup": group}, interval)
            )
        titles = [r["title"] for r in validated]
        if len(set(titles)) != len(titles):
            raise ApiError(409, f"rule group {group} holds two rules with one title")
        for uid in current:
            del state.rules[uid]
        for rule in validated:
            _store(state, rule, provenance, current.get(rule["uid"]))
        state.group_intervals[(folder, group)] = interval
        _forget_empty_groups(state)
        return {"title": group, "folderUid": folder, "interval": interval, "rules": [copied(r) for r in validated]}


def export_groups(state: GrafanaState, folders: list[str], group: str | None) -> Json:
    """GET /api/v1/provisioning/alert-rules/export?folderUid=&group=&format=json: the file-provisioning format
    (AlertingFileExport: `groups[{orgId, name, folder (its title), interval ("1m"), rules}]`); 404 for no match."""
    with state.lock:
        chosen = sorted(k for k in state.group_intervals if (not folders or k[0] in folders) and group in (None, k[1]))
        if not chosen:
            raise ApiError(404, "no alert rules match the export filter")
        groups = []
        for folder, name in chosen:
            members = [r for r in state.rules.values() if (r["folderUID"], r["ruleGroup"]) == (folder, name)]
            groups.append(
                {
                    "orgId": 1,
                    "name": name,
                    "folder": state.folders[folder]["title"],
                    "interval": _seconds_text(state.group_intervals[(folder, name)]),
                    "rules": [{"uid": r["uid"], "title": r["title"], "condition": r["condition"]} for r in members],
                }
            )
        return {"apiVersion": 1, "groups": groups}


def _seconds_text(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}m{rest}s" if minutes and rest else f"{minutes}m" if minutes else f"{rest}s"
