"""A gcp_monitoring workspace for tests: the specs here, one target pointed at the fake, the CLI run in-process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from monaco.engine import load
from monaco.ir.nodes import Model
from tests.cli_run import CliWorkspace
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
class GcpWorkspace(CliWorkspace):
    """specs/ (copied from the tests' specs), targets/ with one gcp_monitoring target, and the fake it talks to."""

    fake: GcpFake | None = None
    secrets: ClassVar[tuple[str, ...]] = tuple(SECRETS.values())

    def write(self, **config: Any) -> None:
        """The specs, and the target with `config` over the defaults (the fake's endpoint when there is one)."""
        base: dict[str, Any] = {"project": PROJECT, "backoff_seconds": 0}
        if self.fake is not None:
            base |= {"endpoint": self.fake.endpoint, "plaintext": True}
        self.write_target(SPECS, "gcp_monitoring", TARGET, base | config)


def load_model(ws: GcpWorkspace) -> Model:
    """The workspace's lowered model (the IR the backend renders)."""
    session = load([ws.specs], [ws.targets])
    assert session.model is not None, [str(d) for d in session.diagnostics]
    return session.model
