"""Golden files of what a mimir_ruler target compiles (mimirtool rules files), each group checked by promtool."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from tests.conformance.workspace import Workspace
from tests.conftest import require_tool

GOLDEN = Path(__file__).parent / "golden"
CONFIG = {"url": "https://mimir.example.com", "tenant": "team-a"}


def _compiled(ws: Workspace, out: Path) -> dict[str, str]:
    """`monaco compile --out` for the workspace's one target; file name -> text."""
    compiled = ws.run("compile", "--out", str(out))
    assert compiled.code == 0, compiled.output
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.yaml"))}


def test_compiled_files_match_golden(ws: Workspace, tmp_path: Path, update_golden: bool) -> None:
    """Per service namespace and per target namespace, byte for byte."""
    for mode, extra in (("per_service", {}), ("per_target", {"namespace": "per_target"})):
        ws.write("mimir_ruler", {**CONFIG, **extra})
        files = _compiled(ws, tmp_path / mode)
        assert files
        for name, text in files.items():
            golden = GOLDEN / mode / name
            if update_golden:
                golden.parent.mkdir(parents=True, exist_ok=True)
                golden.write_text(text, encoding="utf-8")
            assert golden.read_text(encoding="utf-8") == text, f"{golden} differs; rerun with --update-golden"
        assert sorted(p.name for p in (GOLDEN / mode).iterdir()) == sorted(files)


def test_every_compiled_group_passes_promtool(ws: Workspace, tmp_path: Path) -> None:
    """The groups of each namespace file, as a Prometheus rule file, pass `promtool check rules`."""
    promtool = require_tool("promtool")
    ws.write("mimir_ruler", CONFIG)
    checked = []
    for name, text in _compiled(ws, tmp_path / "out").items():
        document = yaml.safe_load(text)
        rule_file = tmp_path / f"check-{name}"
        rule_file.write_text(yaml.safe_dump({"groups": document["groups"]}, sort_keys=False), encoding="utf-8")
        checked.append(str(rule_file))
    done = subprocess.run([promtool, "check", "rules", *checked], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and len(checked) == 2, done.stdout + done.stderr
