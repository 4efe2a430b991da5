"""Fixtures: the fake PagerDuty, the backend in the registry for these tests, and a workspace with on-call."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from monaco.backends import REGISTRY, source_families
from monaco.cli.main import main
from tests.fakes.pagerduty import PagerDutyFake, pagerduty_fake, pagerduty_server

__all__ = ["pagerduty_fake", "pagerduty_server"]

TOKEN_ENV = "MONACO_TEST_PD_TOKEN"
SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: NAME, team: payments, tier: 1}
alerts:
  - name: HighCPU
    severity: high
    when: {above: 0.9}
    source: {prometheus: 'avg(rate(process_cpu_seconds_total{job="NAME"}[5m]))'}
    summary: CPU high on NAME
  - name: Down
    severity: critical
    source: {prometheus: 'up{job="NAME"} == 0'}
    summary: NAME is down
"""
TEAM = """\
apiVersion: monaco/v1
kind: Team
metadata: {name: payments}
oncall:
  pagerduty_service: MODE
  acknowledgement_timeout: 15m
  escalation_policy:
    num_loops: 2
    levels:
      - escalation_delay_in_minutes: 10
        targets: [{schedule: Payments primary}]
      - escalation_delay_in_minutes: 30
        targets: [{user: alice@example.com}, {user: Bob Jones}]
"""


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The pagerduty backend in the registry (and its family among the source families) for each test."""
    monkeypatch.setitem(REGISTRY, "pagerduty", "monaco.backends.pagerduty.backend:PagerDutyBackend")
    source_families.cache_clear()
    yield
    source_families.cache_clear()


@dataclass(slots=True)
class PdWorkspace:
    """A workspace on disk with two services of team payments and one pagerduty target at the fake."""

    root: Path
    fake: PagerDutyFake
    capsys: pytest.CaptureFixture[str]

    def write(self, mode: str = "per_service", **config: Any) -> None:
        """Specs, team (with `mode`) and the target (extra `config` merged in)."""
        specs, targets = self.root / "specs", self.root / "targets"
        specs.mkdir(parents=True, exist_ok=True)
        targets.mkdir(parents=True, exist_ok=True)
        for name in ("checkout", "basket"):
            (specs / f"{name}.yaml").write_text(SERVICE.replace("NAME", name), encoding="utf-8")
        (specs / "team.yaml").write_text(TEAM.replace("MODE", mode), encoding="utf-8")
        settings: dict[str, Any] = {
            "token": {"env": TOKEN_ENV},
            "base_url": self.fake.url,
            "ca_file": self.fake.ca_file,
        }
        settings |= {"backoff_seconds": 0.01, **config}
        document = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": "pd"}, "backend": "pagerduty"}
        (targets / "pd.yaml").write_text(json.dumps(document | {"config": settings}), encoding="utf-8")

    def run(self, *args: str) -> tuple[int, str, str]:
        """`monaco <command> --specs ... --targets ... <rest>` in-process: exit code, stdout, stderr."""
        command, *rest = args
        self.capsys.readouterr()
        specs = [str(self.root / "specs")] if command == "validate" else ["--specs", str(self.root / "specs")]
        code = main([command, *specs, "--targets", str(self.root / "targets"), *rest])
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err


@pytest.fixture
def pd_ws(
    tmp_path: Path, pagerduty_fake: PagerDutyFake, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> PdWorkspace:
    """The fake seeded with the schedule and users the team names, the token exported, the workspace written."""
    monkeypatch.setenv(TOKEN_ENV, pagerduty_fake.token)
    pagerduty_fake.add_schedule("Payments primary")
    pagerduty_fake.add_user("Alice Smith", "alice@example.com")
    pagerduty_fake.add_user("Bob Jones", "bob@example.com")
    workspace = PdWorkspace(tmp_path / "ws", pagerduty_fake, capsys)
    workspace.write()
    return workspace
