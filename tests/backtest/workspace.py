"""The backtest test workspace: a service with a gauge alert and an SLO over the history, and a prometheus target."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_run import Run, run_cli

SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: api, team: web, runbook: https://runbooks.example.com/api}
slos:
  - name: availability
    objective: 99.9
    sli:
      ratio:
        bad: {prometheus: 'sum(rate(http_errors_total{job="api"}[{{window}}]))'}
        total: {prometheus: 'sum(rate(http_requests_total{job="api"}[{{window}}]))'}
alerts:
  - name: ErrorRatioHigh
    severity: critical
    for: 5m
    when: {above: 0.5}
    source: {prometheus: 'api_error_ratio{job="api"}'}
    summary: errors
"""
TEAM = """\
apiVersion: monaco/v1
kind: Team
metadata: {name: web}
default_receiver: web-pager
receivers:
  - name: web-pager
    webhook: {url: "http://127.0.0.1:9/hook"}
"""


class BacktestWorkspace:
    """specs/ and targets/ under a directory, with the CLI run on them in-process."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str], url: str, rules_dir: Path) -> None:
        self.root, self.capsys = root, capsys
        (root / "specs").mkdir()
        (root / "targets").mkdir()
        (root / "specs" / "api.yaml").write_text(SERVICE, encoding="utf-8")
        (root / "specs" / "team.yaml").write_text(TEAM, encoding="utf-8")
        self.write_target(url, rules_dir)

    def write_target(self, url: str, rules_dir: Path) -> None:
        """The prometheus target, pointing at `url`."""
        target = {
            "apiVersion": "monaco/v1",
            "kind": "Target",
            "metadata": {"name": "prom"},
            "backend": "prometheus",
            "config": {"rules_dir": str(rules_dir), "url": url},
        }
        (self.root / "targets" / "prom.yaml").write_text(json.dumps(target), encoding="utf-8")

    def edit(self, old: str, new: str) -> None:
        """Replace text in the service spec (which must hold it)."""
        path = self.root / "specs" / "api.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    def run(self, *args: str) -> Run:
        """`monaco ARGS` on the workspace."""
        return run_cli(self.capsys, self.root / "specs", self.root / "targets", args, ())

    def backtest_json(self, *args: str) -> dict[str, dict[str, object]]:
        """`monaco backtest --format json ARGS`, which must succeed: alerts keyed by `alert/tier-or-severity`."""
        done = self.run("backtest", "--format", "json", *args)
        assert done.code == 0, done.output
        alerts = json.loads(done.out)["alerts"]
        return {f"{a['alert']}/{a['tier'] or a['severity']}": a for a in alerts}
