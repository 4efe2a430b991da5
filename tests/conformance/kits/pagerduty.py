"""Conformance kit: PagerDuty services on the fake PagerDuty (HTTPS), through the CLI's own `pagerduty` client.

The conformance workspace's team declares no on-call, so the target names a default escalation policy,
made by hand in the fake (as an account's existing policy would be): every service is rendered under it.
The backend carries no receiver secret (integration keys are PagerDuty's own), so `holds_secrets` is False
and the live system must hold no canary.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conformance.kits.base import BackendKit
from tests.fakes.pagerduty import PagerDutyFake, running_pagerduty_fake

TOKEN_ENV = "MONACO_CONFORMANCE_PD_TOKEN"
DEFAULT_POLICY = "Payments on-call"
CHECKOUT_SERVICE = "monaco-checkout"


class PagerDutyKit(BackendKit):
    """A fake PagerDuty per test (started on first use, stopped by the test's finalizer)."""

    kind = "pagerduty"
    holds_secrets = False

    @classmethod
    def golden_config(cls) -> dict[str, Any]:
        """A token by reference and the default policy; compile talks to no endpoint."""
        return {"token": {"env": TOKEN_ENV}, "default_escalation_policy": DEFAULT_POLICY}

    @property
    def fake(self) -> PagerDutyFake:
        """This test's fake, with the account's existing user and escalation policy made by hand."""
        found: PagerDutyFake | None = self.__dict__.get("_fake")
        if found is None:
            manager = running_pagerduty_fake()
            found = manager.__enter__()
            self.request.addfinalizer(lambda: manager.__exit__(None, None, None))
            user = found.add_user("Olive Oncall", "oncall@example.com")
            self.__dict__["_policy"] = found.add_policy(DEFAULT_POLICY, user["id"])["id"]
            self.__dict__["_fake"] = found
        return found

    def config(self, live: bool = False) -> dict[str, Any]:
        """The fake's URL and certificate, the token by reference, quick retries."""
        monkeypatch: pytest.MonkeyPatch = self.fixture("monkeypatch")
        monkeypatch.setenv(TOKEN_ENV, self.fake.token)
        return {
            **self.golden_config(),
            "base_url": self.fake.url,
            "ca_file": self.fake.ca_file,
            "backoff_seconds": 0.01,
        }

    def snapshot(self) -> dict[str, bytes]:
        """Every object the fake holds, by collection and id, as sorted-key JSON."""
        return self.fake.snapshot()

    def create_unowned(self) -> str:
        """A hand-made service (no marker in its description) with the name checkout's gets."""
        self.fake.add_unowned_service(CHECKOUT_SERVICE, self.__dict__["_policy"])
        return CHECKOUT_SERVICE

    def tamper(self) -> None:
        """Edit checkout's service by hand: a shorter acknowledgement timeout (its marker kept)."""
        service = next(s for s in self.fake.store.listed("services") if s["name"] == CHECKOUT_SERVICE)
        self.fake.store.put_service({"acknowledgement_timeout": 600}, service["id"])

    @contextlib.contextmanager
    def inject_failure(self) -> Iterator[None]:
        """The first write of the apply fails with a 500 (the client does not retry it)."""
        self.fake.fail_nth_write(1)
        try:
            yield
        finally:
            self.fake.faults.reset()

    @contextlib.contextmanager
    def inject_secret_failure(self) -> Iterator[None]:
        """No write carries a receiver secret here: checkout is edited by hand, and restoring it fails."""
        self.tamper()
        with self.inject_failure():
            yield


KIT = PagerDutyKit
