"""Fault-test workspaces: the repo's specs with file targets (optionally live URLs), a bounded CLI run, and
real read-only places (chattr +i as root, where file modes do not stop root; chmod otherwise)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli.workspace import make_workspace, run

RUN_BOUND_SECONDS = 30.0
"""No apply in these tests may take longer; a run still going after this fails the test."""


def write_targets(root: Path, prometheus_url: str | None = None, alertmanager_url: str | None = None) -> None:
    """The targets file: rules in `live/rules`, the Alertmanager config at `live/alertmanager.yml`."""
    prom_url = f", url: '{prometheus_url}'" if prometheus_url else ""
    am_url = f", url: '{alertmanager_url}'" if alertmanager_url else ""
    (root / "targets" / "targets.yaml").write_text(
        "apiVersion: monaco/v1\nkind: Target\nmetadata: {name: prom}\nbackend: prometheus\n"
        f"config: {{rules_dir: ../live/rules{prom_url}}}\n---\n"
        "apiVersion: monaco/v1\nkind: Target\nmetadata: {name: am}\nbackend: alertmanager\n"
        f"config: {{config_file: ../live/alertmanager.yml, base_config: _base/alertmanager.yml{am_url}}}\n"
    )


def workspace(root: Path) -> Path:
    """A fresh workspace under `root` with file targets and nothing applied."""
    make_workspace(root)
    write_targets(root)
    return root


def raise_threshold(root: Path) -> None:
    """Change one threshold, so the next plan updates exactly `rule_group.checkout`."""
    spec = root / "specs" / "checkout.yaml"
    text = spec.read_text()
    assert "when: {above: 0.9}" in text
    spec.write_text(text.replace("when: {above: 0.9}", "when: {above: 0.95}"))


def change_route(root: Path) -> None:
    """Change one route's receivers, so the next plan updates the checkout route on Alertmanager only."""
    spec = root / "specs" / "checkout.yaml"
    text = spec.read_text()
    assert "to: [payments-email]" in text
    spec.write_text(text.replace("to: [payments-email]", "to: [payments-slack]"))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one CLI run returned and printed, and how long it took."""

    code: int
    output: str
    seconds: float

    def change_lines(self, target: str) -> list[str]:
        """The per-change report lines of one target (`  prom: rule_group.x: update ok`)."""
        return [line.strip() for line in self.output.splitlines() if line.startswith(f"  {target}: ")]


def bounded_run(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> Outcome:
    """Run the CLI in-process in a thread; fail if it raises or has not returned after RUN_BOUND_SECONDS."""
    capsys.readouterr()
    result: dict[str, object] = {}

    def call() -> None:
        """Run the command, keeping its exit code or the exception it raised."""
        try:
            result["code"] = run(root, *args)
        except BaseException as exc:  # a traceback is exactly what these tests look for
            result["error"] = exc

    started = time.monotonic()
    worker = threading.Thread(target=call, name="monaco-cli", daemon=True)
    worker.start()
    worker.join(RUN_BOUND_SECONDS)
    seconds = time.monotonic() - started
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert not worker.is_alive(), f"monaco {' '.join(args)} still running after {RUN_BOUND_SECONDS:g}s:\n{output}"
    assert "error" not in result, f"monaco {' '.join(args)} raised {result.get('error')!r}:\n{output}"
    assert "Traceback" not in output, output
    code = result["code"]
    assert isinstance(code, int)
    return Outcome(code, output, seconds)


@contextlib.contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """Make `path` (a file or a directory) really unwritable for this process, and undo it afterwards.

    Root ignores file modes, so as root the path is made immutable (`chattr +i`: no write, rename
    or delete, in it or of it); otherwise its write bits are removed. Either way the helper checks
    that a write really fails, or the tests using it would prove nothing.
    """
    root = os.geteuid() == 0
    mode = path.stat().st_mode
    if root:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    else:
        path.chmod(mode & ~0o222)
    try:
        _assert_write_fails(path)
        yield
    finally:
        if root:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        else:
            path.chmod(mode)


def _assert_write_fails(path: Path) -> None:
    """Creating a file in the directory, or opening the file for writing, must fail."""
    probe = path / ".probe" if path.is_dir() else path
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600))
    except PermissionError:
        return
    if probe != path:
        probe.unlink()
    raise AssertionError(f"{path} is still writable; the fault cannot be injected")
