"""Conformance kit: Prometheus rule files, live against a real Prometheus."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conformance.kits.base import FileKit
from tests.conformance.live_servers import LiveServer


class PrometheusKit(FileKit):
    """Rule files in a directory; live: a real Prometheus loading that directory, reloaded and verified."""

    kind = "prometheus"
    holds_secrets = False
    unowned_text = "groups:\n  - name: checkout\n    rules: []\n"
    hand_edit = ("severity: high", "severity: low")

    @classmethod
    def golden_config(cls) -> dict[str, Any]:
        """Rules under `out/rules`, the default file prefix."""
        return {"rules_dir": "out/rules"}

    def config(self, live: bool = False) -> dict[str, Any]:
        """The workspace's `live/rules`, or the rules directory of a running Prometheus with its URL."""
        if not live:
            self.place = self.ws.root / "live" / "rules"
            return {"rules_dir": "../live/rules"}
        server: LiveServer = self.fixture("conformance_prometheus")
        server.reset()
        self.place = server.place
        return {"rules_dir": str(server.place), "url": server.url}

    def checkout_file(self) -> Path:
        """checkout's rule file."""
        return self.place / "monaco-checkout.rules.yml"


KIT = PrometheusKit
