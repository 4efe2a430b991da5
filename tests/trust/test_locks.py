"""Applies to one target are serialized by a lock, and a plan made against older state is refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from monaco.backends.lock import LockBusy, file_lock, lock_path
from tests.cli.workspace import make_workspace, run

REPO = Path(__file__).resolve().parents[2]
RUNS = 20


def _am_lock(ws: Path) -> Path:
    return lock_path(ws / "live" / "alertmanager.yml")


def test_a_held_lock_names_its_holder_and_how_long(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """While another apply holds the target's lock, apply waits `--lock-timeout` and then says who holds it."""
    with file_lock(_am_lock(ws), 0):
        time.sleep(1.1)
        started = time.monotonic()
        assert run(ws, "apply", "--auto-approve", "--target", "am", "--lock-timeout", "1s") == 1
        waited = time.monotonic() - started
    err = capsys.readouterr().err
    assert f"(pid {os.getpid()}, monaco apply) for " in err and "is locked by" in err
    assert "--lock-timeout" in err
    assert 1.0 <= waited < 10
    assert not (ws / "live" / "alertmanager.yml").exists()


def test_apply_waits_for_a_lock_released_within_the_timeout(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A lock released while apply waits is taken, and the apply goes through."""
    held = threading.Event()

    def hold() -> None:
        with file_lock(_am_lock(ws), 0):
            held.set()
            time.sleep(1.0)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(5)
    assert run(ws, "apply", "--auto-approve", "--lock-timeout", "30s") == 0
    holder.join()
    assert "waiting for lock" in capsys.readouterr().err


def test_a_stale_lock_from_a_dead_process_is_taken_over(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A process that died holding the lock leaves its record; the next apply says so and proceeds."""
    code = (
        "import os, sys; from pathlib import Path; from monaco.backends.lock import file_lock\n"
        "with file_lock(Path(sys.argv[1]), 0):\n    os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(_am_lock(ws))], check=True, cwd=REPO)
    assert _am_lock(ws).exists()
    assert run(ws, "apply", "--auto-approve") == 0
    assert "took over a stale lock" in capsys.readouterr().err
    assert not _am_lock(ws).exists()


def test_the_lock_refuses_a_second_holder_in_process(tmp_path: Path) -> None:
    """The lock is exclusive even within one process (flock per open file)."""
    path = tmp_path / ".x.monaco-lock"
    with file_lock(path, 0), pytest.raises(LockBusy), file_lock(path, 0.2):
        pass


_PLAN_AND_APPLY = """
import sys
from monaco.cli.main import main
specs, targets, plan = sys.argv[1:4]
workspace = ["--specs", specs, "--targets", targets]
if main(["plan", *workspace, "--out", plan]) != 0:
    sys.exit(3)
sys.exit(main(["apply", *workspace, plan, "--lock-timeout", "60s"]))
"""


def _email_of(body: dict[str, object] | None) -> str | None:
    configs = (body or {}).get("email_configs")
    return configs[0]["to"] if isinstance(configs, list) else None  # type: ignore[index]


def _planned_before(plan_file: Path) -> str | None:
    plan = json.loads(plan_file.read_text())
    for target in plan["targets"]:
        for change in target["changes"]:
            if change["key"] == "receiver.payments-email":
                return _email_of((change["before"] or {}).get("body"))
    raise AssertionError("the plan does not change receiver.payments-email")


def _set_email(ws: Path, address: str) -> None:
    team = ws / "specs" / "payments-team.yaml"
    text = team.read_text()
    start = text.index("to: [", text.index("email:")) + len("to: [")
    team.write_text(text[:start] + address + text[text.index("]", start) :])


def _live_email(live: Path) -> str | None:
    config = YAML(typ="safe").load((live / "alertmanager.yml").read_text())
    return next(_email_of(r) for r in config["receivers"] if r["name"] == "payments-email")


def _two_checkouts(tmp_path: Path) -> tuple[Path, Path]:
    """Two copies of the workspace whose targets write the same live files (those of the first)."""
    a = make_workspace(tmp_path / "a")
    b = make_workspace(tmp_path / "b")
    shared = (a / "targets" / "targets.yaml").read_text().replace("../live", str(a / "live"))
    for ws in (a, b):
        (ws / "targets" / "targets.yaml").write_text(shared)
    return a, b


def _race(values: dict[Path, str]) -> dict[Path, tuple[int, str]]:
    """Plan and apply from every checkout at once; exit code and stderr of each."""
    for ws, value in values.items():
        _set_email(ws, value)
    procs = {
        ws: subprocess.Popen(
            [sys.executable, "-c", _PLAN_AND_APPLY, str(ws / "specs"), str(ws / "targets"), str(ws / "plan.json")],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for ws in values
    }
    return {ws: (proc.wait(120), proc.communicate()[1]) for ws, proc in procs.items()}


def _check_race(
    i: int, initial: str | None, values: dict[Path, str], final: str | None, outcomes: dict[Path, tuple[int, str]]
) -> None:
    """Whatever won, a run reporting success planned against exactly the state it replaced."""
    ok = [ws for ws, (code, _) in outcomes.items() if code == 0]
    for code, err in outcomes.values():
        assert code == 0 or (code == 1 and "changed since the plan was made" in err), err
    assert ok, f"run {i}: neither apply succeeded: {outcomes}"
    later = [ws for ws in ok if _planned_before(ws / "plan.json") != initial]
    assert len(later) == len(ok) - 1, f"run {i}: both applies planned against the same state; a change was lost"
    first = next(ws for ws in ok if ws not in later)
    assert _planned_before(first / "plan.json") == initial
    for ws in later:
        assert _planned_before(ws / "plan.json") == values[first], "a change reported as applied was lost"
    assert final == values[later[0] if later else first]


def test_concurrent_applies_from_two_checkouts_never_lose_a_reported_change(tmp_path: Path) -> None:
    """Two checkouts apply different values to one Alertmanager file at once, {RUNS} times.

    Whatever interleaving happens, a run that reports success planned against exactly the state it
    replaced: the first to write planned against the state before both, a second one that also
    succeeds planned against the first's result, and the file ends with the last writer's value.
    """
    a, b = _two_checkouts(tmp_path)
    assert run(a, "apply", "--auto-approve") == 0
    for i in range(RUNS):
        initial = _live_email(a / "live")
        values = {a: f"a-{i}@example.com", b: f"b-{i}@example.com"}
        outcomes = _race(values)
        _check_race(i, initial, values, _live_email(a / "live"), outcomes)


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """The default workspace with file targets under a temporary directory."""
    return make_workspace(tmp_path)
