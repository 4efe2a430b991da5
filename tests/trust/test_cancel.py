"""An interrupted apply starts nothing new, reports the rest as cancelled, and a re-run converges."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from monaco import engine
from monaco.cli.commands import _interrupt_handler
from monaco.cli.output import Output
from tests.cli.workspace import make_workspace, run


def test_cancel_during_apply_stops_before_the_next_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Cancelled as the first target starts: nothing is written, every change says cancelled; apply again converges."""
    ws = make_workspace(tmp_path)
    session = engine.load([ws / "specs"], [ws / "targets"])
    plan = engine.plan(session, session.targets)
    cancel = threading.Event()

    def progress(line: str) -> None:
        if line.startswith("Applying"):
            cancel.set()

    reports = engine.apply(session, plan, progress, 0.0, cancel)
    results = [r for report in reports.values() for r in report.results]
    assert results and all(not r.ok and r.message == "not applied (cancelled)" for r in results)
    assert {t.target for t in plan.targets if t.changes} == set(reports)
    assert not (ws / "live").exists() or not any((ws / "live").rglob("*.yml"))
    assert run(ws, "apply", "--auto-approve") == 0
    assert run(ws, "plan", "--detailed-exitcode") == 0


def test_the_first_interrupt_asks_to_stop_and_the_second_aborts(capsys: pytest.CaptureFixture[str]) -> None:
    """Like Terraform: one Ctrl-C finishes what is in flight; a second one stops at once."""
    cancel = threading.Event()
    handle = _interrupt_handler(cancel, Output(colour=False))
    handle(2, None)
    assert cancel.is_set() and "interrupt again to abort" in capsys.readouterr().err
    with pytest.raises(KeyboardInterrupt):
        handle(2, None)
