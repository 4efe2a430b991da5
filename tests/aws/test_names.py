"""Any alert name Prometheus accepts, and a severity ladder of one name, become distinct valid alarms (issue 7).

Alarm names come from the alert's key (its name, or `name.severity` when the name repeats); the
characters an alarm-name part cannot hold (`/` separates monaco's parts, `"` and `\\` would break a
composite's `ALARM("name")`, control characters are refused by AWS) are replaced, plus a short hash.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from monaco import engine
from monaco.backends.aws_cloudwatch.backend import CloudWatchBackend
from monaco.backends.aws_cloudwatch.config import CloudWatchConfig, alarm_part
from monaco.diagnostics import Level
from tests.aws import builders as b
from tests.aws.conftest import Aws
from tests.aws.test_engine import TARGET

DISK = "HostDiskFull (>90%)"


def test_severity_ladder_of_one_name_renders_two_valid_alarms(aws: Aws) -> None:
    high = b.alert(DISK, severity="high", key=f"{DISK}.high")
    critical = b.alert(DISK, threshold=0.95, severity="critical", line=50, key=f"{DISK}.critical")
    odd = b.alert('Disk/IO "slow"\\now', line=60, key='Disk/IO "slow"\\now')
    svc = b.service(alerts=(high, critical, odd))
    model, target = b.model(svc), b.target(aws.config(), svc)
    rendered = CloudWatchBackend().render(model, target, b.fingerprint)
    alarms = {r.name: r for r in rendered.resources if r.kind == "alarm"}
    odd_name = f"monaco/checkout/{alarm_part(odd.key)}"
    assert set(alarms) == {f"monaco/checkout/{DISK}.high", f"monaco/checkout/{DISK}.critical", odd_name}
    assert odd_name.count("/") == 2 and '"' not in odd_name and "\\" not in odd_name
    assert alarm_part("Disk_IO _slow__now") != alarm_part(odd.key)  # replacing never merges two names
    assert not [d for d in rendered.diagnostics if d.level is Level.ERROR], rendered.diagnostics
    assert (
        alarms[f"monaco/checkout/{DISK}.high"].body["Tags"]["monaco:key"] == "checkout/alert/HostDiskFull __90__.high"
    )

    aws.converge(model, target)
    live = aws.alarms()
    assert live[f"monaco/checkout/{DISK}.critical"]["Threshold"] == 0.95
    assert live[f"monaco/checkout/{DISK}.high"]["Threshold"] == 0.9 and odd_name in live
    assert aws.plan(model, target)[0].changes == []


def test_two_alerts_on_one_alarm_name_are_reported() -> None:
    svc = b.service(alerts=(b.alert("A.high", line=40), b.alert("A", line=50, key="A.high")))
    config = CloudWatchConfig(region="eu-west-1", account_id="123456789012")
    result = CloudWatchBackend().render(b.model(svc), b.target(config, svc), b.fingerprint)
    [clash] = [d for d in result.diagnostics if d.code == "MON715"]
    assert clash.span == b.span(50) and "monaco/checkout/A.high" in clash.message


SPEC = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: nodes, team: infra}
alerts:
  - name: HostDiskFull (>90%)
    severity: high
    when: {above: 90}
    source:
      prometheus: 100 - node_filesystem_avail_bytes / node_filesystem_size_bytes * 100
      cloudwatch: {namespace: CWAgent, metric: disk_used_percent, period: 5m, dimensions: {host: a}}
    summary: disk above 90%
  - name: HostDiskFull (>90%)
    severity: critical
    when: {above: 97}
    source:
      prometheus: 100 - node_filesystem_avail_bytes / node_filesystem_size_bytes * 100
      cloudwatch: {namespace: CWAgent, metric: disk_used_percent, period: 5m, dimensions: {host: a}}
    summary: disk above 97%
routes:
  - match: {}
    to: [infra-mail]
receivers:
  - name: infra-mail
    email: {to: [infra@example.com]}
"""


def test_spec_with_a_severity_ladder_applies_on_cloudwatch(
    aws: Aws, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "targets").mkdir()
    (tmp_path / "specs" / "nodes.yaml").write_text(SPEC, encoding="utf-8")
    target_text = TARGET.replace("{region}", "eu-west-1").replace("{account}", "123456789012")
    (tmp_path / "targets" / "aws.yaml").write_text(target_text.replace("{endpoint}", aws.endpoint), encoding="utf-8")
    session = engine.load([tmp_path / "specs"], [tmp_path / "targets"])
    assert not [d for d in session.diagnostics if d.level is Level.ERROR], session.diagnostics.items
    targets = engine.choose_targets(session, ["aws-test"])
    plan = engine.plan(session, targets)
    assert not [d for d in session.diagnostics if d.level is Level.ERROR], session.diagnostics.items
    assert engine.apply(session, plan)["aws-test"].ok
    assert set(aws.alarms()) == {f"monaco/nodes/{DISK}.high", f"monaco/nodes/{DISK}.critical"}
    assert not engine.plan(session, targets).has_changes
