"""Out-of-band changes to the fake, as a person in Grafana's UI would make them (no provenance, no API client)."""

from __future__ import annotations

from typing import Any

from tests.fakes.grafana_provisioning import mute_timings, notifications, rules
from tests.fakes.grafana_provisioning.server import GrafanaProvisioningFake
from tests.fakes.grafana_provisioning.store import Json, copied


def add_folder(fake: GrafanaProvisioningFake, uid: str, title: str) -> None:
    """A folder made in the UI."""
    state = fake.state
    with state.lock:
        state.folders[uid] = {"id": state.new_id(), "uid": uid, "title": title, "url": f"/dashboards/f/{uid}/"}


def add_rule(fake: GrafanaProvisioningFake, rule: Json) -> Json:
    """A rule made in the UI (the folder is made too when missing)."""
    if rule.get("folderUID") and rule["folderUID"] not in fake.state.folders:
        add_folder(fake, rule["folderUID"], rule["folderUID"])
    return rules.create_rule(fake.state, rule, "")


def add_contact_point(fake: GrafanaProvisioningFake, point: Json) -> Json:
    """A contact point made in the UI."""
    return notifications.create_contact_point(fake.state, point, "")


def add_mute_timing(fake: GrafanaProvisioningFake, timing: Json, provenance: str = "") -> Json:
    """A mute timing made in the UI (or, with `provenance="api"`, by another API client)."""
    return mute_timings.create_mute_timing(fake.state, timing, provenance)


def edit(fake: GrafanaProvisioningFake, kind: str, uid: str, change: dict[str, Any]) -> None:
    """Someone changing an object's fields directly in the database (provenance untouched): rules, contact points."""
    state = fake.state
    with state.lock:
        target = state.rules[uid] if kind == "rule" else state.contact_points[uid]
        target.update(copied(change))


def add_root_route(fake: GrafanaProvisioningFake, route: Json, first: bool = False) -> None:
    """A policy added to the tree's root in the UI (kept as is, provenance of the tree untouched)."""
    state = fake.state
    with state.lock:
        routes = state.policies.setdefault("routes", [])
        routes.insert(0 if first else len(routes), copied(route))


def simple_rule(folder: str, group: str, title: str, uid: str | None = None, labels: Json | None = None) -> Json:
    """A valid threshold rule in the provisioning shape (query A, threshold B), for out-of-band seeding."""
    rule: Json = {
        "folderUID": folder,
        "ruleGroup": group,
        "title": title,
        "condition": "B",
        "for": "5m",
        "labels": labels or {},
        "data": [
            {
                "refId": "A",
                "datasourceUid": "prom",
                "relativeTimeRange": {"from": 600, "to": 0},
                "model": {"refId": "A", "expr": "up", "instant": True},
            },
            {
                "refId": "B",
                "datasourceUid": "__expr__",
                "model": {"refId": "B", "type": "threshold", "expression": "A", "conditions": []},
            },
        ],
    }
    if uid is not None:
        rule["uid"] = uid
    return rule
