"""Running the monaco CLI in-process on a test workspace: what it printed, never a traceback or a secret."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

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
