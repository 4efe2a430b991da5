"""Conformance kit: rule groups and the tenant's Alertmanager config on the fake Mimir (one per test), over HTTP."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from tests.conformance.kits.base import BackendKit
from tests.conformance.live_servers import BASE_CONFIG_FILE, write_base_config
from tests.fakes.mimir import MimirFake, running_mimir_fake

TENANT = "conformance-tenant"
CHECKOUT_NAMESPACE = "monaco-checkout"


class MimirRulerKit(BackendKit):
    """A fake Mimir per test (started on first use, stopped by the test's finalizer); groups checked by promtool.

    The target manages the tenant's Alertmanager config too (`alertmanager: true`, on the platform's base
    config), so the receivers' secrets live in the fake's stored config.
    """

    kind = "mimir_ruler"

    @classmethod
    def golden_config(cls) -> dict[str, Any]:
        """A ruler URL and tenant, and the Alertmanager config on the workspace's base; compile talks to no server."""
        return {
            "url": "https://mimir.example.com",
            "tenant": TENANT,
            "alertmanager": True,
            "alertmanager_base_config": BASE_CONFIG_FILE,
        }

    @classmethod
    def write_inputs(cls, targets: Path) -> None:
        """The platform's Alertmanager base config (the alertmanager kit's)."""
        write_base_config(targets)

    @property
    def fake(self) -> MimirFake:
        """This test's fake Mimir, started on first use and stopped when the test ends."""
        found: MimirFake | None = self.__dict__.get("_fake")
        if found is None:
            manager = running_mimir_fake()
            found = manager.__enter__()
            self.request.addfinalizer(lambda: manager.__exit__(None, None, None))
            self.__dict__["_fake"] = found
        return found

    def config(self, live: bool = False) -> dict[str, Any]:
        """The fake's URL and tenant, fast retries."""
        return {**self.golden_config(), "url": self.fake.url, "max_attempts": 2, "backoff_seconds": 0.0}

    def snapshot(self) -> dict[str, bytes]:
        """Every group (and Alertmanager config) the fake holds, by tenant, namespace and name."""
        return self.fake.snapshot()

    def secret_places(self) -> list[bytes]:
        """The tenant's stored Alertmanager config, which must hold the receivers' real secret values."""
        return [v for k, v in self.snapshot().items() if k.startswith("alertmanager/")]

    def create_unowned(self) -> str:
        """A hand-made group in checkout's namespace, without monaco's owner marker."""
        group = {"name": "checkout", "rules": [{"record": "hand:made", "expr": "vector(1)"}]}
        self.fake.seed_group(TENANT, CHECKOUT_NAMESPACE, group)
        return CHECKOUT_NAMESPACE

    def tamper(self) -> None:
        """Edit checkout's own group out of band (another evaluation interval), its namespace's marker kept."""
        key = f"rules/{TENANT}/{CHECKOUT_NAMESPACE}/checkout"
        group = yaml.safe_load(self.snapshot()[key])
        group["interval"] = "5m"
        self.fake.seed_group(TENANT, CHECKOUT_NAMESPACE, group)

    @contextlib.contextmanager
    def inject_failure(self) -> Iterator[None]:
        """The second write of the apply is refused with a 400 (not retried)."""
        self.fake.fail_nth_write(2, status=400)
        try:
            yield
        finally:
            self.fake.faults.reset()


KIT = MimirRulerKit
