"""The properties every backend must have, each run against every registered backend through the real CLI.

A backend gets all of them by adding its kit to `tests/conformance/kits/<kind>.py`. Each test starts from an
empty workspace (`ws`) whose one target is the backend under test (`kit`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conformance.kits import BackendKit, files_under
from tests.conformance.workspace import TARGET, Workspace

REPO = Path(__file__).resolve().parents[2]


def _planned_keys(ws: Workspace) -> list[tuple[str, str]]:
    """(action, key) of every change `plan --format json` shows now."""
    planned = ws.run("plan", "--format", "json")
    assert planned.code == 0, planned.output
    return [(c["action"], c["key"]) for t in json.loads(planned.stdout)["targets"] for c in t["changes"]]


def _compiled(ws: Workspace, out: Path) -> dict[str, bytes]:
    """`monaco compile --out OUT`, in-process; every file written, by path."""
    compiled = ws.run("compile", "--out", str(out))
    assert compiled.code == 0, compiled.output
    return files_under(out)


def _compiled_in_subprocess(ws: Workspace, out: Path, hash_seed: str) -> dict[str, bytes]:
    """`python -m monaco compile --out OUT` in a fresh interpreter with PYTHONHASHSEED=`hash_seed`."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    argv = [sys.executable, "-m", "monaco", "compile", "--specs", str(ws.specs), "--targets", str(ws.targets)]
    done = subprocess.run([*argv, "--out", str(out)], env=env, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    ws.outputs.append(done.stdout + done.stderr)
    return files_under(out)


def _other_hash_seed() -> str:
    """A PYTHONHASHSEED different from this process's: 0 (no randomisation) unless this process uses 0."""
    current = os.environ.get("PYTHONHASHSEED", "random")
    return "1" if current == "0" else "0"


def test_render_is_deterministic(kit: BackendKit, ws: Workspace, tmp_path: Path) -> None:
    """Compiling twice, and again in another process with another hash seed, gives identical bytes."""
    kit.prepare()
    first = _compiled(ws, tmp_path / "first")
    assert first, "compile wrote nothing"
    assert _compiled(ws, tmp_path / "second") == first
    assert _compiled_in_subprocess(ws, tmp_path / "third", _other_hash_seed()) == first


def test_plan_apply_plan_is_empty(kit: BackendKit, ws: Workspace) -> None:
    """Against the backend's real server: changes before (exit 2), apply succeeds, then no changes (exit 0)."""
    kit.prepare(live=True)
    planned = ws.run("plan", "--detailed-exitcode")
    assert planned.code == 2, planned.output
    changes = _planned_keys(ws)
    applied = ws.converge()
    lines = applied.change_lines()
    assert len(lines) == len(changes) and all(line.endswith(" ok") for line in lines), applied.output
    assert ws.run("plan", "--detailed-exitcode").code == 0


def test_an_unowned_same_named_object_is_refused_and_left_byte_identical(kit: BackendKit, ws: Workspace) -> None:
    """MON410 names the object; neither plan nor apply changes a byte of what is live."""
    kit.prepare()
    name = kit.create_unowned()
    before = kit.snapshot()
    planned = ws.run("plan", "--detailed-exitcode")
    assert planned.code == 1, planned.output
    assert "MON410" in planned.stderr and name in planned.stderr, planned.output
    applied = ws.run("apply", "--auto-approve")
    assert applied.code == 1 and "MON410" in applied.stderr, applied.output
    assert kit.snapshot() == before


def test_an_owned_orphan_is_deleted_by_the_next_apply(kit: BackendKit, ws: Workspace) -> None:
    """A service removed from the specs: the next plan deletes its objects (and creates nothing); apply removes them.

    Updates may come with the deletes: a container listing the objects (a manifest file) changes too.
    """
    kit.prepare()
    ws.converge()
    assert any(b"basket" in key.encode() + value for key, value in kit.snapshot().items())
    ws.remove_service("basket")
    changes = _planned_keys(ws)
    deleted = [key for action, key in changes if action == "delete"]
    assert deleted and all("basket" in key for key in deleted), changes
    assert not [key for action, key in changes if action in ("create", "replace")], changes
    ws.converge()
    assert not any(b"basket" in key.encode() + value for key, value in kit.snapshot().items())


def test_a_stale_saved_plan_is_refused_and_nothing_is_written(kit: BackendKit, ws: Workspace, tmp_path: Path) -> None:
    """Live changed after `plan --out`: `apply PLANFILE` exits 1, says so, and leaves live as it found it."""
    kit.prepare()
    ws.converge()
    ws.change_threshold("0.95")
    ws.remove_service("basket")
    plan_file = tmp_path / "plan.json"
    saved = ws.run("plan", "--out", str(plan_file))
    assert saved.code == 0 and plan_file.is_file(), saved.output
    kit.tamper()
    before = kit.snapshot()
    applied = ws.run("apply", str(plan_file))
    assert applied.code == 1, applied.output
    assert "changed since the plan was made" in applied.stderr, applied.output
    assert kit.snapshot() == before


def test_a_failure_in_the_middle_of_apply_is_reported_change_by_change_and_a_rerun_converges(
    kit: BackendKit, ws: Workspace
) -> None:
    """Every planned change is listed as ok or NOT APPLIED, exit 1, no traceback; without the fault, it converges."""
    kit.prepare()
    ws.converge()
    ws.change_threshold("0.95")
    ws.change_objective()
    ws.change_route()
    ws.remove_service("basket")
    planned = {key for _, key in _planned_keys(ws)}
    before = kit.snapshot()
    with kit.inject_failure():
        failed = ws.run("apply", "--auto-approve")
    assert failed.code == 1, failed.output
    lines = failed.change_lines()
    reported = {line.removeprefix(f"{TARGET}: ").split(": ", 1)[0] for line in lines}
    assert reported == planned, failed.output
    assert all(line.endswith(" ok") or " NOT APPLIED (" in line for line in lines), failed.output
    assert any(" NOT APPLIED (" in line for line in lines), failed.output
    assert "Apply failed." in failed.stderr, failed.output
    if not any(line.endswith(" ok") for line in lines):
        assert kit.snapshot() == before, "no change was applied, yet what is live changed"
    ws.converge()
