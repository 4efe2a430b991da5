"""One end-to-end pass through `monaco.engine`: YAML specs and an aws_cloudwatch target, on moto."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from monaco import engine
from monaco.diagnostics import Level
from tests.aws.conftest import ACCOUNT, REGION, Aws

SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: checkout, team: payments}
slos:
  - name: availability
    objective: 99.9
    sli:
      ratio:
        bad:
          prometheus: sum(rate(http_requests_total{code=~"5.."}[{{window}}]))
          cloudwatch: {namespace: AWS/ApplicationELB, metric: HTTPCode_Target_5XX_Count, stat: Sum,
                       dimensions: {LoadBalancer: app/checkout/abc}}
        total:
          prometheus: sum(rate(http_requests_total[{{window}}]))
          cloudwatch: {namespace: AWS/ApplicationELB, metric: RequestCount, stat: Sum,
                       dimensions: {LoadBalancer: app/checkout/abc}}
alerts:
  - name: HighCPU
    severity: high
    for: 10m
    when: {above: 90}
    source:
      prometheus: avg(rate(process_cpu_seconds_total[5m]))
      cloudwatch: {namespace: AWS/EC2, metric: CPUUtilization, period: 5m,
                   dimensions: {AutoScalingGroupName: checkout}}
    summary: CPU above 90%
  - name: PromOnly
    severity: high
    when: {above: 1}
    source: {prometheus: up}
    summary: only on Prometheus
routes:
  - match: {severity: critical}
    to: [payments-pager]
  - match: {severity: [high, medium]}
    to: [payments-mail]
receivers:
  - name: payments-pager
    pagerduty: {routing_key: {env: MONACO_TEST_PD_KEY}}
  - name: payments-mail
    email: {to: [oncall@example.com]}
"""

TARGET = """\
apiVersion: monaco/v1
kind: Target
metadata: {name: aws-test}
backend: aws_cloudwatch
config:
  region: {region}
  account_id: "{account}"
  endpoint_url: {endpoint}
  backoff_seconds: 0
  lock_settle_seconds: 0.1
"""


def _session(aws: Aws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> engine.Session:
    monkeypatch.setenv("MONACO_TEST_PD_KEY", "pd-key-for-tests")
    (tmp_path / "specs").mkdir()
    (tmp_path / "targets").mkdir()
    (tmp_path / "specs" / "checkout.yaml").write_text(SERVICE, encoding="utf-8")
    target_text = TARGET.replace("{region}", REGION).replace("{account}", ACCOUNT).replace("{endpoint}", aws.endpoint)
    (tmp_path / "targets" / "aws.yaml").write_text(target_text, encoding="utf-8")
    return engine.load([tmp_path / "specs"], [tmp_path / "targets"])


def test_engine_plan_apply_plan_is_empty(aws: Aws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = _session(aws, tmp_path, monkeypatch)
    assert not [d for d in session.diagnostics if d.level is Level.ERROR], session.diagnostics.items
    targets = engine.choose_targets(session, ["aws-test"])
    plan = engine.plan(session, targets)
    assert plan.totals()[0] > 0
    missing = [d for d in session.diagnostics if d.code == "MON701"]
    assert missing and "PromOnly" in missing[0].message and missing[0].span is not None
    assert missing[0].span.file.endswith("checkout.yaml")

    reports = engine.apply(session, plan)
    assert reports["aws-test"].ok, reports["aws-test"]
    assert "monaco/checkout/HighCPU" in aws.alarms()
    again = engine.plan(session, targets)
    assert not again.has_changes


def test_engine_apply_waits_for_the_lock_and_refuses_a_plan_gone_stale(
    aws: Aws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = _session(aws, tmp_path, monkeypatch)
    targets = engine.choose_targets(session, ["aws-test"])
    plan = engine.plan(session, targets)
    now = f"{time.time():.3f}"
    holder = {"monaco:lock-token": "a" * 32, "monaco:lock-user": "alice", "monaco:lock-host": "ci-7"}
    holder.update({"monaco:lock-pid": "77", "monaco:lock-since": now, "monaco:lock-renewed": now})
    sns = aws.client("sns")
    sns.create_topic(Name="monaco-apply_lock", Tags=[{"Key": k, "Value": v} for k, v in holder.items()])
    report = engine.apply(session, plan, lock_timeout=0.5)["aws-test"]
    assert not report.ok and "locked by alice@ci-7 (pid 77" in report.errors[0]
    assert aws.alarms() == {}

    sns.delete_topic(TopicArn=f"arn:aws:sns:{REGION}:{ACCOUNT}:monaco-apply_lock")
    hand_made = {"MetricName": "Hand", "Namespace": "Made", "Statistic": "Sum", "Period": 60, "Threshold": 7}
    aws.client("cloudwatch").put_metric_alarm(
        AlarmName="monaco/checkout/HighCPU", EvaluationPeriods=1, ComparisonOperator="GreaterThanThreshold", **hand_made
    )
    stale = engine.apply(session, plan)["aws-test"]  # re-read under the lock: the plan no longer holds
    assert not stale.ok and "changed since the plan was made" in stale.errors[0]
    assert "monaco/checkout/HighCPU" in stale.errors[0] and list(aws.alarms()) == ["monaco/checkout/HighCPU"]
    assert sns.list_topics()["Topics"] == []  # the lock was released
