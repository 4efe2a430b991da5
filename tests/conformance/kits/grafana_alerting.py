"""Conformance kit: Grafana-managed alerting on the fake provisioning API, through grafana-client."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from monaco.backends.grafana_alerting.config import rule_uid
from tests.conformance.kits.base import BackendKit
from tests.fakes.grafana_provisioning import TOKEN, GrafanaProvisioningFake
from tests.fakes.grafana_provisioning.out_of_band import add_rule, edit, simple_rule

TOKEN_ENV = "MONACO_CONFORMANCE_GRAFANA_TOKEN"
FOLDER = "monaco"


class GrafanaAlertingKit(BackendKit):
    """A fake Grafana per test (started on first use, stopped by the test's finalizer), a token by reference."""

    kind = "grafana_alerting"

    @classmethod
    def golden_config(cls) -> dict[str, Any]:
        """A Grafana URL and datasource; compile talks to no server."""
        return {"url": "https://grafana.example.com", "datasource_uid": "prometheus"}

    @property
    def fake(self) -> GrafanaProvisioningFake:
        """This test's fake Grafana, started on first use and stopped (thread joined) when the test ends."""
        found: GrafanaProvisioningFake | None = self.__dict__.get("_fake")
        if found is None:
            found = GrafanaProvisioningFake().start()
            self.request.addfinalizer(found.stop)
            self.__dict__["_fake"] = found
        return found

    def config(self, live: bool = False) -> dict[str, Any]:
        """The fake's URL and a service account token by reference."""
        monkeypatch: pytest.MonkeyPatch = self.fixture("monkeypatch")
        monkeypatch.setenv(TOKEN_ENV, TOKEN)
        return {**self.golden_config(), "url": self.fake.url, "token": {"env": TOKEN_ENV}}

    def snapshot(self) -> dict[str, bytes]:
        """Every folder, rule, group, contact point (with its secure values) and the policy tree, as JSON."""
        return self.fake.snapshot()

    def create_unowned(self) -> str:
        """A rule made in the UI with the uid checkout's HighCPU rule gets, in monaco's folder and group."""
        uid = rule_uid("checkout", "HighCPU")
        add_rule(self.fake, simple_rule(FOLDER, "checkout", "Hand made CPU", uid=uid))
        return f"checkout/{uid}"

    def tamper(self) -> None:
        """Someone changes checkout's HighCPU rule's pending period in the database."""
        edit(self.fake, "rule", rule_uid("checkout", "HighCPU"), {"for": "30m"})

    @contextlib.contextmanager
    def inject_failure(self) -> Iterator[None]:
        """The second write of the apply answers 500."""
        self.fake.fail_nth_write(2, status=500)
        try:
            yield
        finally:
            self.fake.fail_nth_write(0)

    @contextlib.contextmanager
    def inject_secret_failure(self) -> Iterator[None]:
        """The first write of the apply (a contact point, carrying a secret) answers 500."""
        self.fake.fail_nth_write(1, status=500)
        try:
            yield
        finally:
            self.fake.fail_nth_write(0)

    def secret_places(self) -> list[bytes]:
        """Every contact point (their secure settings hold the real values)."""
        return [value for key, value in self.snapshot().items() if key.startswith("contact-point/")]


KIT = GrafanaAlertingKit
