"""The real azure-mgmt clients pointed at a running fake: HTTPS, a fixed token, fast retries.

Only `base_url`, the credential and `connection_verify` (the fake's CA file) differ from how a backend
builds its clients for Azure; the pipeline is the SDK's own (ARMChallengeAuthenticationPolicy, RetryPolicy
honouring Retry-After, ARMAutoResourceProviderRegistrationPolicy). Retries are few and backoff short so a
failing write costs milliseconds, not the default 10 retries with 0.8 s exponential backoff.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from azure.core.credentials import AccessToken, AccessTokenInfo, TokenRequestOptions
from azure.mgmt.monitor import MonitorManagementClient
from azure.mgmt.prometheusrulegroups import PrometheusRuleGroupsMgmtClient

from tests.fakes.azure_arm.server import AzureArmFake

FAKE_TOKEN = "fake-arm-token"
FAST_RETRIES: dict[str, Any] = {"retry_total": 3, "retry_backoff_factor": 0.01}
"""azure-core RetryPolicy options: 4 attempts in all, the second at once (azure-core never waits before it)."""
TIMEOUTS: dict[str, Any] = {"connection_timeout": 5, "read_timeout": 10}
"""azure-core transport timeouts (seconds; the defaults are 300): no test waits long on a stuck fake."""


@dataclass
class FakeCredential:
    """A TokenCredential (and SupportsTokenInfo) that hands out a fixed token and records the scopes asked."""

    scopes: list[tuple[str, ...]] = field(default_factory=list)

    def get_token(
        self,
        *scopes: str,
        claims: str | None = None,
        tenant_id: str | None = None,
        enable_cae: bool = False,
        **kwargs: Any,
    ) -> AccessToken:
        """A token valid for an hour."""
        self.scopes.append(scopes)
        return AccessToken(FAKE_TOKEN, int(time.time()) + 3600)

    def get_token_info(self, *scopes: str, options: TokenRequestOptions | None = None) -> AccessTokenInfo:
        """The same token in the newer protocol azure-core prefers."""
        self.scopes.append(scopes)
        return AccessTokenInfo(FAKE_TOKEN, int(time.time()) + 3600)

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> FakeCredential:
        """Context-manager protocol (part of SupportsTokenInfo)."""
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        """Nothing to release."""


def client_options(fake: AzureArmFake, **overrides: Any) -> dict[str, Any]:
    """Keyword arguments every mgmt client takes to talk to `fake`: base_url, CA file, fast retries, timeouts."""
    return {"base_url": fake.url, "connection_verify": fake.ca_file, **FAST_RETRIES, **TIMEOUTS, **overrides}


def monitor_client(
    fake: AzureArmFake, credential: FakeCredential | None = None, **overrides: Any
) -> MonitorManagementClient:
    """azure-mgmt-monitor's client (metric alerts, scheduled query rules, action groups) against `fake`."""
    return MonitorManagementClient(
        credential or FakeCredential(), fake.subscription, **client_options(fake, **overrides)
    )


def rule_groups_client(
    fake: AzureArmFake, credential: FakeCredential | None = None, **overrides: Any
) -> PrometheusRuleGroupsMgmtClient:
    """azure-mgmt-prometheusrulegroups' client (Prometheus rule groups) against `fake`."""
    options = client_options(fake, **overrides)
    return PrometheusRuleGroupsMgmtClient(credential or FakeCredential(), fake.subscription, **options)


@dataclass
class ArmClients:
    """Both clients a backend needs, sharing one credential."""

    monitor: MonitorManagementClient
    rule_groups: PrometheusRuleGroupsMgmtClient
    credential: FakeCredential


@contextlib.contextmanager
def arm_clients(fake: AzureArmFake, **overrides: Any) -> Iterator[ArmClients]:
    """Both clients against `fake`, closed (their connections too) on exit."""
    credential = FakeCredential()
    monitor = monitor_client(fake, credential, **overrides)
    rule_groups = rule_groups_client(fake, credential, **overrides)
    try:
        yield ArmClients(monitor, rule_groups, credential)
    finally:
        monitor.close()
        rule_groups.close()
