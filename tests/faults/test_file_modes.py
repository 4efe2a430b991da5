"""File modes: monaco honours the umask for files without secret values, keeps 0600 for a file that holds
one, and a replaced file keeps the mode its operator gave it."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from monaco.backends.files import FileTransaction, write_atomic
from tests.faults.workspace import bounded_run, raise_threshold, workspace

SECRET = "https://hooks.example.com/T0/B0/very-secret-token"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    """Run with the common umask 022 (group and others may read), restoring the previous one after."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.usefixtures("umask_022")
def test_rule_files_and_a_secret_free_config_are_readable_by_the_servers_user(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Under umask 022, a Prometheus or Alertmanager running as another user can read what monaco wrote."""
    ws = workspace(tmp_path / "ws")
    assert bounded_run(ws, capsys, "apply", "--auto-approve").code == 0
    assert _mode(ws / "live" / "rules" / "monaco-checkout.rules.yml") == 0o644
    assert _mode(ws / "live" / "alertmanager.yml") == 0o644


@pytest.mark.usefixtures("umask_022")
def test_an_alertmanager_config_holding_a_secret_value_is_owner_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A receiver whose URL comes from the environment puts the value in the file: the file is 0600."""
    ws = workspace(tmp_path / "ws")
    team = ws / "specs" / "payments-team.yaml"
    hook = "receivers:\n  - name: payments-hook\n    webhook: {url: {env: PAYMENTS_HOOK}}\n"
    team.write_text(team.read_text().replace("receivers:\n", hook))
    spec = ws / "specs" / "checkout.yaml"
    spec.write_text(spec.read_text().replace("to: [payments-email]", "to: [payments-email, payments-hook]"))
    monkeypatch.setenv("PAYMENTS_HOOK", SECRET)
    assert bounded_run(ws, capsys, "apply", "--auto-approve").code == 0
    config = ws / "live" / "alertmanager.yml"
    assert SECRET in config.read_text()
    assert _mode(config) == 0o600
    assert _mode(ws / "live" / "rules" / "monaco-checkout.rules.yml") == 0o644


@pytest.mark.usefixtures("umask_022")
def test_a_replaced_rule_file_keeps_the_mode_its_operator_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An operator's `chmod 0640` on a rule file survives the next apply that rewrites it."""
    ws = workspace(tmp_path / "ws")
    assert bounded_run(ws, capsys, "apply", "--auto-approve").code == 0
    rule_file = ws / "live" / "rules" / "monaco-checkout.rules.yml"
    rule_file.chmod(0o640)
    raise_threshold(ws)
    assert bounded_run(ws, capsys, "apply", "--auto-approve").code == 0
    assert "> 0.95" in rule_file.read_text()
    assert _mode(rule_file) == 0o640


def test_the_umask_decides_and_a_private_file_never_keeps_bits_for_others(tmp_path: Path) -> None:
    """A strict umask is honoured too; replacing a 0644 file privately drops the bits for "other"."""
    previous = os.umask(0o027)
    try:
        write_atomic(tmp_path / "public.yml", "a: 1\n")
        write_atomic(tmp_path / "private.yml", "a: 1\n", private=True)
        shared = tmp_path / "shared.yml"
        shared.write_text("a: 1\n")
        shared.chmod(0o644)
        FileTransaction().write(shared, "a: 2\n", private=True)
    finally:
        os.umask(previous)
    assert _mode(tmp_path / "public.yml") == 0o640
    assert _mode(tmp_path / "private.yml") == 0o600
    assert _mode(shared) == 0o640 and shared.read_text() == "a: 2\n"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")], "no temporary file is left behind"
