"""The pagerduty backend end to end through the CLI, the real client and the fake: plan, apply, ownership, faults."""

from __future__ import annotations

import json

from monaco.backends.pagerduty.severity import event_severities
from monaco.spec.models import DEFAULT_SEVERITIES, SeverityLevel
from tests.pagerduty.conftest import PdWorkspace


def _documents(ws: PdWorkspace, collection: str) -> list[dict[str, object]]:
    return [json.loads(v) for k, v in ws.fake.snapshot().items() if k.startswith(f"{collection}/")]


def test_apply_creates_policy_services_and_integrations_then_plan_is_empty(pd_ws: PdWorkspace) -> None:
    """Policy first (tagged), two services pointing at it with an Events API v2 integration; no key printed."""
    assert pd_ws.run("plan", "--detailed-exitcode")[0] == 2
    code, out, err = pd_ws.run("apply", "--auto-approve")
    assert code == 0, out + err
    assert pd_ws.run("plan", "--detailed-exitcode")[0] == 0
    writes = [(r.method, r.path.split("/")[1]) for r in pd_ws.fake.requests if r.method != "GET"]
    assert writes[:2] == [("POST", "escalation_policies"), ("POST", "escalation_policies")]  # create, then tag it
    [policy] = _documents(pd_ws, "escalation_policies")
    services = _documents(pd_ws, "services")
    assert sorted(str(s["name"]) for s in services) == ["monaco-basket", "monaco-checkout"]
    assert all(s["escalation_policy"]["id"] == policy["id"] for s in services)  # type: ignore[index]
    assert {s["incident_urgency_rule"]["type"] for s in services} == {"severity_based"}  # type: ignore[index]
    keys = [str(i["integration_key"]) for i in _documents(pd_ws, "integrations")]
    assert len(keys) == 2
    tags = {json.loads(v)[0] for k, v in pd_ws.fake.snapshot().items() if k.startswith("tag_assignments/")}
    assert len(tags) == 1 and len(_documents(pd_ws, "tags")) == 2
    _, planned, _ = pd_ws.run("plan", "--format", "json")
    shown = out + err + planned
    assert not any(key in shown for key in keys)


def test_an_unknown_schedule_or_user_is_a_diagnostic_at_its_spec_line(pd_ws: PdWorkspace) -> None:
    """Plan reads schedules and users: a name PagerDuty lacks is MON1001 at team.yaml's line of that target."""
    team = pd_ws.root / "specs" / "team.yaml"
    team.write_text(team.read_text().replace("Bob Jones", "Bobby Tables"), encoding="utf-8")
    code, out, err = pd_ws.run("plan")
    assert code == 1, out + err
    line = next(i for i, text in enumerate(team.read_text().splitlines(), 1) if "Bobby Tables" in text)
    assert f"team.yaml:{line}:" in err and "MON1001" in err and "Bobby Tables" in err, err


def test_an_unowned_same_named_service_is_refused_and_left_alone(pd_ws: PdWorkspace) -> None:
    """A hand-made `monaco-checkout` (no marker): MON410 names it; plan and apply change nothing of it."""
    user = pd_ws.fake.store.listed("users")[0]["id"]
    policy = pd_ws.fake.add_policy("Hand made", user)
    pd_ws.fake.add_unowned_service("monaco-checkout", policy["id"])
    before = pd_ws.fake.snapshot()
    code, _, err = pd_ws.run("plan")
    assert code == 1 and "MON410" in err and "service.monaco-checkout" in err, err
    assert pd_ws.run("apply", "--auto-approve")[0] == 1
    assert pd_ws.fake.snapshot() == before


def test_a_hand_edit_is_planned_back_and_per_team_merges_services(pd_ws: PdWorkspace) -> None:
    """Someone lowers num_loops by hand: the plan updates it; per_team then makes one service for the team."""
    assert pd_ws.run("apply", "--auto-approve")[0] == 0
    [policy] = pd_ws.fake.store.listed("escalation_policies")
    pd_ws.fake.store.put_escalation_policy({"num_loops": 0}, policy["id"])
    code, out, _ = pd_ws.run("plan", "--detailed-exitcode")
    assert code == 2 and "~ escalation_policy.monaco-payments" in out and "num_loops" in out, out
    assert pd_ws.run("apply", "--auto-approve")[0] == 0
    pd_ws.write("per_team")
    code, out, err = pd_ws.run("apply", "--auto-approve")
    assert code == 0, out + err
    assert [s["name"] for s in _documents(pd_ws, "services")] == ["monaco-payments"]
    assert pd_ws.run("plan", "--detailed-exitcode")[0] == 0


def test_plan_reads_in_a_handful_of_paged_calls_and_rides_out_429(pd_ws: PdWorkspace) -> None:
    """Four 429s during plan: the client retries; the read stays a handful of GETs."""
    assert pd_ws.run("apply", "--auto-approve")[0] == 0
    seen = len(pd_ws.fake.requests)
    pd_ws.fake.throttle(4)
    code, _, err = pd_ws.run("plan", "--detailed-exitcode")
    assert code == 0, err
    assert pd_ws.fake.faults.throttled == 4
    gets = [r for r in pd_ws.fake.requests[seen:] if r.status == 200]
    assert len(gets) <= 10 and all(r.method == "GET" for r in gets)


def test_a_failed_write_stops_later_steps_and_a_rerun_converges(pd_ws: PdWorkspace) -> None:
    """The policy's create fails: no service is attempted; without the fault, apply converges."""
    pd_ws.fake.fail_nth_write(1)
    code, _, err = pd_ws.run("apply", "--auto-approve")
    assert code == 1 and "NOT APPLIED" in err, err
    assert _documents(pd_ws, "services") == [] and _documents(pd_ws, "escalation_policies") == []
    assert pd_ws.run("apply", "--auto-approve")[0] == 0
    assert pd_ws.run("plan", "--detailed-exitcode")[0] == 0


def test_the_severity_table_maps_pages_to_high_urgency_severities() -> None:
    """Default severities: critical pages (critical), the rest are warning then info; a second page is error."""
    assert event_severities(DEFAULT_SEVERITIES) == {
        "critical": "critical",
        "high": "warning",
        "medium": "info",
        "low": "info",
    }
    two_pages = (SeverityLevel(name="p1", page=True), SeverityLevel(name="p2", page=True), SeverityLevel(name="t"))
    assert event_severities(two_pages) == {"p1": "critical", "p2": "error", "t": "warning"}


def test_without_oncall_the_default_policy_carries_the_services_or_mon1000_says_none(pd_ws: PdWorkspace) -> None:
    """A team without oncall: MON1000 and no service; with default_escalation_policy, services under it (MON1003
    while PagerDuty lacks that policy)."""
    (pd_ws.root / "specs" / "team.yaml").write_text(
        "apiVersion: monaco/v1\nkind: Team\nmetadata: {name: payments}\n", encoding="utf-8"
    )
    code, out, err = pd_ws.run("plan", "--detailed-exitcode")
    assert code == 0 and "MON1000" in err and "service.monaco-checkout" not in out, out + err
    pd_ws.write(default_escalation_policy="Ops default")
    (pd_ws.root / "specs" / "team.yaml").write_text(
        "apiVersion: monaco/v1\nkind: Team\nmetadata: {name: payments}\n", encoding="utf-8"
    )
    code, _, err = pd_ws.run("plan")
    assert code == 1 and "MON1003" in err and "Ops default" in err, err
    user = pd_ws.fake.store.listed("users")[0]["id"]
    pd_ws.fake.add_policy("Ops default", user)
    code, out, err = pd_ws.run("apply", "--auto-approve")
    assert code == 0, out + err
    services = _documents(pd_ws, "services")
    assert {str(s["name"]) for s in services} == {"monaco-basket", "monaco-checkout"}
    assert {s["escalation_policy"]["summary"] for s in services} == {"Ops default"}  # type: ignore[index]
    assert pd_ws.run("plan", "--detailed-exitcode")[0] == 0
