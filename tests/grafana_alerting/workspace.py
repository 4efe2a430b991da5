"""A grafana_alerting workspace for tests: the specs here, one target pointed at the fake, the CLI run in-process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from monaco.engine import load
from monaco.ir.nodes import Model
from tests.cli_run import CliWorkspace
from tests.fakes.grafana_provisioning import TOKEN, GrafanaProvisioningFake

SPECS = Path(__file__).parent / "specs"
TARGET = "grafana-test"
TOKEN_ENV = "GRAFANA_TEST_TOKEN"
SECRETS = {
    "GRAFANA_TEST_PD_KEY": "pd0routing0key0for0grafana0tests",
    "GRAFANA_TEST_SLACK_URL": "https://hooks.slack.com/services/T0/B0/grafana-test-slack-token",
    "GRAFANA_TEST_HOOK_URL": "https://hooks.example.com/grafana-test-token",
}
"""Values behind the specs' secret references: they must reach the fake and appear in no output."""


@dataclass(slots=True)
class GrafanaWorkspace(CliWorkspace):
    """specs/ (copied from the tests' specs), targets/ with one grafana_alerting target, and the fake it talks to."""

    fake: GrafanaProvisioningFake | None = None
    secrets: ClassVar[tuple[str, ...]] = (*SECRETS.values(), TOKEN)

    def write(self, **config: Any) -> None:
        """The specs, and the target with `config` over the defaults (the fake's URL and token when there is one)."""
        base: dict[str, Any] = {"url": "http://127.0.0.1:9", "datasource_uid": "prom-main"}
        if self.fake is not None:
            base |= {"url": self.fake.url, "token": {"env": TOKEN_ENV}}
        self.write_target(SPECS, "grafana_alerting", TARGET, base | config)


def load_model(ws: GrafanaWorkspace) -> Model:
    """The workspace's lowered model (the IR the backend renders)."""
    session = load([ws.specs], [ws.targets])
    assert session.model is not None, [str(d) for d in session.diagnostics]
    return session.model
