"""A throwaway workspace for CLI tests: the repo's default specs with file targets in a temp dir."""

from __future__ import annotations

import shutil
from pathlib import Path

from monaco.cli.main import main

REPO = Path(__file__).resolve().parents[2]

TARGETS = """\
apiVersion: monaco/v1
kind: Target
metadata: {name: prom}
backend: prometheus
config: {rules_dir: ../live/rules}
---
apiVersion: monaco/v1
kind: Target
metadata: {name: am}
backend: alertmanager
config: {config_file: ../live/alertmanager.yml, base_config: _base/alertmanager.yml}
"""


def make_workspace(root: Path) -> Path:
    """Copy the default specs and base config under `root`, with targets writing to `root/live`."""
    shutil.copytree(REPO / "specs", root / "specs")
    (root / "targets" / "_base").mkdir(parents=True)
    shutil.copy(REPO / "targets" / "_base" / "alertmanager.yml", root / "targets" / "_base" / "alertmanager.yml")
    (root / "targets" / "targets.yaml").write_text(TARGETS)
    return root


def run(root: Path, *args: str) -> int:
    """Run `monaco` with the workspace's specs and targets."""
    command, *rest = args
    return main([command, "--specs", str(root / "specs"), "--targets", str(root / "targets"), *rest])
