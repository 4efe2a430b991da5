"""The pytest fixtures that run a fake Mimir for a test, and the context manager under them."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from tests.fakes.mimir.server import MimirFake


@contextlib.contextmanager
def running_mimir_fake() -> Iterator[MimirFake]:
    """A started fake, stopped (thread joined) on exit; fails if the fake itself raised."""
    fake = MimirFake().start()
    try:
        yield fake
    finally:
        fake.stop()
    assert not fake.internal_errors, "the fake Mimir raised:\n" + "\n".join(fake.internal_errors)


@pytest.fixture(scope="session")
def mimir_server() -> Iterator[MimirFake]:
    """One fake Mimir for the session (stopping one waits for the server's poll); tests use `mimir_fake`."""
    with running_mimir_fake() as fake:
        yield fake


@pytest.fixture
def mimir_fake(mimir_server: MimirFake) -> Iterator[MimirFake]:
    """The session's fake Mimir (HTTP on 127.0.0.1, ephemeral port), empty at the start of this test.

    A test module using it imports `mimir_server` too (pytest finds fixtures by the names a module holds).
    """
    mimir_server.reset()
    yield mimir_server
    errors = list(mimir_server.internal_errors)
    mimir_server.reset()
    assert not errors, "the fake Mimir raised:\n" + "\n".join(errors)
