"""The fake ARM server for the azure_monitor tests, and a helper that plans and applies through the real clients."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from monaco.backends.azure_monitor.backend import AzureMonitorBackend
from monaco.backends.azure_monitor.clients import Clients, bounded_retry_policy
from monaco.backends.azure_monitor.config import AzureMonitorConfig
from monaco.backends.base import ApplyReport, Target
from monaco.ir.nodes import Model
from monaco.plan.diff import diff
from monaco.plan.model import TargetPlan
from tests.azure_monitor import builders
from tests.fakes.azure_arm import AzureArmFake, FakeCredential, azure_arm_server, azure_fake
from tests.fakes.azure_arm.clients import TIMEOUTS

__all__ = ["azure_arm_server", "azure_fake"]  # pytest finds fixtures by the names a module holds


@dataclass
class Azure:
    """One test's view of the fake: backends whose real clients go to it, and plan/apply helpers."""

    fake: AzureArmFake
    clients_made: list[Clients] = field(default_factory=list)

    def config(self, **overrides: Any) -> AzureMonitorConfig:
        """A target config pointing at the fake, with fast retries."""
        values: dict[str, Any] = {"base_url": self.fake.url, "ca_file": str(self.fake.ca_file)}
        values |= {"retry_backoff_seconds": 0.01, "max_retries": 3, **overrides}
        return builders.config(**values)

    def make_clients(self, config: AzureMonitorConfig, target: Target) -> Clients:
        """The backend's client factory: the real SDK clients, with the fake's CA and a fixed token."""
        from azure.mgmt.monitor import MonitorManagementClient
        from azure.mgmt.prometheusrulegroups import PrometheusRuleGroupsMgmtClient

        options: dict[str, Any] = {"base_url": self.fake.url, "connection_verify": self.fake.ca_file, **TIMEOUTS}
        options["retry_policy"] = bounded_retry_policy(config)
        credential = FakeCredential()
        clients = Clients(
            MonitorManagementClient(credential, config.subscription_id, **options),
            PrometheusRuleGroupsMgmtClient(credential, config.subscription_id, **options),
        )
        self.clients_made.append(clients)
        return clients

    def backend(self) -> AzureMonitorBackend:
        """A backend whose clients go to the fake."""
        return AzureMonitorBackend(clients=self.make_clients)

    def plan(self, model: Model, target: Target) -> tuple[TargetPlan, list[Any]]:
        """Render, read live and diff, as the engine does; the plan and every diagnostic."""
        backend = self.backend()
        rendered = backend.render(model, target, builders.fingerprint)
        live = backend.read_live(target)
        plan, refusals = diff(target.name, target.backend, rendered.resources, live.resources, backend.requires_replace)
        return plan, [*rendered.diagnostics, *live.diagnostics, *refusals]

    def apply(self, plan: TargetPlan, target: Target) -> ApplyReport:
        """Apply a plan's changes with the test secrets."""
        return self.backend().apply(target, plan.changes, builders.resolve)

    def converge(self, model: Model, target: Target) -> TargetPlan:
        """Plan and apply; the report must be clean and a second plan empty."""
        plan, _ = self.plan(model, target)
        report = self.apply(plan, target)
        assert report.ok, report
        again, _ = self.plan(model, target)
        assert again.changes == [], [c.key for c in again.changes]
        return plan


@pytest.fixture(autouse=True)
def azure_codes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The backend's codes in the code table even before its registry line exists (a no-op once it does)."""
    from monaco.backends.azure_monitor.codes import CODES as AZURE_CODES
    from monaco.diagnostic_codes import CODES, CodeInfo

    for code, (level, meaning) in AZURE_CODES.items():
        if code not in CODES:
            monkeypatch.setitem(CODES, code, CodeInfo("backends.azure_monitor", level, meaning))


@pytest.fixture
def azure(azure_fake: AzureArmFake) -> Iterator[Azure]:
    """The fake ARM server, empty, with plan and apply helpers."""
    helper = Azure(azure_fake)
    yield helper
    for clients in helper.clients_made:
        clients.close()
