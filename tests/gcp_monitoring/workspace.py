"""A gcp_monitoring workspace for tests: the specs here, one target pointed at the fake, the CLI run in-process."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from monaco.engine import load
from monaco.ir.nodes import Model
from tests.cli_run import Run, apply_then_empty_plan, run_cli
from tests.fakes.gcp_monitoring import GcpFake

SPECS = Path(__file__).parent / "specs"
PROJECT = "monaco-test"
PARENT = f"projects/{PROJECT}"
TARGET = "gcp-test"
SECRETS = {
    "GCP_TEST_PD_KEY": "pd0routing0key0for0gcp0tests0000",
    "GCP_TEST_HOOK_URL": "https://hooks.example.com/gcp-test-token",
}
"""Values behind the specs' secret references: they must reach the fake and appear in no output."""


@dataclass(slots=True)
class GcpWorkspace:
    """specs/ (copied from the tests' specs), targets/ with one gcp_monitoring target, and the fake it talks to."""

    root: Path
    capsys: pytest.CaptureFixture[str]
    fake: GcpFake | None = None

    @property
    def specs(self) -> Path:
        """The spec directory."""
        return self.root / "specs"

    @property
    def targets(self) -> Path:
        """The target directory."""
        return self.root / "targets"

    def write(self, **config: Any) -> None:
        """The specs, and the target with `config` over the defaults (the fake's endpoint when there is one)."""
        if not self.specs.exists():
            shutil.copytree(SPECS, self.specs)
        self.targets.mkdir(parents=True, exist_ok=True)
        base: dict[str, Any] = {"project": PROJECT, "backoff_seconds": 0}
        if self.fake is not None:
            base |= {"endpoint": self.fake.endpoint, "plaintext": True}
        target = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": TARGET}}
        target |= {"backend": "gcp_monitoring", "config": base | config}
        (self.targets / "target.yaml").write_text(json.dumps(target, indent=2) + "\n", encoding="utf-8")

    def edit(self, name: str, old: str, new: str) -> None:
        """Replace `old` by `new` in spec file `name` (it must be there)."""
        path = self.specs / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def run(self, *args: str) -> Run:
        """`monaco COMMAND` on this workspace, in-process; never a traceback, never a secret in the output."""
        return run_cli(self.capsys, self.specs, self.targets, args, SECRETS.values())

    def converge(self) -> Run:
        """Apply, then require an empty plan."""
        return apply_then_empty_plan(self.run)


def load_model(ws: GcpWorkspace) -> Model:
    """The workspace's lowered model (the IR the backend renders)."""
    session = load([ws.specs], [ws.targets])
    assert session.model is not None, [str(d) for d in session.diagnostics]
    return session.model
