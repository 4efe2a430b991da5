"""Conformance kit: Azure Monitor rule groups and action groups on the fake ARM server, through the real SDKs."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conformance.kits.base import BackendKit
from tests.fakes.azure_arm import RULE_GROUPS, SUBSCRIPTION, AzureArmFake, running_azure_fake

GROUP = "rg-monaco"
AMW = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{GROUP}/providers/Microsoft.Monitor/accounts/amw"
TOKEN_ENV = "MONACO_CONFORMANCE_AZURE_TOKEN"
CHECKOUT_GROUP = "monaco-checkout"
"""The rule group checkout's PromQL alert is written to (the workspace has no `azure:` sources)."""


class AzureMonitorKit(BackendKit):
    """A fake ARM server per test (started on first use, stopped by the test's finalizer), the CLI's own clients."""

    kind = "azure_monitor"

    @classmethod
    def golden_config(cls) -> dict[str, Any]:
        """A subscription, resource group and monitor workspace; compile talks to no endpoint."""
        return {
            "subscription_id": SUBSCRIPTION,
            "resource_group": GROUP,
            "location": "westeurope",
            "monitor_workspace": AMW,
        }

    @property
    def fake(self) -> AzureArmFake:
        """This test's fake ARM server, started on first use and stopped when the test ends."""
        found: AzureArmFake | None = self.__dict__.get("_fake")
        if found is None:
            manager = running_azure_fake()
            found = manager.__enter__()
            self.request.addfinalizer(lambda: manager.__exit__(None, None, None))
            self.__dict__["_fake"] = found
        return found

    def config(self, live: bool = False) -> dict[str, Any]:
        """The fake's URL and CA file, a bearer token by reference, fast retries."""
        monkeypatch: pytest.MonkeyPatch = self.fixture("monkeypatch")
        monkeypatch.setenv(TOKEN_ENV, "conformance-token")
        return {
            **self.golden_config(),
            "base_url": self.fake.url,
            "ca_file": str(self.fake.ca_file),
            "credential": "access_token",
            "access_token": {"env": TOKEN_ENV},
            "max_retries": 2,
            "retry_backoff_seconds": 0.01,
        }

    def snapshot(self) -> dict[str, bytes]:
        """Every resource the fake holds, by id, as sorted-key JSON."""
        return self.fake.snapshot()

    def create_unowned(self) -> str:
        """A hand-made rule group (no monaco tags) with the name checkout's rules get."""
        body = {
            "location": "westeurope",
            "tags": {"team": "payments"},
            "properties": {
                "scopes": [AMW],
                "interval": "PT1M",
                "enabled": True,
                "rules": [{"record": "hand:made", "expression": "vector(1)"}],
            },
        }
        self.fake.seed(RULE_GROUPS, GROUP, CHECKOUT_GROUP, body)
        return CHECKOUT_GROUP

    def tamper(self) -> None:
        """Edit checkout's rule group out of band: another evaluation interval, tags kept."""
        key = next(k for k in self.snapshot() if k.lower().endswith(f"/prometheusrulegroups/{CHECKOUT_GROUP}"))
        document = json.loads(self.snapshot()[key])
        document["properties"]["interval"] = "PT5M"
        self.fake.seed(RULE_GROUPS, GROUP, CHECKOUT_GROUP, document)

    @contextlib.contextmanager
    def inject_failure(self) -> Iterator[None]:
        """The second write of the apply fails with a 500 (through the SDK's retries)."""
        self.fake.fail_nth_write(2, status=500)
        try:
            yield
        finally:
            self.fake.faults.reset()

    @contextlib.contextmanager
    def inject_secret_failure(self) -> Iterator[None]:
        """The first write (an action group: it carries the secret webhook URL) fails."""
        self.fake.fail_nth_write(1, status=500)
        try:
            yield
        finally:
            self.fake.faults.reset()

    def secret_places(self) -> list[bytes]:
        """Every action group (their webhook receivers hold the real URLs)."""
        return [v for k, v in self.snapshot().items() if "/actiongroups/" in k.lower()]


KIT = AzureMonitorKit
