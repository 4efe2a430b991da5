"""A saved plan whose SNS subscriptions carry secrets applies when the secrets are unchanged, and only then."""

from __future__ import annotations

from pathlib import Path

import pytest

from monaco.cli.main import main
from tests.aws.conftest import ACCOUNT, REGION, Aws
from tests.aws.test_engine import TARGET

SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: checkout, team: payments}
alerts:
  - name: HighCPU
    severity: critical
    when: {above: 90}
    source:
      cloudwatch: {namespace: AWS/EC2, metric: CPUUtilization, period: 5m,
                   dimensions: {AutoScalingGroupName: checkout}}
    summary: CPU above 90%
routes:
  - match: {severity: critical}
    to: [payments-pager, payments-hook]
receivers:
  - name: payments-pager
    pagerduty: {routing_key: {env: SAVED_PLAN_PD_KEY}}
  - name: payments-hook
    webhook: {url: {env: SAVED_PLAN_HOOK_URL}}
"""


def _workspace(aws: Aws, root: Path) -> list[str]:
    """specs/ and targets/ under `root`; the CLI's workspace arguments."""
    (root / "specs").mkdir()
    (root / "targets").mkdir()
    (root / "specs" / "checkout.yaml").write_text(SERVICE, encoding="utf-8")
    target = TARGET.replace("{region}", REGION).replace("{account}", ACCOUNT).replace("{endpoint}", aws.endpoint)
    (root / "targets" / "aws.yaml").write_text(target, encoding="utf-8")
    return ["--specs", str(root / "specs"), "--targets", str(root / "targets")]


def test_a_saved_plan_with_sns_secrets_applies_and_a_changed_secret_is_refused(
    aws: Aws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The plan holds `secret:<fingerprint>` endpoints: the same secrets apply, a rotated one is refused."""
    monkeypatch.setenv("SAVED_PLAN_PD_KEY", "pd0000000000000000000000000000saved")
    monkeypatch.setenv("SAVED_PLAN_HOOK_URL", "https://hooks.example.com/saved/one")
    where = _workspace(aws, tmp_path)
    plan_file = tmp_path / "plan.json"
    assert main(["plan", *where, "--out", str(plan_file)]) == 0

    monkeypatch.setenv("SAVED_PLAN_HOOK_URL", "https://hooks.example.com/saved/two")
    capsys.readouterr()
    assert main(["apply", *where, str(plan_file)]) == 1
    err = capsys.readouterr().err
    assert "secret env:SAVED_PLAN_HOOK_URL used by" in err and "changed since the plan was made" in err
    assert "SAVED_PLAN_PD_KEY" not in err and "saved/two" not in err
    assert aws.alarms() == {}

    monkeypatch.setenv("SAVED_PLAN_HOOK_URL", "https://hooks.example.com/saved/one")
    assert main(["apply", *where, str(plan_file)]) == 0, capsys.readouterr().err
    assert "monaco/checkout/HighCPU" in aws.alarms()
    endpoints = {
        s["Endpoint"]
        for topic in aws.client("sns").list_topics()["Topics"]
        for s in aws.client("sns").list_subscriptions_by_topic(TopicArn=topic["TopicArn"])["Subscriptions"]
    }
    assert "https://hooks.example.com/saved/one" in endpoints
    assert main(["plan", *where, "--detailed-exitcode"]) == 0
