"""Faults through the real clients: throttling retried, lost replies without duplicates, a failure mid-apply."""

from __future__ import annotations

import grpc
from google.cloud import monitoring_v3

from tests.fakes.gcp_monitoring import GcpFake
from tests.gcp_monitoring.test_apply import POLICIES
from tests.gcp_monitoring.workspace import PARENT, GcpWorkspace


def _fake(ws: GcpWorkspace) -> GcpFake:
    assert ws.fake is not None
    return ws.fake


def _count(fake: GcpFake) -> tuple[int, int]:
    policies = list(fake.clients.alert_policies.list_alert_policies(name=PARENT, retry=None))
    channels = list(fake.clients.channels.list_notification_channels(name=PARENT, retry=None))
    return len(policies), len(channels)


def test_throttling_and_unavailability_are_retried_with_backoff(ws: GcpWorkspace) -> None:
    """RESOURCE_EXHAUSTED on a create and UNAVAILABLE on a list are retried; the apply succeeds."""
    fake = _fake(ws)
    fake.server.fail_nth_call("CreateAlertPolicy", 1, grpc.StatusCode.RESOURCE_EXHAUSTED)
    fake.server.fail_nth_call("CreateAlertPolicy", 3, grpc.StatusCode.RESOURCE_EXHAUSTED)
    fake.server.fail_nth_call("ListAlertPolicies", 1, grpc.StatusCode.UNAVAILABLE)
    ws.converge()
    assert fake.server.pending_faults() == 0
    assert fake.server.call_count("CreateAlertPolicy") == POLICIES + 2
    assert _count(fake) == (POLICIES, 4)


def test_a_create_whose_reply_is_lost_is_found_by_its_monaco_id_not_made_twice(ws: GcpWorkspace) -> None:
    """The server made the channel, policy and service, the client saw UNAVAILABLE: no duplicates, plan empty."""
    fake = _fake(ws)
    for method in ("CreateNotificationChannel", "CreateAlertPolicy", "CreateService", "CreateServiceLevelObjective"):
        fake.server.fail_nth_call(method, 1, grpc.StatusCode.UNAVAILABLE, after_apply=True)
    ws.converge()
    assert fake.server.pending_faults() == 0
    assert _count(fake) == (POLICIES, 4)
    services = list(fake.clients.services.list_services(parent=PARENT, retry=None))
    assert len(services) == 1


def test_throttling_that_never_ends_is_reported_after_bounded_attempts(ws: GcpWorkspace) -> None:
    """Three attempts, three RESOURCE_EXHAUSTED: that change fails, later steps are not started, exit 1."""
    ws.write(max_attempts=3)
    fake = _fake(ws)
    for attempt in (1, 2, 3):
        fake.server.fail_nth_call("CreateServiceLevelObjective", attempt, grpc.StatusCode.RESOURCE_EXHAUSTED)
    failed = ws.run("apply", "--auto-approve")
    assert failed.code == 1, failed.output
    assert fake.server.call_count("CreateServiceLevelObjective") == 3 + 1  # then the other SLO of the step
    assert "slo.checkout/availability: create NOT APPLIED (failed: ResourceExhausted" in failed.output, failed.output
    assert "alert_policy.checkout--availability--page--1: create NOT APPLIED (not applied: an earlier step" in (
        failed.output
    )
    assert fake.server.call_count("CreateAlertPolicy") == 0
    ws.converge()


def test_a_failure_in_the_middle_of_apply_is_reported_change_by_change_and_a_rerun_converges(
    ws: GcpWorkspace,
) -> None:
    """The third policy create fails (INTERNAL): the others of that step are applied, deletes never start."""
    fake = _fake(ws)
    fake.server.fail_nth_call("CreateAlertPolicy", 3, grpc.StatusCode.INTERNAL)
    failed = ws.run("apply", "--auto-approve")
    assert failed.code == 1, failed.output
    lines = [line.strip() for line in failed.output.splitlines() if line.startswith("  gcp-test: ")]
    assert len(lines) == POLICIES + 4 + 1 + 2
    not_applied = [line for line in lines if "NOT APPLIED" in line]
    assert len(not_applied) == 1 and "Internal" in not_applied[0], failed.output
    assert _count(fake) == (POLICIES - 1, 4)
    ws.converge()
    assert _count(fake) == (POLICIES, 4)


def test_an_unreachable_api_is_mon810_naming_the_target(ws: GcpWorkspace) -> None:
    """With the server stopped, plan reports MON810 after bounded retries, and no traceback."""
    ws.write(max_attempts=2, timeout_seconds=5)
    _fake(ws).server.stop()
    planned = ws.run("plan")
    assert planned.code == 1 and "MON810" in planned.err and "gcp-test" in planned.err, planned.output


def test_a_delete_refused_by_the_api_is_reported_and_later_steps_wait(ws: GcpWorkspace) -> None:
    """A channel another tool's policy still uses cannot be deleted (FAILED_PRECONDITION): reported, not raised."""
    ws.converge()
    fake = _fake(ws)
    hook = next(
        c for c in fake.clients.channels.list_notification_channels(name=PARENT) if c.type_ == "webhook_tokenauth"
    )
    policy = monitoring_v3.AlertPolicy(
        display_name="someone else's",
        combiner=monitoring_v3.AlertPolicy.ConditionCombinerType.OR,
        conditions=[
            monitoring_v3.AlertPolicy.Condition(
                display_name="c",
                condition_threshold=monitoring_v3.AlertPolicy.Condition.MetricThreshold(
                    filter='metric.type="x" AND resource.type="y"', threshold_value=1
                ),
            )
        ],
        notification_channels=[hook.name],
    )
    fake.server.add_policy("monaco-test", policy)
    ws.edit("checkout.yaml", "    to: [payments-hook]\n", "    to: [payments-mail]\n")
    failed = ws.run("apply", "--auto-approve")
    assert failed.code == 1 and "notification_channel.payments-hook: delete NOT APPLIED" in failed.output
    assert "FailedPrecondition" in failed.output, failed.output
