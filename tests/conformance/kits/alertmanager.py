"""Conformance kit: the Alertmanager config file, live against a real Alertmanager."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conformance.kits.base import FileKit
from tests.conformance.live_servers import BASE_CONFIG_FILE, LiveServer, write_base_config


class AlertmanagerKit(FileKit):
    """One config file from a base config; live: a real Alertmanager reading it, reloaded and verified."""

    kind = "alertmanager"
    unowned_text = "route:\n  receiver: ops\nreceivers:\n  - name: ops\n"
    hand_edit = ("payments-oncall@example.com", "someone@example.com")

    @classmethod
    def golden_config(cls) -> dict[str, Any]:
        """The config at `out/alertmanager.yml`, built on the workspace's base config."""
        return {"config_file": "out/alertmanager.yml", "base_config": BASE_CONFIG_FILE}

    @classmethod
    def write_inputs(cls, targets: Path) -> None:
        """The platform's base config."""
        write_base_config(targets)

    def config(self, live: bool = False) -> dict[str, Any]:
        """The workspace's `live/alertmanager.yml`, or a running Alertmanager's config file and URL."""
        if not live:
            self.place = self.ws.root / "live" / "alertmanager.yml"
            return {"config_file": "../live/alertmanager.yml", "base_config": BASE_CONFIG_FILE}
        server: LiveServer = self.fixture("conformance_alertmanager")
        server.reset()
        self.place = server.place
        return {"config_file": str(server.place), "base_config": BASE_CONFIG_FILE, "url": server.url}

    def checkout_file(self) -> Path:
        """The one config file (every service's routes are in it)."""
        return self.place


KIT = AlertmanagerKit
