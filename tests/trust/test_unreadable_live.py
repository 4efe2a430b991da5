"""A live place that cannot be read is a diagnostic naming the target, for plan and apply, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.workspace import make_workspace, run


def test_a_directory_where_the_alertmanager_config_belongs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """plan says MON421 for that target (exit 1); apply writes nothing there and says so."""
    ws = make_workspace(tmp_path)
    (ws / "live" / "alertmanager.yml").mkdir(parents=True)
    assert run(ws, "plan") == 1
    err = capsys.readouterr().err
    assert "MON421" in err and "target am: cannot read what is live" in err and "Traceback" not in err
    assert run(ws, "apply", "--auto-approve") == 1
    assert "Traceback" not in capsys.readouterr().err
    assert (ws / "live" / "alertmanager.yml").is_dir()
