"""The three Cloud Monitoring clients of one target, with call counting and retries of throttling (gRPC).

The SDK is imported here only, inside functions, so loading monaco never pays for it. The library's own
retries are turned off (`retry=None` on every call) so that every retry is monaco's, counted and backed
off the same way: RESOURCE_EXHAUSTED and UNAVAILABLE are retried up to `max_attempts` times with jittered
exponential backoff; everything else is raised at once.
"""

from __future__ import annotations

import importlib
import json
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monaco.backends.gcp_monitoring.config import GcpConfig
from monaco.spec.secrets import resolve

RETRYABLE = frozenset({"ResourceExhausted", "ServiceUnavailable", "TooManyRequests"})
"""google.api_core.exceptions for RESOURCE_EXHAUSTED (429) and UNAVAILABLE (503)."""
MAX_DELAY_SECONDS = 20.0


def is_retryable(exc: BaseException) -> bool:
    """True for throttling and a service that is briefly unavailable."""
    return type(exc).__name__ in RETRYABLE


@dataclass(slots=True)
class Clients:
    """AlertPolicyServiceClient, NotificationChannelServiceClient and ServiceMonitoringServiceClient of one target."""

    policies: Any
    channels: Any
    services: Any
    max_attempts: int = 6
    backoff_seconds: float = 0.5
    timeout_seconds: float = 30.0
    calls: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    closers: list[Callable[[], None]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, client: str, method: str, recover: Callable[[], Any] | None = None, **params: Any) -> Any:
        """Call `method` on `client`, retrying RESOURCE_EXHAUSTED/UNAVAILABLE with bounded jittered backoff.

        `recover`, when given, runs before each retry: a non-None result (the object a create whose reply was
        lost did make) ends the call with it, so a retried create never makes a duplicate.
        """
        bound = getattr(getattr(self, client), method)
        for attempt in range(1, self.max_attempts + 1):
            with self._lock:
                self.calls[method] += 1
            try:
                return bound(**params, retry=None, timeout=self.timeout_seconds)
            except Exception as exc:
                if attempt == self.max_attempts or not is_retryable(exc):
                    raise
                with self._lock:
                    self.retries += 1
                delay = min(MAX_DELAY_SECONDS, self.backoff_seconds * 2 ** (attempt - 1))
                time.sleep(delay * random.uniform(0.5, 1.0))
                found = recover() if recover is not None else None
                if found is not None:
                    return found
        raise AssertionError("unreachable")

    def pages(self, client: str, method: str, items_field: str, request: dict[str, Any]) -> list[Any]:
        """Every item of a paged list call, one counted (and retried) call per page.

        The pager's attributes are its current page's (`next_page_token`, the repeated field); iterating it
        would fetch the next pages itself, uncounted and without monaco's retries, so pages are asked for here.
        """
        items: list[Any] = []
        token = ""
        while True:
            pager = self.call(client, method, request={**request, "page_token": token})
            items.extend(getattr(pager, items_field))
            token = pager.next_page_token
            if not token:
                return items

    @property
    def total(self) -> int:
        """API calls made so far, retries included."""
        return sum(self.calls.values())

    def close(self) -> None:
        """Close the clients' channels."""
        for closer in self.closers:
            closer()


def _credentials(config: GcpConfig, base_dir: Path) -> Any:
    """A service-account key's credentials when the config references one; None for the default chain."""
    if config.credentials is None:
        return None
    from google.oauth2 import service_account

    info = json.loads(resolve(config.credentials.describe(), base_dir))
    scopes = ["https://www.googleapis.com/auth/monitoring"]
    key_credentials: Any = service_account.Credentials
    return key_credentials.from_service_account_info(info, scopes=scopes)


def _plaintext_transport(transport_class: type[Any], opened: list[Any]) -> Callable[..., Any]:
    """A transport factory opening a plaintext channel to the host the client resolved (local endpoints only)."""
    grpc: Any = importlib.import_module("grpc")

    def make(*, host: str, **_: object) -> Any:
        channel = grpc.insecure_channel(host)
        opened.append(channel)
        return transport_class(channel=channel)

    return make


def make_clients(config: GcpConfig, base_dir: Path) -> Clients:
    """The target's clients: its endpoint (or Google's), its credentials (or the default chain)."""
    from google.cloud import monitoring_v3
    from google.cloud.monitoring_v3.services.alert_policy_service import transports as policy_transports
    from google.cloud.monitoring_v3.services.notification_channel_service import transports as channel_transports
    from google.cloud.monitoring_v3.services.service_monitoring_service import transports as service_transports

    options = {"api_endpoint": config.endpoint} if config.endpoint else None
    opened: list[Any] = []
    kinds = (
        (monitoring_v3.AlertPolicyServiceClient, policy_transports.AlertPolicyServiceGrpcTransport),
        (monitoring_v3.NotificationChannelServiceClient, channel_transports.NotificationChannelServiceGrpcTransport),
        (monitoring_v3.ServiceMonitoringServiceClient, service_transports.ServiceMonitoringServiceGrpcTransport),
    )
    built = []
    credentials = None if config.plaintext else _credentials(config, base_dir)
    for client_class, transport_class in kinds:
        if config.plaintext:
            transport = _plaintext_transport(transport_class, opened)
            built.append(client_class(transport=transport, client_options=options))
        else:
            built.append(client_class(credentials=credentials, client_options=options))
    clients = Clients(
        policies=built[0],
        channels=built[1],
        services=built[2],
        max_attempts=config.max_attempts,
        backoff_seconds=config.backoff_seconds,
        timeout_seconds=config.timeout_seconds,
    )
    clients.closers.extend(channel.close for channel in opened)
    clients.closers.extend(client.transport.close for client in built if not config.plaintext)
    return clients
