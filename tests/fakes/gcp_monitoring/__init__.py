"""A fake Google Cloud Monitoring API (alert policies, notification channels, services, SLOs) served over gRPC."""

from tests.fakes.gcp_monitoring.clients import GcpClients, InsecureTransports, make_clients
from tests.fakes.gcp_monitoring.fixture import GcpFake, gcp_fake
from tests.fakes.gcp_monitoring.hooks import Call
from tests.fakes.gcp_monitoring.server import GcpMonitoringFake

__all__ = ["Call", "GcpClients", "GcpFake", "GcpMonitoringFake", "InsecureTransports", "gcp_fake", "make_clients"]
