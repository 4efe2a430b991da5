"""Conformance fixtures: a workspace per test, one kit per registered backend, and the servers kits may need."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from monaco.backends import REGISTRY
from tests.aws.conftest import aws
from tests.conformance.kits import KITS, BackendKit
from tests.conformance.live_servers import LiveServer, alertmanager_server, prometheus_server
from tests.conformance.workspace import TARGET, Workspace

__all__ = ["aws"]  # the per-test moto reset of tests/aws; the session's one moto server is tests/conftest.py's


@pytest.fixture
def ws(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """An empty workspace with its canary secrets exported."""
    workspace = Workspace(tmp_path / "ws", capsys)
    workspace.export_secrets(monkeypatch)
    return workspace


@pytest.fixture(params=sorted(REGISTRY))
def kit(request: pytest.FixtureRequest, ws: Workspace) -> BackendKit:
    """The kit of one registered backend kind, bound to this test's workspace."""
    kind = request.param
    if kind not in KITS:
        pytest.fail(
            f"backend {kind!r} is registered but has no conformance kit: add one to tests/conformance/kits/<kind>.py"
        )
    return KITS[kind](ws, request)


@pytest.fixture(scope="module")
def conformance_prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real Prometheus for this module's tests, stopped by PID at the end."""
    yield from prometheus_server(tmp_path_factory.mktemp("prometheus"))


@pytest.fixture(scope="module")
def conformance_alertmanager(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real Alertmanager for this module's tests, its config bootstrapped for the conformance target."""
    yield from alertmanager_server(tmp_path_factory.mktemp("alertmanager"), TARGET)
