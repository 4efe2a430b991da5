"""The real azure-mgmt clients for a target: its credential, endpoint, CA file and bounded retries."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from monaco.backends.azure_monitor.config import AzureMonitorConfig
from monaco.backends.base import Target
from monaco.spec.secrets import resolve


@dataclass
class StaticToken:
    """A TokenCredential handing out a bearer token read from a referenced secret (credential: access_token)."""

    token: str

    def get_token(self, *scopes: str, **kwargs: Any) -> Any:
        """The token, valid for the next hour as far as azure-core knows."""
        from azure.core.credentials import AccessToken

        return AccessToken(self.token, int(time.time()) + 3600)

    def close(self) -> None:
        """Nothing to release."""


@dataclass
class Clients:
    """The monitor and rule-group clients of one target, and the calls made through them (by operation)."""

    monitor: Any
    rule_groups: Any
    calls: dict[str, int] = field(default_factory=dict)

    def count(self, operation: str) -> None:
        """Count one API call."""
        self.calls[operation] = self.calls.get(operation, 0) + 1

    def close(self) -> None:
        """Close both clients and their connections."""
        self.monitor.close()
        self.rule_groups.close()


def credential(config: AzureMonitorConfig, target: Target) -> Any:
    """The target's credential: azure-identity's default chain, a service principal, or a static token."""
    if config.credential == "access_token":
        assert config.access_token is not None
        return StaticToken(resolve(config.access_token.describe(), target.base_dir))
    if config.credential == "client_secret":
        from azure.identity import ClientSecretCredential

        assert config.client_secret is not None and config.tenant_id and config.client_id
        secret = resolve(config.client_secret.describe(), target.base_dir)
        return ClientSecretCredential(config.tenant_id, config.client_id, secret)
    from azure.identity import DefaultAzureCredential

    return DefaultAzureCredential()


def bounded_retry_policy(config: AzureMonitorConfig) -> Any:
    """azure-core's RetryPolicy (429 and 5xx, Retry-After honoured) with each Retry-After cut to the configured bound."""
    from azure.core.pipeline.policies import RetryPolicy

    class BoundedRetryPolicy(RetryPolicy):  # type: ignore[type-arg]
        """RetryPolicy whose waits after a Retry-After are at most `max_retry_after_seconds`."""

        def get_retry_after(self, response: Any) -> float | None:
            """The server's Retry-After, bounded."""
            found = super().get_retry_after(response)
            return None if found is None else min(float(found), config.max_retry_after_seconds)

    return BoundedRetryPolicy(retry_total=config.max_retries, retry_backoff_factor=config.retry_backoff_seconds)


def make_clients(config: AzureMonitorConfig, target: Target) -> Clients:
    """Both clients for the target's subscription, sharing one credential."""
    from azure.mgmt.monitor import MonitorManagementClient
    from azure.mgmt.prometheusrulegroups import PrometheusRuleGroupsMgmtClient

    options: dict[str, Any] = {"retry_policy": bounded_retry_policy(config)}
    options |= {"connection_timeout": 10, "read_timeout": 60}
    if config.base_url:
        options["base_url"] = config.base_url
    if config.ca_file:
        options["connection_verify"] = str(target.path(config.ca_file))
    shared = credential(config, target)
    monitor = MonitorManagementClient(shared, config.subscription_id, **options)
    rule_groups = PrometheusRuleGroupsMgmtClient(shared, config.subscription_id, **options)
    return Clients(monitor, rule_groups)
