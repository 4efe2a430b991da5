"""A Prometheus target sets the level of what it cannot render the one way every backend does: `levels`."""

from __future__ import annotations

from pathlib import Path

import pytest

from monaco.diagnostics import Level
from tests.rules.workspace import codes, write_workspace

SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: web, team: platform}
alerts:
  - name: CloudOnly
    severity: high
    source: {cloudwatch: {namespace: AWS/EC2, metric: CPUUtilization}}
    when: {above: 90}
    summary: cpu
"""


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("{rules_dir: ../live/rules}", Level.WARNING),
        ("{rules_dir: ../live/rules, levels: {MON301: error}}", Level.ERROR),
        ("{rules_dir: ../live/rules, levels: {MON301: info}}", Level.INFO),
        ("{rules_dir: ../live/rules, missing_source: error}", Level.ERROR),
    ],
)
def test_an_alert_without_promql_is_reported_at_the_level_the_target_sets(
    tmp_path: Path, config: str, expected: Level
) -> None:
    """MON301 defaults to its registered warning; `levels` (or the older `missing_source`) changes it."""
    root = write_workspace(tmp_path, web=SERVICE)
    targets = root / "targets" / "targets.yaml"
    targets.write_text(targets.read_text().replace("{rules_dir: ../live/rules}", config))
    assert [d.level for d in codes(root) if d.code == "MON301"] == [expected]


CLOUD_SLO = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: web, team: platform}
slos:
  - name: availability
    objective: 99.9
    sli:
      ratio:
        bad: {cloudwatch: {namespace: AWS/ApplicationELB, metric: HTTPCode_Target_5XX_Count, stat: Sum}}
        total: {cloudwatch: {namespace: AWS/ApplicationELB, metric: RequestCount, stat: Sum}}
"""


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("{rules_dir: ../live/rules}", Level.ERROR),
        ("{rules_dir: ../live/rules, levels: {MON244: warning}}", Level.WARNING),
    ],
)
def test_an_slo_without_a_prometheus_sli_is_reported_at_the_level_the_target_sets(
    tmp_path: Path, config: str, expected: Level
) -> None:
    """MON244 is an error by default (an SLO silently absent would page no one); a target may lower it."""
    root = write_workspace(tmp_path, web=CLOUD_SLO)
    targets = root / "targets" / "targets.yaml"
    targets.write_text(targets.read_text().replace("{rules_dir: ../live/rules}", config))
    assert [d.level for d in codes(root) if d.code == "MON244"] == [expected]
