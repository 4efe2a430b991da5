"""Fixtures of the gcp_monitoring tests: the backend registered, the fake server, a workspace pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from monaco.backends import REGISTRY, source_families
from monaco.backends.gcp_monitoring.codes import CODES as GCP_CODES
from monaco.diagnostic_codes import CODES, _codes
from tests.fakes.gcp_monitoring import GcpFake, gcp_fake
from tests.gcp_monitoring.workspace import SECRETS, GcpWorkspace

__all__ = ["gcp_fake"]
BACKEND = "monaco.backends.gcp_monitoring.backend:GcpMonitoringBackend"


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The backend in the registry (a no-op once its line is there), source families re-read with it."""
    monkeypatch.setitem(REGISTRY, "gcp_monitoring", BACKEND)
    for code, info in _codes("backends.gcp_monitoring", GCP_CODES).items():
        monkeypatch.setitem(CODES, code, info)
    source_families.cache_clear()
    yield
    source_families.cache_clear()


@pytest.fixture
def secrets_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """The specs' secret references set to the test values."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def ws(tmp_path: Path, capsys: pytest.CaptureFixture[str], gcp_fake: GcpFake, secrets_set: None) -> GcpWorkspace:
    """The test specs and a target on the fake (written with defaults; call `write` again to change them)."""
    workspace = GcpWorkspace(tmp_path / "ws", capsys, gcp_fake)
    workspace.write()
    return workspace


@pytest.fixture
def offline(tmp_path: Path, capsys: pytest.CaptureFixture[str], secrets_set: None) -> GcpWorkspace:
    """The test specs and a target with no endpoint (validate and compile only)."""
    workspace = GcpWorkspace(tmp_path / "ws", capsys)
    workspace.write()
    return workspace
