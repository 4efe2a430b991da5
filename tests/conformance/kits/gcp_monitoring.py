"""Conformance kit: Cloud Monitoring policies and channels on the fake gRPC server, through the real clients."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import grpc

from monaco.backends.gcp_monitoring.config import label_value
from tests.conformance.kits.base import BackendKit
from tests.fakes.gcp_monitoring import GcpMonitoringFake, make_clients
from tests.fakes.gcp_monitoring.builders import TickingClock

PROJECT = "monaco-conformance"
CPU_POLICY = label_value("checkout--HighCPU")
"""The monaco id (and plan name) of checkout's CPU policy."""


class GcpMonitoringKit(BackendKit):
    """A fake Cloud Monitoring server per test (fixed clock), the backend reaching it over plaintext gRPC.

    The conformance specs carry no gcp sources, so the target reads their PromQL (`managed_prometheus`): threshold
    alerts become PromQL conditions, and the SLOs (PromQL-only SLIs) are MON801 warnings.
    """

    kind = "gcp_monitoring"

    @classmethod
    def golden_config(cls) -> dict[str, Any]:
        """A project, PromQL conditions for Prometheus-sourced alerts; compile talks to no endpoint."""
        return {"project": "monaco-golden", "managed_prometheus": True}

    @property
    def server(self) -> GcpMonitoringFake:
        """The fake of this test, started on first use and stopped when the test ends."""
        if "server" not in self.__dict__:
            server = GcpMonitoringFake(clock=TickingClock()).start()
            self.request.addfinalizer(server.stop)
            self.__dict__["server"] = server
        found: GcpMonitoringFake = self.__dict__["server"]
        return found

    def config(self, live: bool = False) -> dict[str, Any]:
        """The fake's endpoint in plaintext, no retry delay."""
        return {
            "project": PROJECT,
            "endpoint": self.server.endpoint,
            "plaintext": True,
            "managed_prometheus": True,
            "backoff_seconds": 0,
        }

    def snapshot(self) -> dict[str, bytes]:
        """Every object the fake holds (canonical JSON, secrets in clear)."""
        return {"state": self.server.snapshot()}

    def create_unowned(self) -> str:
        """A policy another tool made, with the display name of checkout's CPU policy."""
        self.server.add_unowned_policy(PROJECT, "checkout/HighCPU")
        return CPU_POLICY

    def tamper(self) -> None:
        """Delete checkout's CPU policy out of band."""
        clients = make_clients(self.server.endpoint)
        try:
            request = {"name": f"projects/{PROJECT}", "filter": f'user_labels.monaco_id = "{CPU_POLICY}"'}
            for policy in clients.alert_policies.list_alert_policies(request=request, retry=None):
                clients.alert_policies.delete_alert_policy(name=policy.name, retry=None)
        finally:
            clients.close()

    @contextlib.contextmanager
    def _failing(self, method: str | None, nth: int) -> Iterator[None]:
        """Call `nth` of `method` (or the `nth` write) fails with INTERNAL while active."""
        if method is None:
            self.server.fail_nth_write(nth, grpc.StatusCode.INTERNAL)
        else:
            self.server.fail_nth_call(method, nth, grpc.StatusCode.INTERNAL)
        try:
            yield
        finally:
            fired = self.server.pending_faults() == 0
            self.server.clear_faults()
        assert fired, "the fault was never injected"

    def inject_failure(self) -> contextlib.AbstractContextManager[None]:
        """The third write of the apply fails (the first is the apply lock's CreateService)."""
        return self._failing(None, 3)

    def inject_secret_failure(self) -> contextlib.AbstractContextManager[None]:
        """The first write after the lock (a channel: channels go first; the webhook's carries its URL) fails."""
        return self._failing(None, 2)


KIT = GcpMonitoringKit
