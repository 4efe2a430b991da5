"""Plan and apply through the CLI against the fake: convergence, the policy tree kept, secrets, ownership, failures."""

from __future__ import annotations

import json

from tests.fakes.grafana_provisioning import REDACTED
from tests.fakes.grafana_provisioning.out_of_band import add_root_route, add_rule, edit, simple_rule
from tests.grafana_alerting.workspace import SECRETS, TARGET, GrafanaWorkspace

UNOWNED_FIRST = {"receiver": "grafana-default-email", "object_matchers": [["team", "=", "web"]], "group_wait": "45s"}
UNOWNED_LAST = {"receiver": "grafana-default-email", "object_matchers": [["env", "=", "dev"]], "continue": True}


def _fake(ws: GrafanaWorkspace) -> object:
    assert ws.fake is not None
    return ws.fake


def test_apply_converges_and_writes_every_kind(ws: GrafanaWorkspace) -> None:
    assert ws.fake is not None
    ws.converge()
    rules = ws.fake.state.rules.values()
    titles = sorted(r["title"] for r in rules)
    assert titles == [
        "Down",
        "HighErrorRate",
        "LowThroughput",
        "SLOErrorBudgetBurn availability page",
        "SLOErrorBudgetBurn availability ticket",
        "SLONoData availability",
    ]
    assert all(r["provenance"] == "api" and r["folderUID"] == "monaco" for r in rules)
    assert all(r["labels"]["monaco_owner"] == TARGET for r in rules)
    assert ws.fake.state.group_intervals == {("monaco", "checkout"): 60}
    kinds = {p["name"]: p["type"] for p in ws.fake.state.contact_points.values()}
    assert kinds == {
        "grafana-default-email": "email",
        "monaco-payments-hook": "webhook",
        "monaco-payments-mail": "email",
        "monaco-payments-pager": "pagerduty",
        "monaco-payments-slack": "slack",
    }
    subtree = ws.fake.state.policies["routes"][0]
    assert subtree["object_matchers"] == [["monaco_owner", "=", TARGET]]
    assert [r["receiver"] for r in subtree["routes"][0]["routes"]] == [
        "monaco-payments-pager",
        "monaco-payments-slack",
        "monaco-payments-hook",
    ]
    assert ws.fake.state.policies["provenance"] == "", "the tree stays editable for the routes people own"


def test_unowned_routes_are_never_clobbered(ws: GrafanaWorkspace) -> None:
    assert ws.fake is not None
    add_root_route(ws.fake, UNOWNED_FIRST, first=True)
    add_root_route(ws.fake, UNOWNED_LAST)
    ws.converge()
    ws.edit("checkout.yaml", "repeat_interval: 1h", "repeat_interval: 3h")
    assert "repeat_interval: 1h -> 3h" in ws.run("plan").output.replace('"', "")
    ws.converge()
    routes = ws.fake.state.policies["routes"]
    assert len(routes) == 3
    assert json.dumps(routes[1], sort_keys=True) == json.dumps(UNOWNED_FIRST, sort_keys=True)
    assert json.dumps(routes[2], sort_keys=True) == json.dumps(UNOWNED_LAST, sort_keys=True)
    assert routes[0]["routes"][0]["routes"][0]["repeat_interval"] == "3h"


def test_secrets_live_in_grafana_only_and_rotation_is_planned(ws: GrafanaWorkspace, monkeypatch: object) -> None:
    assert ws.fake is not None
    ws.converge()
    stored = {ws.fake.state.contact_points[uid]["name"]: values for uid, values in ws.fake.state.secrets.items()}
    assert stored["monaco-payments-slack"] == {"url": SECRETS["GRAFANA_TEST_SLACK_URL"]}
    assert stored["monaco-payments-pager"] == {"integrationKey": SECRETS["GRAFANA_TEST_PD_KEY"]}
    listed = json.dumps([p["settings"] for p in ws.fake.state.contact_points.values()])
    assert SECRETS["GRAFANA_TEST_SLACK_URL"] not in listed and REDACTED not in listed
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("GRAFANA_TEST_SLACK_URL", "https://hooks.slack.com/services/T0/B0/rotated-token")
    planned = ws.run("plan", "--compact")
    assert "contact_point.monaco-payments-slack" in planned.output and planned.output.count("~") == 1
    ws.converge()
    stored = {ws.fake.state.contact_points[uid]["name"]: values for uid, values in ws.fake.state.secrets.items()}
    assert stored["monaco-payments-slack"]["url"].endswith("rotated-token")


def test_unowned_rule_with_the_same_uid_is_refused_and_left_alone(ws: GrafanaWorkspace) -> None:
    assert ws.fake is not None
    from monaco.backends.grafana_alerting.config import rule_uid

    add_rule(ws.fake, simple_rule("monaco", "checkout", "Hand made", uid=rule_uid("checkout", "Down")))
    before = ws.fake.snapshot()
    planned = ws.run("plan")
    assert planned.code != 0 and "MON410" in planned.output
    applied = ws.run("apply", "--auto-approve")
    assert applied.code != 0
    assert ws.fake.snapshot() == before


def test_unowned_rule_in_the_service_group_survives(ws: GrafanaWorkspace) -> None:
    assert ws.fake is not None
    ws.converge()
    hand = add_rule(ws.fake, simple_rule("monaco", "checkout", "Hand made", uid="hand1"))
    ws.edit("checkout.yaml", "when: {above: 0.05}", "when: {above: 0.1}")
    ws.edit("checkout.yaml", "for: 2m", "for: 3m")
    ws.converge()
    assert ws.fake.state.rules["hand1"] == hand | {"updated": ws.fake.state.rules["hand1"]["updated"]}
    assert ws.fake.state.rules["hand1"]["provenance"] == ""


def test_hand_edit_is_planned_and_reverted(ws: GrafanaWorkspace) -> None:
    assert ws.fake is not None
    ws.converge()
    uid = next(u for u, r in ws.fake.state.rules.items() if r["title"] == "HighErrorRate")
    edit(ws.fake, "rule", uid, {"for": "15m"})
    planned = ws.run("plan", "--detailed-exitcode")
    assert planned.code == 2 and "for: 15m -> 5m" in planned.output.replace('"', "")
    ws.converge()
    assert ws.fake.state.rules[uid]["for"] == "5m"


def test_removed_routes_delete_contact_points_after_the_tree(ws: GrafanaWorkspace) -> None:
    assert ws.fake is not None
    ws.converge()
    ws.edit("checkout.yaml", "    to: [payments-pager, payments-slack]", "    to: [payments-pager]")
    ws.converge()
    names = {p["name"] for p in ws.fake.state.contact_points.values()}
    assert "monaco-payments-slack" not in names and "monaco-payments-pager" in names
    writes = [c.method + " " + c.path.split("?")[0] for c in ws.fake.call_log() if c.method != "GET"][-2:]
    assert writes[0] == "PUT /api/v1/provisioning/policies" and writes[1].startswith(
        "DELETE /api/v1/provisioning/contact"
    )


def test_failed_write_is_reported_per_change_then_converges(ws: GrafanaWorkspace) -> None:
    assert ws.fake is not None
    ws.fake.fail_nth_write(3, status=500)
    applied = ws.run("apply", "--auto-approve")
    assert applied.code != 0
    assert "failed" in applied.output and "not applied" in applied.output
    assert SECRETS["GRAFANA_TEST_PD_KEY"] not in applied.output
    ws.converge()


def test_disable_provenance_leaves_objects_editable(ws: GrafanaWorkspace) -> None:
    assert ws.fake is not None
    ws.write(disable_provenance=True)
    ws.converge()
    assert {r["provenance"] for r in ws.fake.state.rules.values()} == {""}
    assert {p["provenance"] for p in ws.fake.state.contact_points.values()} == {""}


def test_removing_the_service_deletes_its_rules_group_and_subtree(ws: GrafanaWorkspace) -> None:
    assert ws.fake is not None
    add_root_route(ws.fake, UNOWNED_LAST)
    ws.converge()
    (ws.specs / "checkout.yaml").unlink()
    ws.converge()
    assert ws.fake.state.rules == {} and ws.fake.state.group_intervals == {}
    assert ws.fake.state.policies["routes"] == [UNOWNED_LAST]
    assert [p["name"] for p in ws.fake.state.contact_points.values()] == ["grafana-default-email"]


def test_an_interval_change_rewrites_the_group_but_never_over_rules_it_does_not_own(ws: GrafanaWorkspace) -> None:
    assert ws.fake is not None
    ws.converge()
    hand = add_rule(ws.fake, simple_rule("monaco", "checkout", "Hand made", uid="hand1"))
    ws.edit("checkout.yaml", "metadata: {name: checkout,", "rule_group: {interval: 30s}\nmetadata: {name: checkout,")
    refused = ws.run("apply", "--auto-approve")
    assert refused.code != 0 and "holds rules this target does not own (Hand made)" in refused.output
    assert ws.fake.state.group_intervals[("monaco", "checkout")] == 60 and ws.fake.state.rules["hand1"] == hand
    del ws.fake.state.rules["hand1"]
    ws.converge()
    assert ws.fake.state.group_intervals[("monaco", "checkout")] == 30
