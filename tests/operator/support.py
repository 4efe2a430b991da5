"""The operator test workspace: compile it, copy it to a scratch directory, and read manifest streams."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from monaco.cli.main import main

WORKSPACE = Path(__file__).parent / "workspace"
GOLDEN = Path(__file__).parent / "golden"
OPERATOR_TARGET = "k8s"
PROMETHEUS_TARGET = "prom"


def compile_workspace(root: Path, out: Path) -> dict[str, str]:
    """`monaco compile` of a workspace: every written file (path under `out` -> text)."""
    code = main(["compile", "--specs", str(root / "specs"), "--targets", str(root / "targets"), "--out", str(out)])
    assert code == 0
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file()}


def operator_only_copy(root: Path) -> Path:
    """A scratch copy of the workspace whose only target is the operator one (so apply writes only manifests)."""
    shutil.copytree(WORKSPACE / "specs", root / "specs")
    (root / "targets").mkdir()
    text = (WORKSPACE / "targets" / "targets.yaml").read_text(encoding="utf-8")
    operator_doc = next(doc for doc in text.split("\n---\n") if "backend: prometheus_operator" in doc)
    (root / "targets" / "targets.yaml").write_text(operator_doc + "\n", encoding="utf-8")
    return root


def documents(text: str) -> list[dict[str, Any]]:
    """The documents of a YAML stream."""
    return [d for d in YAML(typ="safe", pure=True).load_all(text) if d is not None]


def run(root: Path, *args: str) -> int:
    """A monaco command against the scratch workspace's specs and targets."""
    return main([*args, "--specs", str(root / "specs"), "--targets", str(root / "targets")])
