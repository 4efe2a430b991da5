"""Fault injection through the fake: 429 with Retry-After (honoured, bounded), a failing write mid-apply, read errors."""

from __future__ import annotations

import time

from tests.azure_monitor import builders as b
from tests.azure_monitor.conftest import Azure
from tests.azure_monitor.test_apply import _service


def test_throttled_writes_wait_their_retry_after_and_succeed(azure: Azure) -> None:
    """Two 429s with Retry-After: 1 are waited out (about 2 s in all) and the apply succeeds."""
    svc = b.service(alerts=(b.alert("Http5xx"),))
    target = b.target(azure.config(), svc)
    plan, _ = azure.plan(b.model(svc), target)
    azure.fake.throttle(times=2, retry_after=1, method="PUT")
    started = time.monotonic()
    report = azure.apply(plan, target)
    elapsed = time.monotonic() - started
    assert report.ok and azure.fake.faults.throttled == 2
    assert 2.0 <= elapsed < 10.0


def test_retry_after_is_bounded_by_the_config(azure: Azure) -> None:
    """A Retry-After of 60 s is cut to `max_retry_after_seconds` (0.05 here): no apply waits a minute."""
    svc = b.service(alerts=(b.alert("Http5xx"),))
    target = b.target(azure.config(max_retry_after_seconds=0.05), svc)
    plan, _ = azure.plan(b.model(svc), target)
    azure.fake.throttle(times=1, retry_after=60, method="PUT")
    started = time.monotonic()
    assert azure.apply(plan, target).ok
    assert time.monotonic() - started < 5.0 and azure.fake.faults.throttled == 1


def test_throttling_beyond_the_retries_is_reported_per_change(azure: Azure) -> None:
    """More 429s than retries: that change fails with ARM's code, the others still report, a re-run converges."""
    svc = b.service(alerts=(b.alert("Http5xx"),))
    target = b.target(azure.config(max_retries=1, max_retry_after_seconds=0), svc)
    plan, _ = azure.plan(b.model(svc), target)
    azure.fake.throttle(times=2, retry_after=1, method="PUT")
    report = azure.apply(plan, target)
    failed = [r for r in report.results if not r.ok]
    assert failed[0].key.startswith("action_group.") and "TooManyRequests" in failed[0].message
    assert all("not applied" in r.message for r in failed[1:])
    azure.converge(b.model(svc), target)


def test_a_failed_write_stops_later_steps_and_a_rerun_converges(azure: Azure) -> None:
    """The 3rd write fails with 500 (through the SDK's retries): reported; rules after it still run in its step,
    deletes never start; the next plan and apply converge."""
    svc = _service()
    target = b.target(azure.config(), svc)
    plan, _ = azure.plan(b.model(svc), target)
    azure.fake.fail_nth_write(3, status=500)
    report = azure.apply(plan, target)
    outcomes = [(r.key, r.ok) for r in report.results]
    assert [ok for _, ok in outcomes].count(False) == 1
    failed = next(r for r in report.results if not r.ok)
    assert failed.message.startswith("failed: InternalServerError")
    assert all(r.ok for r in report.results if r.key.startswith("action_group."))
    again, _ = azure.plan(b.model(svc), target)
    assert [c.key for c in again.changes] == [failed.key]
    azure.converge(b.model(svc), target)


def test_failed_rule_write_keeps_action_groups_it_may_need(azure: Azure) -> None:
    """A rule delete that fails stops the action-group deletes after it."""
    svc = b.service(alerts=(b.alert("Http5xx"),))
    azure.converge(b.model(svc), b.target(azure.config(), svc))
    empty = b.service()
    plan, _ = azure.plan(b.model(empty), b.target(azure.config(), empty))
    azure.fake.fail_nth_write(1, status=503)
    report = azure.apply(plan, b.target(azure.config(), empty))
    by_key = {r.key: r for r in report.results}
    assert not by_key["metric_alert.monaco-checkout-Http5xx"].ok
    group = next(r for k, r in by_key.items() if k.startswith("action_group."))
    assert not group.ok and "earlier step failed" in group.message
    assert len(azure.fake.snapshot()) == 2


def test_a_failed_read_is_mon910(azure: Azure) -> None:
    """Throttled beyond retries while listing: plan gets MON910 naming the target, not a traceback."""
    svc = b.service(alerts=(b.alert("Http5xx"),))
    target = b.target(azure.config(max_retries=0, max_retry_after_seconds=0), svc)
    azure.fake.throttle(times=1, retry_after=1, method="GET")
    live = azure.backend().read_live(target)
    assert [d.code for d in live.diagnostics] == ["MON910"] and "azure-prod" in live.diagnostics[0].message


def _unreadable(ref: str) -> str:
    """A secret lookup that finds nothing."""
    raise KeyError(f"{ref} is not set")


def test_an_unreadable_secret_fails_its_change_without_its_value(azure: Azure) -> None:
    """A secret that cannot be read at apply fails that action group only, naming no value."""
    svc = b.service(alerts=(b.alert("HighCPU", severity="critical"),))
    target = b.target(azure.config(), svc)
    plan, _ = azure.plan(b.model(svc), target)
    report = azure.backend().apply(target, plan.changes, _unreadable)
    group = next(r for r in report.results if r.key.startswith("action_group."))
    assert not group.ok and "cannot be read" in group.message
