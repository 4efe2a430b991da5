"""Drills that cannot run, checked through the CLI without any server: each names its code and sends nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.drill.workspace import PAGER_KEY_ENV, monaco, target_doc, write_specs, write_targets


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Specs plus a Prometheus target and an Alertmanager target without `url`."""
    monkeypatch.setenv(PAGER_KEY_ENV, "drill-test-not-a-real-key")
    write_specs(tmp_path / "specs", "http://127.0.0.1:9")
    write_targets(
        tmp_path / "targets",
        target_doc("prom", "prometheus", {"rules_dir": "../rules"}),
        target_doc("am", "alertmanager", {"config_file": "../am/alertmanager.yml"}),
    )
    return tmp_path


def _drill(root: Path, target: str, *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `monaco drill --target TARGET ARGS`."""
    result = monaco("drill", "--specs", root / "specs", "--targets", root / "targets", "--target", target, *args)
    return result.returncode, result.stdout, result.stderr


def test_a_backend_without_a_drill_is_mon450(root: Path) -> None:
    """A prometheus target has no pipeline to send through: MON450, exit 1, "not sent"."""
    code, out, err = _drill(root, "prom", "--yes")
    assert code == 1 and "MON450" in err and "not sent" in out


def test_an_alertmanager_target_without_url_is_mon455(root: Path) -> None:
    """No live server is configured: MON455, exit 1, and the JSON report says nothing was delivered."""
    code, out, err = _drill(root, "am", "--yes", "--format", "json")
    assert code == 1 and "MON455" in err
    report = json.loads(out)
    assert report["ok"] is False and report["receivers"] == [] and report["expected"] == ["pay-hook"]


def test_the_confirmation_comes_before_anything_is_loaded(root: Path) -> None:
    """Without --yes and stdin not a terminal the answer is MON451 even for a target that does not exist."""
    code, _, err = _drill(root, "nowhere")
    assert code == 1 and "MON451" in err


def test_an_unknown_target_is_mon131(root: Path) -> None:
    """`--target` must name a defined target."""
    code, _, err = _drill(root, "nowhere", "--yes")
    assert code == 1 and "MON131" in err
