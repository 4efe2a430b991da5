"""The pytest fixtures that run a fake PagerDuty for one test and point the real `pagerduty` clients at it."""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes.pagerduty.server import TOKEN, PagerDutyFake


@contextlib.contextmanager
def running_pagerduty_fake(token: str = TOKEN) -> Iterator[PagerDutyFake]:
    """A started fake, stopped (thread joined, connections closed) on exit; fails if the fake itself raised."""
    fake = PagerDutyFake(token).start()
    try:
        yield fake
    finally:
        fake.stop()
    assert not fake.internal_errors, "the fake PagerDuty raised:\n" + "\n".join(fake.internal_errors)


def trust(fake: PagerDutyFake) -> ssl.SSLContext:
    """A client TLS context that trusts the fake's self-signed certificate (and nothing else)."""
    return ssl.create_default_context(cafile=fake.ca_file)


def rest_client(fake: PagerDutyFake, token: str | None = None) -> Any:
    """The real `pagerduty.RestApiV2Client` aimed at the fake (its `url`), trusting its certificate, quick retries."""
    import pagerduty

    client = pagerduty.RestApiV2Client(token or fake.token, default_from="monaco@example.com", verify=trust(fake))
    client.url = fake.url
    client.sleep_timer = 0.01
    return client


def events_client(fake: PagerDutyFake, routing_key: str) -> Any:
    """The real `pagerduty.EventsApiV2Client` for one routing key, aimed at the fake."""
    import pagerduty

    client = pagerduty.EventsApiV2Client(routing_key, verify=trust(fake))
    client.url = fake.url
    client.sleep_timer = 0.01
    return client


@pytest.fixture(scope="session")
def pagerduty_server() -> Iterator[PagerDutyFake]:
    """One fake for the session (stopping one takes the server's 0.5 s poll); tests use `pagerduty_fake`."""
    with running_pagerduty_fake() as fake:
        yield fake


@pytest.fixture
def pagerduty_fake(pagerduty_server: PagerDutyFake) -> Iterator[PagerDutyFake]:
    """The session's fake PagerDuty (HTTPS on 127.0.0.1, ephemeral port), empty at the start of this test."""
    pagerduty_server.reset()
    yield pagerduty_server
    errors = list(pagerduty_server.internal_errors)
    pagerduty_server.reset()
    assert not errors, "the fake PagerDuty raised:\n" + "\n".join(errors)


@pytest.fixture
def pagerduty_client(pagerduty_fake: PagerDutyFake) -> Iterator[Any]:
    """A real `RestApiV2Client` pointed at this test's `pagerduty_fake`, closed afterwards."""
    client = rest_client(pagerduty_fake)
    try:
        yield client
    finally:
        client.close()
