"""Conformance kit: dashboards on the fake Grafana HTTP API (tests/fakes/grafana), through grafana-client."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conformance.kits.base import BackendKit
from tests.fakes.grafana import TOKEN, GrafanaFake

TOKEN_ENV = "MONACO_CONFORMANCE_GRAFANA_TOKEN"
CHECKOUT_UID = "monaco-checkout"


class GrafanaDashboardsKit(BackendKit):
    """A fake Grafana per test; the target authenticates with a token given by reference.

    Dashboards hold no receiver secrets (they draw series, they notify no one), so `holds_secrets` is False.
    Writes of an apply: the lock dashboard first, then the folder (first apply only), then deletes, then posts.
    """

    kind = "grafana_dashboards"
    holds_secrets = False

    @classmethod
    def golden_config(cls) -> dict[str, Any]:
        """Provisioning files under `out/grafana`: compile talks to no server."""
        return {"dashboards_dir": "out/grafana"}

    @property
    def server(self) -> GrafanaFake:
        """The fake of this test, started on first use and stopped when the test ends."""
        if "server" not in self.__dict__:
            server = GrafanaFake().start()
            self.request.addfinalizer(server.stop)
            self.__dict__["server"] = server
        found: GrafanaFake = self.__dict__["server"]
        return found

    def config(self, live: bool = False) -> dict[str, Any]:
        """The fake's URL and the token's reference (exported for the test)."""
        monkeypatch: pytest.MonkeyPatch = self.fixture("monkeypatch")
        monkeypatch.setenv(TOKEN_ENV, TOKEN)
        return {"url": self.server.url, "token": {"env": TOKEN_ENV}}

    def snapshot(self) -> dict[str, bytes]:
        """Every folder and dashboard the fake holds (canonical JSON)."""
        return {"state": self.server.snapshot()}

    def create_unowned(self) -> str:
        """A hand-made dashboard at checkout's uid."""
        self.server.add_unowned_dashboard(CHECKOUT_UID, "Checkout by hand")
        return CHECKOUT_UID

    def tamper(self) -> None:
        """Someone edits checkout's dashboard in the UI (its description), keeping monaco's tags."""
        found = self.server.store.dashboard(CHECKOUT_UID)
        edited = {**found["dashboard"], "description": "edited by hand"}
        self.server.add_dashboard(edited, str(found["meta"]["folderUid"]))

    @contextlib.contextmanager
    def inject_failure(self) -> Iterator[None]:
        """The third write of the apply answers 500 (the first is the lock, the second basket's delete)."""
        self.server.fail_nth_write(3)
        try:
            yield
        finally:
            fired = self.server.pending_faults() == 0
            self.server.clear_faults()
        assert fired, "the fault was never injected"


KIT = GrafanaDashboardsKit
