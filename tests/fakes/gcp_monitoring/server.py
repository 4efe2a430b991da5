"""The fake Cloud Monitoring gRPC server on 127.0.0.1, with its test hooks (snapshot, out-of-band objects, faults, log)."""

from __future__ import annotations

from concurrent import futures
from types import TracebackType
from typing import Any

import grpc
from google.cloud import monitoring_v3

from tests.fakes.gcp_monitoring.errors import ApiError
from tests.fakes.gcp_monitoring.hooks import Call, CallLog, Fault, FaultPlan
from tests.fakes.gcp_monitoring.methods import Apis, Method, method_table
from tests.fakes.gcp_monitoring.store import DEFAULT_CALLER, Clock, Store, copy_of, utc_now

LOCALHOST = "127.0.0.1"
STOP_TIMEOUT_SECONDS = 5.0


class GcpMonitoringFake:
    """AlertPolicyService, NotificationChannelService and ServiceMonitoringService served from memory.

    Start it with `start()` (or `with GcpMonitoringFake() as fake:`), point clients at `endpoint`, stop it with `stop()`.
    """

    def __init__(self, *, clock: Clock = utc_now, caller: str = DEFAULT_CALLER, default_page_size: int = 100) -> None:
        self.store = Store(clock, caller)
        self.apis = Apis.over(self.store, default_page_size)
        self._log = CallLog()
        self._faults = FaultPlan()
        self._executor: futures.ThreadPoolExecutor | None = None
        self._server: Any = None
        self.port = 0

    @property
    def endpoint(self) -> str:
        """`127.0.0.1:PORT`, the value for `client_options={"api_endpoint": ...}`."""
        if not self.port:
            raise RuntimeError("the fake is not started")
        return f"{LOCALHOST}:{self.port}"

    def start(self) -> GcpMonitoringFake:
        """Bind an ephemeral port on 127.0.0.1 and serve in a thread pool."""
        self._executor = futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="gcp-monitoring-fake")
        self._server = grpc.server(self._executor)
        handlers = [
            grpc.method_handlers_generic_handler(service, {method.name: self._handler(method) for method in methods})
            for service, methods in method_table(self.apis).items()
        ]
        self._server.add_generic_rpc_handlers(handlers)
        self.port = self._server.add_insecure_port(f"{LOCALHOST}:0")
        self._server.start()
        return self

    def stop(self, grace: float = 0.2) -> None:
        """Stop serving (in-flight calls get `grace` seconds) and wait for the server and its threads to finish."""
        if self._server is not None:
            self._server.stop(grace).wait(STOP_TIMEOUT_SECONDS)
            self._server = None
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> GcpMonitoringFake:
        """Start; stopped when the block ends."""
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        """Stop."""
        self.stop()

    # Hooks for tests.

    def snapshot(self) -> bytes:
        """All state as canonical JSON bytes, keyed by resource kind and name (secrets as stored, in clear)."""
        return self.store.snapshot()

    def reset(self) -> None:
        """Forget all state, the call log and armed faults; ids start again from the first."""
        self.store.reset()
        self._log.clear()
        self._faults.clear()

    def calls(self, method: str | None = None) -> list[Call]:
        """The calls received (including failed ones), all or those of one method such as `ListAlertPolicies`."""
        return self._log.calls(method)

    def call_count(self, method: str) -> int:
        """How many calls of `method` were received."""
        return len(self._log.calls(method))

    def fail_nth_call(
        self,
        method: str,
        n: int,
        code: grpc.StatusCode = grpc.StatusCode.UNAVAILABLE,
        *,
        after_apply: bool = False,
    ) -> None:
        """Fail the `n`th call of `method` from now (1: the next) with `code`; with `after_apply` it takes effect first."""
        self._faults.arm(Fault(method, n, code, f"injected {code.name} on {method} call {n}", after_apply))

    def fail_nth_write(
        self, n: int, code: grpc.StatusCode = grpc.StatusCode.UNAVAILABLE, *, after_apply: bool = False
    ) -> None:
        """Fail the `n`th write (any Create/Update/Delete) from now with `code`; with `after_apply` it takes effect."""
        self._faults.arm(Fault(None, n, code, f"injected {code.name} on write {n}", after_apply))

    def pending_faults(self) -> int:
        """How many armed faults have not fired yet."""
        return self._faults.pending()

    def clear_faults(self) -> None:
        """Disarm every fault that has not fired, keeping state and the call log."""
        self._faults.clear()

    def _handler(self, method: Method) -> Any:
        """The gRPC handler of one method: log, maybe fail, run the body under the store's lock."""

        def behaviour(request: Any, context: grpc.ServicerContext) -> Any:
            self._log.record(method.name, request)
            fault = self._faults.take(method.name)
            if fault is not None and not fault.after_apply:
                context.abort(fault.code, fault.message)
            try:
                with self.store.lock:
                    response = method.body(type(request).pb(request))
            except ApiError as error:
                context.abort(error.code, error.message)
            if fault is not None:
                context.abort(fault.code, fault.message)
            return response

        return grpc.unary_unary_rpc_method_handler(
            behaviour, request_deserializer=method.deserialize, response_serializer=method.serialize
        )

    # Objects created out of band: stored as if another tool had made them; not logged, never failed.

    def add_policy(self, project: str, policy: monitoring_v3.AlertPolicy) -> monitoring_v3.AlertPolicy:
        """Store `policy` in `project` through the API's own rules; the stored policy, with its assigned names."""
        request = monitoring_v3.CreateAlertPolicyRequest(name=f"projects/{project}", alert_policy=policy)
        stored: monitoring_v3.AlertPolicy = monitoring_v3.AlertPolicy.wrap(
            self._direct(self.apis.alert_policies.create, request)
        )
        return stored

    def add_unowned_policy(
        self, project: str, display_name: str, user_labels: dict[str, str] | None = None
    ) -> monitoring_v3.AlertPolicy:
        """A minimal valid policy that no tool claims (no owner label unless `user_labels` says otherwise)."""
        condition = monitoring_v3.AlertPolicy.Condition(
            display_name=f"{display_name} condition",
            condition_threshold=monitoring_v3.AlertPolicy.Condition.MetricThreshold(
                filter='metric.type="compute.googleapis.com/instance/cpu/utilization" AND resource.type="gce_instance"',
                comparison=monitoring_v3.ComparisonType.COMPARISON_GT,
                threshold_value=0.9,
            ),
        )
        policy = monitoring_v3.AlertPolicy(
            display_name=display_name, conditions=[condition], user_labels=user_labels or {}
        )
        return self.add_policy(project, policy)

    def add_channel(
        self, project: str, channel: monitoring_v3.NotificationChannel
    ) -> monitoring_v3.NotificationChannel:
        """Store `channel` in `project` through the API's rules; the channel as the API returns it (secrets hidden)."""
        request = monitoring_v3.CreateNotificationChannelRequest(
            name=f"projects/{project}", notification_channel=channel
        )
        shown: monitoring_v3.NotificationChannel = monitoring_v3.NotificationChannel.wrap(
            self._direct(self.apis.channels.create, request)
        )
        return shown

    def add_service(self, project: str, service_id: str, service: monitoring_v3.Service) -> monitoring_v3.Service:
        """Store `service` as `projects/PROJECT/services/SERVICE_ID` through the API's rules."""
        request = monitoring_v3.CreateServiceRequest(
            parent=f"projects/{project}", service_id=service_id, service=service
        )
        stored: monitoring_v3.Service = monitoring_v3.Service.wrap(self._direct(self.apis.services.create, request))
        return stored

    def add_slo(
        self, service_name: str, slo_id: str, slo: monitoring_v3.ServiceLevelObjective
    ) -> monitoring_v3.ServiceLevelObjective:
        """Store `slo` under the service `service_name` through the API's rules."""
        request = monitoring_v3.CreateServiceLevelObjectiveRequest(
            parent=service_name, service_level_objective_id=slo_id, service_level_objective=slo
        )
        stored: monitoring_v3.ServiceLevelObjective = monitoring_v3.ServiceLevelObjective.wrap(
            self._direct(self.apis.slos.create, request)
        )
        return stored

    def stored_channel(self, name: str) -> monitoring_v3.NotificationChannel:
        """The channel as stored, secrets in clear (what a read never shows)."""
        with self.store.lock:
            stored: monitoring_v3.NotificationChannel = monitoring_v3.NotificationChannel.wrap(
                copy_of(self.store.notification_channels[name])
            )
        return stored

    def _direct(self, body: Any, request: Any) -> Any:
        """Run an API body on a proto-plus request under the lock, outside the wire, log and faults."""
        with self.store.lock:
            return body(type(request).pb(request))
