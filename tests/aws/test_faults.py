"""Fault injection through botocore event hooks: throttling, and a failure in the middle of an apply.

A `before-call` hook that returns a response short-circuits the HTTP request, so the client raises
exactly the error AWS would send; the backend cannot tell it from a real one.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

from tests.aws import builders as b
from tests.aws.conftest import Aws


def _error(code: str, status: int = 400) -> tuple[Any, dict[str, Any]]:
    http = SimpleNamespace(status_code=status, headers={})
    return http, {
        "Error": {"Code": code, "Message": f"injected {code}"},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }


class FailNth:
    """Fails calls number `fail_on` (1-based, counted across threads) of one operation with `code`."""

    def __init__(self, fail_on: set[int], code: str, status: int = 400) -> None:
        self.fail_on, self.code, self.status = fail_on, code, status
        self.seen = 0
        self.lock = threading.Lock()

    def __call__(self, **kwargs: Any) -> tuple[Any, dict[str, Any]] | None:
        with self.lock:
            self.seen += 1
            fail = self.seen in self.fail_on
        return _error(self.code, self.status) if fail else None


def _state(aws: Aws) -> dict[str, tuple[Any, dict[str, str]]]:
    return {name: (alarm.get("Threshold"), aws.tags(name)) for name, alarm in aws.alarms().items()}


def test_throttling_is_retried_with_backoff(aws: Aws) -> None:
    hook = FailNth({1, 2, 4, 7}, "Throttling")
    aws.hooks.append(("before-call.cloudwatch.PutMetricAlarm", hook))
    svc = b.service(alerts=tuple(b.alert(f"Cpu{i}", line=100 + i) for i in range(6)))
    model, target = b.model(svc), b.target(aws.config(), svc)
    aws.converge(model, target)
    clients = aws.clients_made[-1]
    assert clients.retries == 4 and clients.calls["PutMetricAlarm"] == 10
    assert aws.plan(model, target)[0].changes == []


def test_throttling_beyond_max_attempts_is_reported_not_raised(aws: Aws) -> None:
    aws.hooks.append(("before-call.cloudwatch.PutMetricAlarm", FailNth(set(range(1, 100)), "Throttling")))
    svc = b.service(alerts=(b.alert("HighCPU"),))
    model, target = b.model(svc), b.target(aws.config(max_attempts=3), svc)
    plan, _ = aws.plan(model, target)
    report = aws.apply(plan, target)
    failed = next(r for r in report.results if r.key == "alarm.monaco/checkout/HighCPU")
    assert not failed.ok and "Throttling" in failed.message
    assert aws.clients_made[-1].calls["PutMetricAlarm"] == 3
    assert all(r.ok for r in report.results if r.key.startswith("sns_topic."))  # topics came first and stay applied


def _put_unowned_alarms(aws: Aws) -> tuple[str, str]:
    """An alarm in the prefix without monaco's marker, and one with the marker outside the prefix."""
    cw = aws.client("cloudwatch")
    unowned = ("monaco/checkout/Manual", "someone-else/alarm")
    for name, tags in zip(unowned, ([], [{"Key": "managed-by", "Value": "monaco"}]), strict=True):
        cw.put_metric_alarm(
            AlarmName=name,
            MetricName="m",
            Namespace="n",
            Statistic="Sum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=3,
            ComparisonOperator="GreaterThanThreshold",
            Tags=tags,
        )
    return unowned


def test_failure_mid_apply_loses_nothing_owned_touches_nothing_unowned_and_rerun_converges(aws: Aws) -> None:
    """The 4th put fails: what ran stays, deletes after it do not run, nothing unowned is touched; a rerun converges."""
    unowned = _put_unowned_alarms(aws)
    before = b.service(alerts=tuple(b.alert(f"Old{i}", line=100 + i) for i in range(5)), slos=(b.ratio_slo(),))
    aws.converge(b.model(before), b.target(aws.config(), before))
    unowned_before = {k: v for k, v in _state(aws).items() if k in unowned}

    # New desired state: updates (thresholds), creates (New*), deletes (Old3, Old4 and the SLO).
    after = b.service(
        alerts=(
            *(b.alert(f"Old{i}", threshold=0.5, line=100 + i) for i in range(3)),
            *(b.alert(f"New{i}", line=200 + i) for i in range(4)),
        )
    )
    model, target = b.model(after), b.target(aws.config(max_concurrency=1), after)
    plan, _ = aws.plan(model, target)
    aws.hooks.append(("before-call.cloudwatch.PutMetricAlarm", FailNth({4}, "AccessDenied")))
    report = aws.apply(plan, target)
    assert not report.ok
    by_key = {r.key: r for r in report.results}
    failed = [r for r in report.results if r.message.startswith("failed")]
    assert len(failed) == 1 and "AccessDenied" in failed[0].message
    applied = [r.key for r in report.results if r.ok]
    assert len(applied) == 6  # 3 updates + 4 creates = 7 puts, the 4th failed; the topics had no change
    for _key, result in by_key.items():
        if result.action == "delete":
            assert not result.ok and result.message == "not applied: an earlier step failed"
    live = aws.alarms()
    assert {f"monaco/checkout/Old{i}" for i in range(5)} <= set(live)  # nothing owned was lost
    assert {k: v for k, v in _state(aws).items() if k in unowned_before} == unowned_before  # nothing unowned touched

    aws.hooks.clear()
    aws.converge(model, target)  # a fresh plan picks up exactly what was left
    assert aws.plan(model, target)[0].changes == []
    assert {k: v for k, v in _state(aws).items() if k in unowned_before} == unowned_before
    assert set(aws.alarms()) == {
        *(f"monaco/checkout/Old{i}" for i in range(3)),
        *(f"monaco/checkout/New{i}" for i in range(4)),
        *unowned_before,
    }


def test_failed_delete_batch_reports_each_alarm(aws: Aws) -> None:
    svc = b.service(alerts=tuple(b.alert(f"Cpu{i}", line=100 + i) for i in range(3)))
    aws.converge(b.model(svc), b.target(aws.config(), svc))
    empty = b.service(service_routes=())
    plan, _ = aws.plan(b.model(empty), b.target(aws.config(), empty))
    aws.hooks.append(("before-call.cloudwatch.DeleteAlarms", FailNth({1}, "InvalidParameterValue")))
    report = aws.apply(plan, b.target(aws.config(), empty))
    alarm_results = [r for r in report.results if r.key.startswith("alarm.")]
    assert len(alarm_results) == 3 and all(not r.ok and "InvalidParameterValue" in r.message for r in alarm_results)
    topic_results = [r for r in report.results if r.key.startswith("sns_topic.")]
    assert topic_results and all(r.message == "not applied: an earlier step failed" for r in topic_results)
    assert len(aws.alarms()) == 3
    aws.hooks.clear()
    aws.converge(b.model(empty), b.target(aws.config(), empty))
    assert aws.alarms() == {}


def test_a_cancel_after_the_first_step_stops_the_rest_and_a_rerun_converges(aws: Aws) -> None:
    """Topics go first; cancelled then, no alarm is written, each says cancelled, and the next apply converges."""
    svc = b.service(alerts=(b.alert("HighCPU"),), slos=(b.ratio_slo(),))
    model, target = b.model(svc), b.target(aws.config(), svc)
    plan, _ = aws.plan(model, target)
    cancel = threading.Event()
    report = aws.backend().apply(target, plan.changes, b.resolve, lambda line: cancel.set(), cancel)
    applied = {r.key for r in report.results if r.ok}
    assert applied and all(key.startswith("sns_topic.") for key in applied)
    cancelled = [r for r in report.results if not r.ok]
    assert cancelled and all(r.message == "not applied: cancelled" for r in cancelled)
    assert not aws.alarms()
    aws.converge(model, target)
    assert aws.plan(model, target)[0].changes == []
