"""Throwaway workspaces for rule tests: spec text in, engine session and compiled rule files out."""

from __future__ import annotations

import textwrap
from pathlib import Path

from monaco import engine
from monaco.diagnostics import Diagnostic
from monaco.engine import Session
from tests.cli.workspace import TARGETS

BASE_CONFIG = """\
route: {receiver: default}
receivers: [{name: default}]
"""


def write_workspace(root: Path, **specs: str) -> Path:
    """Spec files (name -> YAML text) under `root/specs`, Prometheus and Alertmanager targets under `root/targets`."""
    (root / "specs").mkdir(parents=True)
    for name, text in specs.items():
        (root / "specs" / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    (root / "targets" / "_base").mkdir(parents=True)
    (root / "targets" / "_base" / "alertmanager.yml").write_text(BASE_CONFIG, encoding="utf-8")
    (root / "targets" / "targets.yaml").write_text(TARGETS, encoding="utf-8")
    return root


def load(root: Path) -> Session:
    """The engine session of a workspace written by `write_workspace`."""
    return engine.load([root / "specs"], [root / "targets"])


def codes(root: Path) -> list[Diagnostic]:
    """Every diagnostic of loading and rendering the workspace on all targets."""
    session = load(root)
    if not session.diagnostics.has_errors:
        for target in session.targets:
            engine.render(session, target, need_secrets=False)
    return session.diagnostics.sorted()


def compile_workspace(root: Path) -> tuple[int, dict[str, str]]:
    """`monaco compile` of the workspace: its exit code and every written file (path under out -> text)."""
    from monaco.cli.main import main

    out = root / "out"
    code = main(["compile", "--specs", str(root / "specs"), "--targets", str(root / "targets"), "--out", str(out)])
    files = (
        {str(p.relative_to(out)): p.read_text() for p in sorted(out.rglob("*")) if p.is_file()} if out.exists() else {}
    )
    return code, files
