"""Quiet hours on Grafana: Settings intervals as mute timings, named by the policy subtree, applied in order.

The workspace's critical route mutes during `december-freeze`, its high/medium route is active only during
`business-hours`; `nights` is defined but no route uses it. The fake refuses what Grafana refuses (a tree
naming a timing that does not exist, deleting a timing the tree names), so convergence checks the order.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from monaco.backends.grafana_alerting.backend import GrafanaAlertingBackend
from monaco.engine import load, plan
from monaco.plan.model import Action
from tests.fakes.grafana_provisioning.out_of_band import add_mute_timing
from tests.grafana_alerting.workspace import TARGET, GrafanaWorkspace

FREEZE = f"monaco-{TARGET}.december-freeze"
HOURS = f"monaco-{TARGET}.business-hours"
SETTINGS = {
    "apiVersion": "monaco/v1",
    "kind": "Settings",
    "time_intervals": [
        {
            "name": "business-hours",
            "intervals": [
                {
                    "times": [{"start_time": "09:00", "end_time": "17:00"}],
                    "weekdays": ["Monday:Friday"],
                    "location": "Europe/Berlin",
                }
            ],
        },
        {
            "name": "december-freeze",
            "intervals": [
                {"days_of_month": ["20:31"], "months": ["december"], "years": ["2026:2027"]},
                {"days_of_month": [1, "-1"], "months": ["january:february"]},
            ],
        },
        {"name": "nights", "intervals": [{"times": [{"start_time": "00:00", "end_time": "06:00"}]}]},
    ],
}
USER_TIMING = {"name": "business-hours", "time_intervals": [{"weekdays": ["saturday", "sunday"]}]}
OTHER_TARGET = {"name": "monaco-prod.business-hours", "time_intervals": [{"weekdays": ["monday"]}]}


def with_quiet_hours(ws: GrafanaWorkspace) -> None:
    """Settings with three intervals; checkout's critical route muted during one, high/medium active in another."""
    (ws.specs / "settings.yaml").write_text(json.dumps(SETTINGS, indent=2) + "\n", encoding="utf-8")
    ws.edit(
        "checkout.yaml", "    repeat_interval: 1h\n", "    repeat_interval: 1h\n    mute_during: [december-freeze]\n"
    )
    ws.edit(
        "checkout.yaml",
        "    group_by: [alertname, service]\n",
        "    group_by: [alertname, service]\n    active_during: [business-hours]\n",
    )


@pytest.fixture
def quiet(ws: GrafanaWorkspace) -> GrafanaWorkspace:
    """The fake-backed workspace with quiet hours."""
    with_quiet_hours(ws)
    return ws


def _compiled(ws: GrafanaWorkspace, kind: str) -> dict[str, Any]:
    out = ws.root / "out"
    done = ws.run("compile", "--out", str(out))
    assert done.code == 0, done.output
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / TARGET / kind).glob("*.json"))}


def _writes(ws: GrafanaWorkspace) -> list[str]:
    assert ws.fake is not None
    return [f"{c.method} {c.path.split('?')[0]}" for c in ws.fake.call_log() if c.method != "GET"]


def test_each_used_interval_renders_one_mute_timing_in_grafanas_spelling(quiet: GrafanaWorkspace) -> None:
    """Exact bodies: months as numbers, weekdays as lowercase names; the unused `nights` is not rendered."""
    timings = _compiled(quiet, "mute_timing")
    assert timings == {
        HOURS: {
            "name": HOURS,
            "time_intervals": [
                {
                    "times": [{"start_time": "09:00", "end_time": "17:00"}],
                    "weekdays": ["monday:friday"],
                    "location": "Europe/Berlin",
                }
            ],
        },
        FREEZE: {
            "name": FREEZE,
            "time_intervals": [
                {"days_of_month": ["20:31"], "months": ["12"], "years": ["2026:2027"]},
                {"days_of_month": ["1", "-1"], "months": ["1:2"]},
            ],
        },
    }
    assert quiet.fake is not None
    for body in timings.values():
        encoded = add_mute_timing(quiet.fake, body)
        assert {k: encoded[k] for k in ("name", "time_intervals")} == body, "Grafana would answer another spelling"


def test_the_subtree_names_the_targets_timings(quiet: GrafanaWorkspace) -> None:
    """`mute_time_intervals` / `active_time_intervals` on the branches, a shape grafana-foundation-sdk models.

    (Its `MuteTiming` is not a wire check: it models ranges as Go structs and times as a dashboard range, so
    the timings' bodies are checked against the fake's Grafana decoding instead.)"""
    from grafana_foundation_sdk.models import alerting

    (tree,) = _compiled(quiet, "policy").values()
    branches = tree["routes"][0]["routes"]
    assert [(b["receiver"], b.get("mute_time_intervals"), b.get("active_time_intervals")) for b in branches] == [
        ("monaco-payments-pager", [FREEZE], None),
        ("monaco-payments-slack", [FREEZE], None),
        ("monaco-payments-hook", None, [HOURS]),
    ]
    policy = alerting.NotificationPolicy.from_json(tree)
    assert json.loads(json.dumps(policy.to_json(), default=lambda o: o.to_json())) == tree


def test_plan_shows_the_timings_and_apply_writes_them_before_the_tree(quiet: GrafanaWorkspace) -> None:
    assert quiet.fake is not None
    planned = quiet.run("plan")
    assert f"+ mute_timing.{HOURS}" in planned.output and f"+ mute_timing.{FREEZE}" in planned.output
    assert "nights" not in planned.output
    quiet.converge()
    stored = quiet.fake.state.mute_timings
    assert sorted(stored) == [HOURS, FREEZE] and {t["provenance"] for t in stored.values()} == {"api"}
    writes = _writes(quiet)
    tree_put = writes.index("PUT /api/v1/provisioning/policies")
    assert writes[:tree_put].count("POST /api/v1/provisioning/mute-timings") == 2
    subtree = quiet.fake.state.policies["routes"][0]
    assert subtree["routes"][0]["routes"][2]["active_time_intervals"] == [HOURS]


def test_a_changed_interval_updates_its_timing_in_place(quiet: GrafanaWorkspace) -> None:
    assert quiet.fake is not None
    quiet.converge()
    settings = quiet.specs / "settings.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace('"17:00"', '"18:00"'), encoding="utf-8")
    planned = quiet.run("plan", "--detailed-exitcode")
    assert planned.code == 2 and f"~ mute_timing.{HOURS}" in planned.output
    assert "17:00 -> 18:00" in planned.output.replace('"', "")
    quiet.converge()
    assert quiet.fake.state.mute_timings[HOURS]["time_intervals"][0]["times"][0]["end_time"] == "18:00"
    assert f"PUT /api/v1/provisioning/mute-timings/{HOURS}" in _writes(quiet)


def test_an_interval_no_route_uses_any_more_is_deleted_after_the_tree(quiet: GrafanaWorkspace) -> None:
    """The tree stops naming it first: Grafana (and the fake) refuse deleting a timing a policy names."""
    assert quiet.fake is not None
    quiet.converge()
    quiet.fake.clear_calls()
    quiet.edit("checkout.yaml", "    mute_during: [december-freeze]\n", "")
    quiet.converge()
    assert sorted(quiet.fake.state.mute_timings) == [HOURS]
    assert _writes(quiet) == [
        "PUT /api/v1/provisioning/policies",
        f"DELETE /api/v1/provisioning/mute-timings/{FREEZE}",
    ]


def test_deleting_a_timing_the_tree_still_names_is_refused_and_reported(quiet: GrafanaWorkspace) -> None:
    """The order matters: the timing's delete alone (tree unchanged) fails with Grafana's 409, nothing lost."""
    assert quiet.fake is not None
    quiet.converge()
    quiet.edit("checkout.yaml", "    mute_during: [december-freeze]\n", "")
    session = load([quiet.specs], [quiet.targets])
    (target,) = session.targets
    (planned,) = plan(session, [target]).targets
    deletes = [c for c in planned.changes if c.action is Action.DELETE and c.resource.kind == "mute_timing"]
    assert [c.resource.name for c in deletes] == [FREEZE] and len(planned.changes) == 2
    report = GrafanaAlertingBackend().apply(target, deletes, secrets=session.secret_value)
    (result,) = report.results
    assert not result.ok and "409" in result.message and "used by notification policies" in result.message
    assert FREEZE in quiet.fake.state.mute_timings


def test_the_users_own_timings_are_never_read_changed_or_deleted(quiet: GrafanaWorkspace) -> None:
    """A timing named like an interval, another target's timing and a route naming the user's one survive."""
    assert quiet.fake is not None
    add_mute_timing(quiet.fake, USER_TIMING)
    add_mute_timing(quiet.fake, OTHER_TARGET, "api")
    quiet.fake.state.policies["routes"] = [
        {"receiver": "grafana-default-email", "mute_time_intervals": ["business-hours"]}
    ]
    before = {k: v for k, v in quiet.fake.snapshot().items() if k.startswith("mute-timing/")}
    planned = quiet.run("plan")
    assert "mute_timing.business-hours" not in planned.output and "monaco-prod" not in planned.output
    quiet.converge()
    (Path(quiet.specs) / "settings.yaml").unlink()
    quiet.edit("checkout.yaml", "    mute_during: [december-freeze]\n", "")
    quiet.edit("checkout.yaml", "    active_during: [business-hours]\n", "")
    quiet.converge()
    after = {k: v for k, v in quiet.fake.snapshot().items() if k.startswith("mute-timing/")}
    assert after == before
    assert quiet.fake.state.policies["routes"][1] == {
        "receiver": "grafana-default-email",
        "mute_time_intervals": ["business-hours"],
    }


def test_a_failed_timing_write_leaves_the_tree_alone_and_a_rerun_converges(quiet: GrafanaWorkspace) -> None:
    assert quiet.fake is not None
    writes_before_timings = 5  # four contact points and the folder come first
    quiet.fake.fail_nth_write(writes_before_timings + 1, status=500)
    applied = quiet.run("apply", "--auto-approve")
    assert applied.code != 0 and f"failed  + mute_timing.{HOURS} failed: HTTP 500" in applied.output
    assert "failed  + policy.subtree not applied: an earlier step failed" in applied.output
    assert "routes" not in quiet.fake.state.policies
    quiet.converge()


def test_disable_provenance_leaves_the_timings_editable(quiet: GrafanaWorkspace) -> None:
    assert quiet.fake is not None
    quiet.write(disable_provenance=True)
    quiet.converge()
    assert {t["provenance"] for t in quiet.fake.state.mute_timings.values()} == {""}


def test_two_targets_in_one_grafana_each_get_their_own_timings(quiet: GrafanaWorkspace) -> None:
    """Another target's timing of the same interval is another name, so neither plan sees the other's."""
    assert quiet.fake is not None
    quiet.converge()
    add_mute_timing(quiet.fake, {**OTHER_TARGET, "name": "monaco-prod.december-freeze"}, "api")
    planned = quiet.run("plan", "--detailed-exitcode")
    assert planned.code == 0, planned.output


@pytest.mark.parametrize(
    ("prefix", "name", "owned"),
    [
        ("monaco-", f"monaco-{TARGET}.nights", True),
        ("monaco-", f"monaco-{TARGET}.", False),
        ("monaco-", f"monaco-{TARGET}-x.nights", False),
        ("monaco-", "monaco-prod.nights", False),
        ("monaco-", "nights", False),
        ("m.", f"m.{TARGET}.nights", True),
        ("m.", f"m.{TARGET}.other.nights", False),  # target `other` of a target whose prefix is `m.grafana-test.`
    ],
)
def test_a_timing_is_the_targets_only_by_its_exact_namespace(prefix: str, name: str, owned: bool) -> None:
    from monaco.backends.grafana_alerting.config import GrafanaAlertingConfig
    from monaco.backends.grafana_alerting.mute_timings import owns_mute_timing

    config = GrafanaAlertingConfig(url="http://127.0.0.1:9", datasource_uid="p", contact_point_prefix=prefix)
    assert owns_mute_timing(config, TARGET, name) is owned
