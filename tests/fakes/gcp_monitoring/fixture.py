"""The `gcp_fake` pytest fixture: a started fake and real clients pointed at it, both closed at teardown."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.fakes.gcp_monitoring.clients import GcpClients, make_clients
from tests.fakes.gcp_monitoring.server import GcpMonitoringFake


@dataclass(frozen=True)
class GcpFake:
    """What the fixture yields: the server (hooks, endpoint) and the three clients."""

    server: GcpMonitoringFake
    clients: GcpClients

    @property
    def endpoint(self) -> str:
        """`127.0.0.1:PORT`."""
        return self.server.endpoint


@pytest.fixture
def gcp_fake() -> Iterator[GcpFake]:
    """A fake Cloud Monitoring server on an ephemeral port, stopped (and its clients closed) at teardown."""
    server = GcpMonitoringFake().start()
    clients = make_clients(server.endpoint)
    try:
        yield GcpFake(server=server, clients=clients)
    finally:
        clients.close()
        server.stop()
