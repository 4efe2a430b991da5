"""The three real Cloud Monitoring clients pointed at the fake, through the production code path.

The clients are built as production code builds them, with `client_options={"api_endpoint": ...}`; only the transport
differs: a factory (feasibility §4) that the client calls with the endpoint it resolved as `host`, and that opens a
plaintext channel instead of TLS. A backend can accept such a factory and pass it on as `transport=`. No credentials
are needed: a transport given a channel never looks for any.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.cloud import monitoring_v3
from google.cloud.monitoring_v3.services.alert_policy_service.transports import AlertPolicyServiceGrpcTransport
from google.cloud.monitoring_v3.services.notification_channel_service.transports import (
    NotificationChannelServiceGrpcTransport,
)
from google.cloud.monitoring_v3.services.service_monitoring_service.transports import (
    ServiceMonitoringServiceGrpcTransport,
)


@dataclass
class InsecureTransports:
    """Transport factories opening plaintext channels to the host each client resolved; `close()` closes them all."""

    channels: list[Any] = field(default_factory=list)

    def factory(self, transport_class: type[Any]) -> Callable[..., Any]:
        """A `transport=` value for a client whose transport class is `transport_class`."""

        def make(*, host: str, **_: object) -> Any:
            channel = grpc.insecure_channel(host)
            self.channels.append(channel)
            return transport_class(channel=channel)

        return make

    def close(self) -> None:
        """Close every channel opened so far."""
        for channel in self.channels:
            channel.close()
        self.channels.clear()


@dataclass(frozen=True)
class GcpClients:
    """The three clients a gcp_monitoring backend uses, all talking to one endpoint."""

    alert_policies: monitoring_v3.AlertPolicyServiceClient
    channels: monitoring_v3.NotificationChannelServiceClient
    services: monitoring_v3.ServiceMonitoringServiceClient
    transports: InsecureTransports

    def close(self) -> None:
        """Close the clients' gRPC channels."""
        self.transports.close()


def make_clients(endpoint: str) -> GcpClients:
    """Clients for `endpoint` (`127.0.0.1:PORT`) over plaintext channels."""
    transports = InsecureTransports()
    options = {"api_endpoint": endpoint}
    return GcpClients(
        alert_policies=monitoring_v3.AlertPolicyServiceClient(
            transport=transports.factory(AlertPolicyServiceGrpcTransport), client_options=options
        ),
        channels=monitoring_v3.NotificationChannelServiceClient(
            transport=transports.factory(NotificationChannelServiceGrpcTransport), client_options=options
        ),
        services=monitoring_v3.ServiceMonitoringServiceClient(
            transport=transports.factory(ServiceMonitoringServiceGrpcTransport), client_options=options
        ),
        transports=transports,
    )
