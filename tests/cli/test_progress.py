"""Apply shows each change as it completes: plain lines in CI, a progress bar in a terminal (a real pty)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.cli.workspace import make_workspace

_TIMEOUT = 60.0


def _command(root: Path) -> list[str]:
    specs, targets = str(root / "specs"), str(root / "targets")
    return [sys.executable, "-m", "monaco", "apply", "--auto-approve", "--specs", specs, "--targets", targets]


def test_plain_mode_prints_one_line_per_change_before_the_summary(tmp_path: Path) -> None:
    """Under CI=true: `ok create <key> (i/N)` for every change, counted up, then the final report."""
    root = make_workspace(tmp_path)
    env = {**os.environ, "CI": "true"}
    done = subprocess.run(_command(root), capture_output=True, text=True, env=env, timeout=_TIMEOUT, check=False)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("  ok ")]
    total = len(lines)
    assert total >= 3
    assert [line.rsplit("(", 1)[1] for line in lines] == [f"{i}/{total})" for i in range(1, total + 1)]
    assert done.stderr.index(lines[-1]) < done.stderr.index("Apply complete!")
    assert "\x1b[" not in done.stderr


def test_a_terminal_gets_a_progress_bar(tmp_path: Path) -> None:
    """With stderr a pseudo-terminal (and not CI), Rich draws the bar and the change lines still appear."""
    root = make_workspace(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "CI"} | {"TERM": "xterm-256color", "COLUMNS": "100"}
    leader, follower = pty.openpty()
    process = subprocess.Popen(_command(root), stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    output = _read_until_exit(leader, process)
    assert process.returncode == 0, output
    assert "applying" in output and "\x1b[" in output
    assert " ok " in output and "Apply complete!" in output


def _read_until_exit(leader: int, process: subprocess.Popen[bytes]) -> str:
    """Everything the child writes to the pty until it exits (bounded by a deadline; the child is killed after)."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + _TIMEOUT
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    data = os.read(leader, 65536)
                except OSError:  # EIO: the child closed the pty
                    break
                if not data:
                    break
                chunks.append(data)
            elif process.poll() is not None:
                break
        process.wait(timeout=5)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
        os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")
