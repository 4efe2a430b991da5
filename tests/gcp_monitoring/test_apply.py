"""plan -> apply -> plan through the real clients against the fake: order, ids kept, ownership, paged reads."""

from __future__ import annotations

import json
import math

from google.cloud import monitoring_v3

from monaco.backends.gcp_monitoring.apply import kept_condition_names
from monaco.backends.gcp_monitoring.config import label_value
from tests.fakes.gcp_monitoring import GcpFake
from tests.gcp_monitoring.workspace import PARENT, PROJECT, SECRETS, GcpWorkspace

HIGH_LATENCY = label_value("checkout--HighLatency")
POLICIES = 13
"""3 threshold alerts, 2 SLOs x (4 burn-rate pairs + a no-data policy)."""


def _policies(fake: GcpFake) -> list[monitoring_v3.AlertPolicy]:
    return list(fake.clients.alert_policies.list_alert_policies(name=PARENT, retry=None))


def _channels(fake: GcpFake) -> list[monitoring_v3.NotificationChannel]:
    return list(fake.clients.channels.list_notification_channels(name=PARENT, retry=None))


def _policy(fake: GcpFake, object_id: str) -> monitoring_v3.AlertPolicy:
    return next(p for p in _policies(fake) if p.user_labels.get("monaco_id") == object_id)


def _is_lock_call(request: object) -> bool:
    """Whether a logged request is the apply lock's (its service id or name says `monaco-lock-`)."""
    return "monaco-lock-" in (getattr(request, "service_id", "") or getattr(request, "name", ""))


def _writes(fake: GcpFake, start: int) -> list[str]:
    """The Create and Delete calls from the `start`th call on, without the apply lock's."""
    calls = fake.server.calls()[start:]
    return [c.method for c in calls if c.method.startswith(("Create", "Delete")) and not _is_lock_call(c.request)]


def test_apply_creates_every_object_and_the_next_plan_is_empty(ws: GcpWorkspace) -> None:
    """13 policies (3 threshold, 8 burn-rate, 2 no-data), 4 channels, a service, 2 SLOs; all wired by real names."""
    assert ws.run("plan", "--detailed-exitcode").code == 2
    ws.converge()
    fake = ws.fake
    assert fake is not None
    policies, channels = _policies(fake), _channels(fake)
    assert len(policies) == POLICIES and len(channels) == 4
    real_channels = {c.name for c in channels}
    assert all(set(p.notification_channels) <= real_channels and p.notification_channels for p in policies)
    slos = list(fake.clients.services.list_service_level_objectives(parent=f"{PARENT}/services/checkout"))
    assert sorted(s.name.rsplit("/", 1)[1] for s in slos) == ["availability", "latency"]
    burn = _policy(fake, "checkout--availability--page--1")
    assert burn.conditions[0].condition_threshold.filter.startswith(f'select_slo_burn_rate("{slos[0].name}"')
    pager = next(c for c in channels if c.type_ == "pagerduty")
    assert fake.server.stored_channel(pager.name).labels["service_key"] == SECRETS["GCP_TEST_PD_KEY"]


def test_channels_go_before_policies_and_policies_are_deleted_before_channels(ws: GcpWorkspace) -> None:
    """Creates: channels, service, SLOs, policies; deletes: policies, SLOs, service, channels."""
    ws.converge()
    fake = ws.fake
    assert fake is not None
    writes = _writes(fake, 0)
    first_policy = writes.index("CreateAlertPolicy")
    assert (
        writes[:first_policy]
        == ["CreateNotificationChannel"] * 4 + ["CreateService"] + ["CreateServiceLevelObjective"] * 2
    )
    start = len(fake.server.calls())
    ws.edit("checkout.yaml", "    to: [payments-hook]\n", "    to: [payments-mail]\n")
    text = (ws.specs / "checkout.yaml").read_text(encoding="utf-8")
    (ws.specs / "checkout.yaml").write_text(text.split("slos:")[0] + "routes:" + text.split("routes:")[1])
    ws.converge()
    deletes = [method for method in _writes(fake, start) if method.startswith("Delete")]
    assert deletes == ["DeleteAlertPolicy"] * 10 + ["DeleteServiceLevelObjective"] * 2 + [
        "DeleteService",
        "DeleteNotificationChannel",
    ]


def test_an_update_keeps_the_policy_id_and_its_condition_names(ws: GcpWorkspace) -> None:
    """A new threshold is an UpdateAlertPolicy of the same policy: same name, same condition name, new value."""
    ws.converge()
    fake = ws.fake
    assert fake is not None
    before = _policy(fake, HIGH_LATENCY)
    ws.edit("checkout.yaml", "when: {above: 800}", "when: {above: 900}")
    planned = ws.run("plan", "--format", "json")
    changes = [c for t in json.loads(planned.out)["targets"] for c in t["changes"]]
    assert [(c["action"], c["key"]) for c in changes] == [("update", f"alert_policy.{HIGH_LATENCY}")]
    ws.converge()
    after = _policy(fake, HIGH_LATENCY)
    assert after.name == before.name
    assert [c.name for c in after.conditions] == [c.name for c in before.conditions]
    assert after.conditions[0].condition_threshold.threshold_value == 900
    assert fake.server.call_count("CreateAlertPolicy") == POLICIES and fake.server.call_count("DeleteAlertPolicy") == 0


def test_an_unowned_policy_with_a_desired_display_name_is_left_alone_and_reported(ws: GcpWorkspace) -> None:
    """MON410 names it; plan and apply exit 1; the fake's state is byte for byte what it was."""
    fake = ws.fake
    assert fake is not None
    fake.server.add_unowned_policy(PROJECT, "checkout/HighLatency")
    before = fake.server.snapshot()
    planned = ws.run("plan")
    assert planned.code == 1 and "MON410" in planned.err and HIGH_LATENCY in planned.err, planned.output
    assert ws.run("apply", "--auto-approve").code == 1
    assert fake.server.snapshot() == before


def test_objects_of_another_tool_or_target_are_never_read_as_this_targets(ws: GcpWorkspace) -> None:
    """A policy and a channel labelled for another monaco target survive this target's converge untouched."""
    fake = ws.fake
    assert fake is not None
    labels = {"managed_by": "monaco", "monaco_target": "staging", "monaco_id": HIGH_LATENCY}
    fake.server.add_unowned_policy(PROJECT, "staging policy", labels)
    fake.server.add_unowned_policy(PROJECT, "hand-made policy")
    ws.converge()
    names = sorted(p.display_name for p in _policies(fake))
    assert "staging policy" in names and "hand-made policy" in names and len(names) == POLICIES + 2


def test_a_plan_reads_a_handful_of_paged_list_calls(ws: GcpWorkspace) -> None:
    """With 2 objects a page: ceil(N/2) list calls per kind, never one call per object."""
    ws.write(page_size=2)
    ws.converge()
    fake = ws.fake
    assert fake is not None
    start = len(fake.server.calls())
    assert ws.run("plan", "--detailed-exitcode").code == 0
    methods = [c.method for c in fake.server.calls()[start:]]
    assert methods.count("ListAlertPolicies") == math.ceil(POLICIES / 2)
    assert methods.count("ListNotificationChannels") == math.ceil(4 / 2)
    assert methods.count("ListServices") == 1 and methods.count("ListServiceLevelObjectives") == 1
    assert set(methods) == {
        "ListAlertPolicies",
        "ListNotificationChannels",
        "ListServices",
        "ListServiceLevelObjectives",
    }


def test_condition_names_follow_display_names_then_positions() -> None:
    """A reordered condition keeps its name by display name; an edited one (new display name) by position; extras
    are new; no live name is given twice."""
    live = [("c/1", "burn rate over 1h above 14.4"), ("c/2", "burn rate over 5m above 14.4")]
    swapped = [{"displayName": "burn rate over 5m above 14.4"}, {"displayName": "burn rate over 1h above 14.4"}]
    assert [c["name"] for c in kept_condition_names(swapped, live)] == ["c/2", "c/1"]
    edited = [{"displayName": "burn rate over 1h above 10"}, {"displayName": "burn rate over 5m above 14.4"}]
    assert [c.get("name") for c in kept_condition_names(edited, live)] == ["c/1", "c/2"]
    grown = [{"displayName": "a"}, {"displayName": "burn rate over 1h above 14.4"}, {"displayName": "b"}]
    assert [c.get("name") for c in kept_condition_names(grown, live)] == [None, "c/1", None]
