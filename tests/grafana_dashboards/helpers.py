"""A workspace for the grafana_dashboards tests: the case's specs, one target, and the CLI run in-process."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from monaco.cli.main import main

CASE = Path(__file__).parent / "case"
TARGET = "grafana-test"


@dataclass(frozen=True, slots=True)
class Ran:
    """One CLI run: exit code and what it printed."""

    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """Everything printed."""
        return self.stdout + self.stderr


@dataclass(slots=True)
class Workspace:
    """`specs/` copied from the case, `targets/` holding one grafana_dashboards target."""

    root: Path
    capsys: pytest.CaptureFixture[str]

    @property
    def specs(self) -> Path:
        """The spec directory."""
        return self.root / "specs"

    @property
    def targets(self) -> Path:
        """The target directory."""
        return self.root / "targets"

    def write(self, config: dict[str, Any], name: str = TARGET, file: str = "grafana.yaml") -> None:
        """The case's specs (once) and a target `name` with `config` (JSON is YAML)."""
        if not self.specs.exists():
            shutil.copytree(CASE / "specs", self.specs)
        self.targets.mkdir(parents=True, exist_ok=True)
        target = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": name}}
        target |= {"backend": "grafana_dashboards", "config": config}
        (self.targets / file).write_text(json.dumps(target, indent=2) + "\n", encoding="utf-8")

    def edit(self, service: str, old: str, new: str) -> None:
        """Replace text in one service's spec."""
        path = self.specs / f"{service}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def run(self, *args: str) -> Ran:
        """`monaco <command> --specs ... --targets ... <rest>`, in-process; never a traceback."""
        command, *rest = args
        self.capsys.readouterr()
        specs = [str(self.specs)] if command == "validate" else ["--specs", str(self.specs)]
        code = main([command, *specs, "--targets", str(self.targets), *rest])
        captured = self.capsys.readouterr()
        ran = Ran(code, captured.out, captured.err)
        assert "Traceback" not in ran.output, ran.output
        return ran

    def converge(self) -> Ran:
        """Apply, then require an empty plan."""
        applied = self.run("apply", "--auto-approve")
        assert applied.code == 0, applied.output
        again = self.run("plan", "--detailed-exitcode")
        assert again.code == 0, again.output
        return applied


@pytest.fixture
def ws(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Workspace:
    """An empty workspace in the test's temporary directory."""
    return Workspace(tmp_path / "ws", capsys)
