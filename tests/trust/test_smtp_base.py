"""An email receiver needs the base config's global SMTP settings: validate says so instead of a refused reload."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from monaco.cli.main import main
from tests.cli.workspace import make_workspace
from tests.conftest import require_tool


def _validate(ws: Path) -> int:
    return main(["validate", str(ws / "specs"), "--targets", str(ws / "targets")])


def test_an_email_receiver_without_global_smtp_is_a_validate_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """MON305 at the receiver, and amtool agrees the compiled config would be refused."""
    amtool = require_tool("amtool")
    ws = make_workspace(tmp_path)
    base = ws / "targets" / "_base" / "alertmanager.yml"
    base.write_text("".join(line for line in base.read_text().splitlines(True) if "smtp_" not in line))
    assert _validate(ws) == 1
    err = capsys.readouterr().err
    assert "MON305" in err and "payments-email" in err and "payments-team.yaml:" in err
    assert (
        main(["compile", "--specs", str(ws / "specs"), "--targets", str(ws / "targets"), "--out", str(ws / "out")]) == 1
    )
    written = next((ws / "out").rglob("alertmanager.yml"))
    checked = subprocess.run([amtool, "check-config", str(written)], capture_output=True, text=True)
    assert checked.returncode != 0 and "smtp" in (checked.stdout + checked.stderr).lower()


def test_the_default_base_config_with_smtp_validates(tmp_path: Path) -> None:
    """The repo's base config sets both, so the same specs validate."""
    assert _validate(make_workspace(tmp_path)) == 0
