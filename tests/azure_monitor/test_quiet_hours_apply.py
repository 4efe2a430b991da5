"""Quiet hours applied through the monitor client's pipeline to the fake ARM: create, converge, update, delete."""

from __future__ import annotations

import json

from tests.azure_monitor import builders as b
from tests.azure_monitor.conftest import Azure
from tests.azure_monitor.quiet import interval, quiet_model, quiet_routes, quiet_service
from tests.fakes.azure_arm import ACTION_RULES


def _rules_live(azure: Azure) -> dict[str, dict[str, object]]:
    """The fake's processing rules by name, as ARM stores them."""
    found = {}
    for key, raw in azure.fake.snapshot().items():
        if "/actionrules/" in key.lower():
            document = json.loads(raw)
            found[document["name"]] = document
    return found


def test_processing_rules_are_created_read_back_and_plan_empty(azure: Azure) -> None:
    """Both routes' rules are PUT with api-version 2021-08-08; a plan right after is empty."""
    service = quiet_service()
    target = b.target(azure.config(), service)
    plan = azure.converge(quiet_model(service), target)
    created = [c.key for c in plan.changes if c.resource.kind == "processing_rule"]
    assert created == ["processing_rule.monaco-quiet-checkout-route0", "processing_rule.monaco-quiet-checkout-route1"]
    live = _rules_live(azure)
    assert sorted(live) == ["monaco-quiet-checkout-route0", "monaco-quiet-checkout-route1"]
    assert live["monaco-quiet-checkout-route1"]["properties"]["schedule"]["timeZone"] == "W. Europe Standard Time"
    puts = [r for r in azure.fake.requests if r.method == "PUT" and r.kind == ACTION_RULES.key]
    assert {tuple(r.query["api-version"]) for r in puts} == {("2021-08-08",)}


def test_processing_rules_are_put_after_the_rules_they_select(azure: Azure) -> None:
    """Action groups, then metric and log alerts and processing rules; no processing rule before a rule."""
    service = quiet_service()
    azure.converge(quiet_model(service), b.target(azure.config(), service))
    kinds = [r.kind for r in azure.fake.requests if r.method == "PUT"]
    assert kinds.index(ACTION_RULES.key) > max(i for i, k in enumerate(kinds) if k == "action_groups")


def test_a_changed_interval_updates_the_rule_in_place(azure: Azure) -> None:
    """New business hours: one update of route 1's rule, nothing else."""
    service = quiet_service()
    target = b.target(azure.config(), service)
    azure.converge(quiet_model(service), target)

    later = [{"weekdays": ["monday:friday"], "times": [{"start_time": "08:00", "end_time": "18:00"}]}]
    model = quiet_model(service, interval("business", later), interval("maintenance", [{"weekdays": ["sunday"]}]))
    plan, _ = azure.plan(model, target)
    assert {c.key: c.action.value for c in plan.changes} == {
        "processing_rule.monaco-quiet-checkout-route0": "update",
        "processing_rule.monaco-quiet-checkout-route1": "update",
    }
    azure.converge(model, target)
    schedule = _rules_live(azure)["monaco-quiet-checkout-route1"]["properties"]["schedule"]  # type: ignore[index]
    assert schedule["timeZone"] == "UTC"  # type: ignore[index]


def test_removing_the_muting_deletes_the_rule(azure: Azure) -> None:
    """Route 0 no longer mutes: its processing rule is deleted, route 1's stays; plan again is empty."""
    service = quiet_service()
    azure.converge(quiet_model(service), b.target(azure.config(), service))
    unmuted = quiet_service(quiet_routes(mute=()))
    target = b.target(azure.config(), unmuted)
    plan, _ = azure.plan(quiet_model(unmuted), target)
    assert {c.key: c.action.value for c in plan.changes} == {"processing_rule.monaco-quiet-checkout-route0": "delete"}
    azure.converge(quiet_model(unmuted), target)
    assert sorted(_rules_live(azure)) == ["monaco-quiet-checkout-route1"]
    deletes = [r for r in azure.fake.requests if r.method == "DELETE"]
    assert [(r.kind, r.status) for r in deletes] == [(ACTION_RULES.key, 200)]


def test_an_unowned_processing_rule_of_a_desired_name_is_refused_and_left_alone(azure: Azure) -> None:
    """A hand-made processing rule where monaco's would go: MON410, and it is never written."""
    body = {
        "location": "Global",
        "properties": {
            "scopes": [f"/subscriptions/{b.SUBSCRIPTION}"],
            "actions": [{"actionType": "RemoveAllActionGroups"}],
        },
    }
    azure.fake.seed(ACTION_RULES, b.GROUP, "monaco-quiet-checkout-route0", body)
    before = _rules_live(azure)
    service = quiet_service()
    plan, diagnostics = azure.plan(quiet_model(service), b.target(azure.config(), service))
    assert "MON410" in [d.code for d in diagnostics]
    assert "processing_rule.monaco-quiet-checkout-route0" not in {c.key for c in plan.changes}
    assert azure.apply(plan, b.target(azure.config(), service)).ok
    assert _rules_live(azure)["monaco-quiet-checkout-route0"] == before["monaco-quiet-checkout-route0"]


def test_a_refused_processing_rule_is_reported_with_arms_code(azure: Azure) -> None:
    """ARM refusing the PUT (here an injected 500) is one failed change naming ARM's code; the rest applies."""
    service = quiet_service(quiet_routes(active=()))
    target = b.target(azure.config(), service)
    plan, _ = azure.plan(quiet_model(service), target)
    writes_before_rule = sum(1 for c in plan.changes if c.resource.kind != "processing_rule")
    azure.fake.fail_nth_write(writes_before_rule + 1, status=500)
    report = azure.apply(plan, target)
    failed = [r for r in report.results if not r.ok]
    assert [r.key for r in failed] == ["processing_rule.monaco-quiet-checkout-route0"]
    assert failed[0].message.startswith("failed: InternalServerError: ")
    azure.converge(quiet_model(service), target)
    assert sorted(_rules_live(azure)) == ["monaco-quiet-checkout-route0"]
