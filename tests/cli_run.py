"""Running the monaco CLI in-process on a test workspace: what it printed, never a traceback or a secret."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest

from monaco.cli.main import main


@dataclass(frozen=True, slots=True)
class Run:
    """What one CLI run returned and printed."""

    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        """Everything printed."""
        return self.out + self.err


def run_cli(
    capsys: pytest.CaptureFixture[str], specs: Path, targets: Path, args: tuple[str, ...], secrets: Iterable[str]
) -> Run:
    """`monaco COMMAND ARGS` on `specs` and `targets`; asserts no traceback and none of `secrets` in the output."""
    command, *rest = args
    capsys.readouterr()
    spec_args = [str(specs)] if command == "validate" else ["--specs", str(specs)]
    code = main([command, *spec_args, "--targets", str(targets), *rest])
    captured = capsys.readouterr()
    done = Run(code, captured.out, captured.err)
    assert "Traceback" not in done.output, done.output
    for value in secrets:
        assert value not in done.output, f"a secret leaked into the output of {command}"
    return done


def apply_then_empty_plan(run: Callable[..., Run]) -> Run:
    """Apply, then require an empty plan; the apply's run."""
    applied = run("apply", "--auto-approve")
    assert applied.code == 0, applied.output
    planned = run("plan", "--detailed-exitcode")
    assert planned.code == 0, f"plan after apply is not empty:\n{planned.output}"
    return applied


@dataclass(slots=True)
class CliWorkspace:
    """specs/ and targets/ under `root`, with the CLI run on them in-process; subclasses write their target."""

    root: Path
    capsys: pytest.CaptureFixture[str]
    secrets: ClassVar[tuple[str, ...]] = ()
    """Values that must appear in no output."""

    @property
    def specs(self) -> Path:
        """The spec directory."""
        return self.root / "specs"

    @property
    def targets(self) -> Path:
        """The target directory."""
        return self.root / "targets"

    def write_target(self, specs: Path, backend: str, name: str, config: dict[str, Any]) -> None:
        """Copy `specs` (once) and write `targets/target.yaml`: one target `name` of `backend` (JSON is YAML)."""
        if not self.specs.exists():
            shutil.copytree(specs, self.specs)
        self.targets.mkdir(parents=True, exist_ok=True)
        target = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": name}}
        target |= {"backend": backend, "config": config}
        (self.targets / "target.yaml").write_text(json.dumps(target, indent=2) + "\n", encoding="utf-8")

    def edit(self, name: str, old: str, new: str) -> None:
        """Replace `old` by `new` in spec file `name` (it must be there)."""
        path = self.specs / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def run(self, *args: str) -> Run:
        """`monaco COMMAND` on this workspace, in-process; never a traceback, never a secret in the output."""
        return run_cli(self.capsys, self.specs, self.targets, args, self.secrets)

    def converge(self) -> Run:
        """Apply, then require an empty plan."""
        return apply_then_empty_plan(self.run)
