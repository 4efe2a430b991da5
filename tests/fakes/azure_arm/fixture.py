"""The pytest fixture that runs a fake ARM server for one test, and the context manager under it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from tests.fakes.azure_arm.clients import ArmClients, arm_clients
from tests.fakes.azure_arm.server import SUBSCRIPTION, AzureArmFake


@contextlib.contextmanager
def running_azure_fake(subscription: str = SUBSCRIPTION, page_size: int = 2) -> Iterator[AzureArmFake]:
    """A started fake, stopped (thread joined, connections closed) on exit; fails if the fake itself raised."""
    fake = AzureArmFake(subscription, page_size).start()
    try:
        yield fake
    finally:
        fake.stop()
    assert not fake.internal_errors, "the fake ARM server raised:\n" + "\n".join(fake.internal_errors)


@pytest.fixture(scope="session")
def azure_arm_server() -> Iterator[AzureArmFake]:
    """One fake ARM server for the session (stopping one takes ThreadedServer's 0.5 s poll); use `azure_fake`."""
    with running_azure_fake() as fake:
        yield fake


@pytest.fixture
def azure_fake(azure_arm_server: AzureArmFake) -> Iterator[AzureArmFake]:
    """The session's fake ARM server (HTTPS on 127.0.0.1, ephemeral port), empty at the start of this test.

    A test module using it imports `azure_arm_server` too (pytest finds fixtures by the names a module holds).
    """
    azure_arm_server.reset()
    yield azure_arm_server
    errors = list(azure_arm_server.internal_errors)
    azure_arm_server.reset()
    assert not errors, "the fake ARM server raised:\n" + "\n".join(errors)


@pytest.fixture
def azure_clients(azure_fake: AzureArmFake) -> Iterator[ArmClients]:
    """The real monitor and rule-group clients pointed at this test's `azure_fake`, closed afterwards."""
    with arm_clients(azure_fake) as clients:
        yield clients
