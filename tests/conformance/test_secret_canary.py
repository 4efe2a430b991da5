"""A secret canary (a unique random value behind `{env: ...}`) never appears in any output of any backend.

Not in a plan (text, JSON, Markdown, the saved plan file), not in what `compile` writes, not in the apply
log, not in an error message from a failed apply; while the live system holds it where it must.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conformance.kits import BackendKit, files_under
from tests.conformance.workspace import Workspace


def _produced(ws: Workspace, tmp_path: Path, name: str) -> list[str]:
    """Every plan view, the saved plan file and the compiled files, as text; the printed output is kept in `ws`."""
    for args in (("validate",), ("plan",), ("plan", "--format", "json"), ("plan", "--format", "markdown")):
        done = ws.run(*args)
        assert done.code == 0, done.output
    plan_file = tmp_path / f"{name}.plan.json"
    assert ws.run("plan", "--out", str(plan_file)).code == 0
    out = tmp_path / f"{name}-compiled"
    assert ws.run("compile", "--out", str(out)).code == 0
    files = {**files_under(out), plan_file.name: plan_file.read_bytes()}
    assert files
    return [data.decode("utf-8", "replace") for data in files.values()]


def _assert_nowhere(texts: list[str], canaries: list[str]) -> None:
    """No canary occurs in any of `texts`."""
    for canary in canaries:
        leaks = [text for text in texts if canary in text]
        assert not leaks, f"secret {canary} leaked into:\n{leaks[0]}"


def test_a_secret_canary_never_appears_in_any_output(
    kit: BackendKit, ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plan, compile, apply log and a failed apply's errors hold no secret; the live system holds the current one."""
    kit.prepare()
    produced = _produced(ws, tmp_path, "first")
    ws.converge()
    ws.rotate_secrets(monkeypatch)
    ws.change_threshold("0.95")
    produced += _produced(ws, tmp_path, "rotated")
    with kit.inject_secret_failure():
        failed = ws.run("apply", "--auto-approve")
    assert failed.code == 1 and "NOT APPLIED" in failed.output, failed.output
    ws.converge()
    _assert_nowhere(produced + ws.outputs, ws.canaries)
    live = b"".join(kit.secret_places()).decode("utf-8", "replace")
    if kit.holds_secrets:
        assert ws.canary in live, f"the live system does not hold the current secret:\n{live[:2000]}"
    else:
        _assert_nowhere([live], ws.canaries)
