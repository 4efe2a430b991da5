"""Fixtures of the grafana_alerting tests: the backend known to the CLI, secrets exported, a workspace on the fake."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from monaco import diagnostic_codes
from monaco.backends import REGISTRY
from monaco.backends.grafana_alerting.codes import CODES
from tests.fakes.grafana_provisioning import TOKEN, GrafanaProvisioningFake, grafana_fake
from tests.grafana_alerting.workspace import SECRETS, TOKEN_ENV, GrafanaWorkspace

__all__ = ["grafana_fake"]  # pytest finds fixtures by the names a module holds
KIND = "grafana_alerting"


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The backend in the registry and its codes in the code table, for this test only (a no-op once registered)."""
    if KIND not in REGISTRY:
        monkeypatch.setitem(REGISTRY, KIND, "monaco.backends.grafana_alerting.backend:GrafanaAlertingBackend")
    for code, (level, meaning) in CODES.items():
        if code not in diagnostic_codes.CODES:
            info = diagnostic_codes.CodeInfo("backends.grafana_alerting", level, meaning)
            monkeypatch.setitem(diagnostic_codes.CODES, code, info)
    yield


@pytest.fixture
def secrets_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """The receivers' secrets and the API token in the environment."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv(TOKEN_ENV, TOKEN)


@pytest.fixture
def ws(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], grafana_fake: GrafanaProvisioningFake, secrets_set: None
) -> GrafanaWorkspace:
    """A workspace whose target talks to a fresh fake."""
    workspace = GrafanaWorkspace(tmp_path, capsys, grafana_fake)
    workspace.write()
    return workspace
