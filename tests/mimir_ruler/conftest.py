"""Fixtures for the mimir_ruler tests: the fake Mimir, and a conformance-style workspace with a ruler target."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conformance.workspace import Workspace
from tests.fakes.mimir import MimirFake, mimir_fake, mimir_server

__all__ = ["mimir_fake", "mimir_server"]

TENANT = "team-a"


def ruler_config(fake: MimirFake, **extra: Any) -> dict[str, Any]:
    """A target config pointing at the fake, fast retries."""
    return {"url": fake.url, "tenant": TENANT, "max_attempts": 2, "backoff_seconds": 0.0, **extra}


@pytest.fixture
def ws(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """The conformance workspace (two services, an SLO each), its secrets exported."""
    workspace = Workspace(tmp_path / "ws", capsys)
    workspace.export_secrets(monkeypatch)
    return workspace
