"""The `grafana_fake` pytest fixture: a started fake Grafana provisioning API, stopped (thread joined) at teardown."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.grafana_provisioning.server import GrafanaProvisioningFake


@pytest.fixture
def grafana_fake() -> Iterator[GrafanaProvisioningFake]:
    """A fresh fake on an ephemeral port of 127.0.0.1."""
    fake = GrafanaProvisioningFake().start()
    try:
        yield fake
    finally:
        fake.stop()
