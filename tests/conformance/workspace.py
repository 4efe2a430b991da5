"""The conformance workspace: two services with sources for every backend, secret receivers, and a CLI runner.

Every backend's fixture writes one target into this workspace; the properties run the real CLI against it.
The receivers' secrets are a fresh random canary per workspace, so a property can search every output for it.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from monaco.cli.main import main

CANARY_ENV = "MONACO_CONFORMANCE_HOOK_URL"
CANARY_KEY_ENV = "MONACO_CONFORMANCE_PD_KEY"
TARGET = "conformance"
"""The name of the one target every workspace has: the backend under test."""
SERVICES = ("checkout", "basket")
"""The services of the workspace; `basket` is the one the orphan property removes."""

SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: NAME, team: payments, tier: 1, labels: {env: prod}, runbook: "https://runbooks.example.com/NAME"}
alerts:
  - name: HighCPU
    severity: high
    for: 10m
    when: {above: 0.9}
    source:
      prometheus: avg by (instance) (rate(process_cpu_seconds_total{job="NAME"}[5m]))
      cloudwatch: {namespace: AWS/EC2, metric: CPUUtilization, stat: Average, period: 5m,
                   dimensions: {AutoScalingGroupName: NAME}}
    summary: "CPU above 90% on NAME"
slos:
  - name: availability
    objective: 99.9
    period: 30d
    sli:
      ratio:
        bad:
          prometheus: sum(rate(http_requests_total{job="NAME",code=~"5.."}[{{window}}]))
          cloudwatch: {namespace: AWS/ApplicationELB, metric: HTTPCode_Target_5XX_Count, stat: Sum,
                       dimensions: {LoadBalancer: app/NAME/abc}}
        total:
          prometheus: sum(rate(http_requests_total{job="NAME"}[{{window}}]))
          cloudwatch: {namespace: AWS/ApplicationELB, metric: RequestCount, stat: Sum,
                       dimensions: {LoadBalancer: app/NAME/abc}}
    alerting:
      page: {severity: critical}
routes:
  - match: {severity: critical}
    to: [payments-pager]
  - match: {severity: high}
    to: [payments-hook]
"""

TEAM = f"""\
apiVersion: monaco/v1
kind: Team
metadata: {{name: payments}}
default_receiver: payments-mail
receivers:
  - name: payments-pager
    pagerduty: {{routing_key: {{env: {CANARY_KEY_ENV}}}}}
  - name: payments-hook
    webhook: {{url: {{env: {CANARY_ENV}}}}}
  - name: payments-mail
    email: {{to: [payments-oncall@example.com]}}
"""


def _new_canary() -> str:
    """A unique random value (32 characters, the length of a PagerDuty routing key)."""
    return "canary" + secrets.token_hex(13)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one CLI run returned and printed (stdout and stderr, apart and together)."""

    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """Everything the run printed."""
        return self.stdout + self.stderr

    def change_lines(self) -> list[str]:
        """The per-change report lines of the target (`conformance: rule_group.x: update ok`)."""
        prefix = f"  {TARGET}: "
        return [line.strip() for line in self.stdout.splitlines() + self.stderr.splitlines() if line.startswith(prefix)]


@dataclass(slots=True)
class Workspace:
    """A temporary workspace: `specs/`, `targets/`, the place the target writes, and the canary secret."""

    root: Path
    capsys: pytest.CaptureFixture[str]
    canary: str = field(default_factory=_new_canary)
    outputs: list[str] = field(default_factory=list)
    """Everything every run printed, for the canary checks."""
    canaries: list[str] = field(default_factory=list)
    """Every canary this workspace has used (the current one last)."""

    def __post_init__(self) -> None:
        self.canaries.append(self.canary)

    @property
    def specs(self) -> Path:
        """The spec directory."""
        return self.root / "specs"

    @property
    def targets(self) -> Path:
        """The target directory (the target file's paths are relative to it)."""
        return self.root / "targets"

    @property
    def hook_url(self) -> str:
        """The webhook receiver's URL: the secret that must reach the live system and nowhere else."""
        return f"https://hooks.example.com/notify/{self.canary}"

    @property
    def routing_key(self) -> str:
        """The PagerDuty routing key (32 characters, as PagerDuty's are), also holding the canary."""
        return self.canary

    def write(self, backend: str, config: dict[str, Any]) -> None:
        """Write both services, the team, and one target of `backend` with `config` (JSON is YAML)."""
        self.specs.mkdir(parents=True, exist_ok=True)
        self.targets.mkdir(parents=True, exist_ok=True)
        for name in SERVICES:
            (self.specs / f"{name}.yaml").write_text(SERVICE.replace("NAME", name), encoding="utf-8")
        (self.specs / "payments-team.yaml").write_text(TEAM, encoding="utf-8")
        target = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": TARGET}}
        target |= {"backend": backend, "config": config}
        (self.targets / "target.yaml").write_text(json.dumps(target, indent=2) + "\n", encoding="utf-8")

    def export_secrets(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Set the receivers' secret references to this workspace's canary values."""
        monkeypatch.setenv(CANARY_ENV, self.hook_url)
        monkeypatch.setenv(CANARY_KEY_ENV, self.routing_key)

    def rotate_secrets(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A new canary behind the same references, as a secret rotation would do."""
        self.canary = _new_canary()
        self.canaries.append(self.canary)
        self.export_secrets(monkeypatch)

    def remove_service(self, name: str) -> None:
        """Delete one service's spec, as a team retiring it would."""
        (self.specs / f"{name}.yaml").unlink()

    def change_threshold(self, value: str) -> None:
        """Change the CPU threshold of every service, so the next plan updates what is live."""
        for name in SERVICES:
            path = self.specs / f"{name}.yaml"
            if path.exists():
                text = path.read_text(encoding="utf-8")
                path.write_text(text.replace("when: {above: 0.9}", f"when: {{above: {value}}}"), encoding="utf-8")

    def change_objective(self) -> None:
        """Lower checkout's SLO objective, so the next plan changes every burn-rate threshold of it."""
        path = self.specs / "checkout.yaml"
        text = path.read_text(encoding="utf-8")
        assert "objective: 99.9\n" in text
        path.write_text(text.replace("objective: 99.9\n", "objective: 99.5\n"), encoding="utf-8")

    def change_route(self) -> None:
        """Send checkout's high-severity alerts to the mail receiver too, so the next plan changes its routing."""
        path = self.specs / "checkout.yaml"
        text = path.read_text(encoding="utf-8")
        assert "to: [payments-hook]" in text
        path.write_text(text.replace("to: [payments-hook]", "to: [payments-hook, payments-mail]"), encoding="utf-8")

    def run(self, *args: str) -> Outcome:
        """Run `monaco` in-process on this workspace; keeps the output for the canary checks; never a traceback."""
        command, *rest = args
        self.capsys.readouterr()
        specs = [str(self.specs)] if command == "validate" else ["--specs", str(self.specs)]
        code = main([command, *specs, "--targets", str(self.targets), *rest])
        captured = self.capsys.readouterr()
        outcome = Outcome(code, captured.out, captured.err)
        self.outputs.append(outcome.output)
        assert "Traceback" not in outcome.output, outcome.output
        return outcome

    def converge(self) -> Outcome:
        """Apply whatever is pending and require the plan after it to be empty."""
        applied = self.run("apply", "--auto-approve")
        assert applied.code == 0, applied.output
        planned = self.run("plan", "--detailed-exitcode")
        assert planned.code == 0, f"plan after apply is not empty:\n{planned.output}"
        return applied
