"""The `grafana_fake` pytest fixture: a started fake Grafana, empty for each test, stopped when the test ends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.grafana.server import GrafanaFake


@pytest.fixture
def grafana_fake() -> Iterator[GrafanaFake]:
    """A fake Grafana HTTP API on an ephemeral port of 127.0.0.1; fails the test if the fake itself raised."""
    fake = GrafanaFake().start()
    try:
        yield fake
    finally:
        fake.stop()
    assert not fake.internal_errors, "the fake Grafana raised:\n" + "\n".join(fake.internal_errors)
