"""Fixtures of the grafana_alerting tests: secrets exported, a workspace on a fresh fake."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.grafana_provisioning import TOKEN, GrafanaProvisioningFake, grafana_fake
from tests.grafana_alerting.workspace import SECRETS, TOKEN_ENV, GrafanaWorkspace

__all__ = ["grafana_fake"]  # pytest finds fixtures by the names a module holds


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
