"""The `gcp_monitoring` backend: the contract wired to render, live (canonical at the edge) and apply."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, ClassVar

from pydantic import BaseModel

from monaco.backends.base import (
    NEVER_CANCELLED,
    ApplyReport,
    BackendDefaults,
    CallCounts,
    LiveState,
    Notice,
    RenderResult,
    SecretFingerprint,
    SecretValue,
    Target,
    print_nothing,
)
from monaco.backends.gcp_monitoring.config import GcpConfig
from monaco.backends.gcp_monitoring.routing import channel_deliveries
from monaco.backends.gcp_monitoring.sources import SOURCES as GCP_SOURCES
from monaco.backends.gcp_monitoring.target_render import render_target
from monaco.diagnostics import Diagnostic
from monaco.ir.nodes import Model
from monaco.ir.route_query import Delivery, RouteQuery
from monaco.plan.model import Change, Resource
from monaco.spec.sources import SourceFamily

READ_FAILED = "MON810"


def config_of(target: Target) -> GcpConfig:
    """The target's config as a `GcpConfig`."""
    config = target.config
    if not isinstance(config, GcpConfig):
        config = GcpConfig.model_validate(config.model_dump())
    return config


def default_clients(target: Target) -> Any:
    """The SDK clients built from the target's config (imports the SDK)."""
    from monaco.backends.gcp_monitoring.clients import make_clients

    return make_clients(config_of(target), target.base_dir)


class GcpMonitoringBackend(CallCounts, BackendDefaults):
    """Cloud Monitoring alert policies, notification channels, and Service Monitoring services and SLOs."""

    kind: ClassVar[str] = "gcp_monitoring"
    config_model: ClassVar[type[BaseModel]] = GcpConfig
    sources: ClassVar[SourceFamily | None] = GCP_SOURCES

    def __init__(self, clients: Callable[[Target], Any] | None = None) -> None:
        self._clients = clients or default_clients
        self.last_calls: dict[str, int] = {}

    def render(self, model: Model, target: Target, secrets: SecretFingerprint) -> RenderResult:
        """Desired policies, channels, services and SLOs for `target.selected`; deterministic, no I/O."""
        return render_target(model, target, config_of(target), secrets)

    @contextlib.contextmanager
    def _session(self, target: Target) -> Iterator[Any]:
        """The target's clients for one read or apply, closed afterwards; their call counts kept."""
        with self.counting(self._clients(target)) as clients:
            yield clients

    def read_live(self, target: Target) -> LiveState:
        """This target's objects, by paged list calls; a failed read is MON810 naming the target."""
        from monaco.backends.gcp_monitoring.live import read_index

        config = config_of(target)
        with self._session(target) as clients:
            try:
                index = read_index(clients, config, target.name, target.selected)
            except Exception as exc:
                if not type(exc).__module__.startswith(("google.", "grpc")):
                    raise
                message = f"target {target.name}: cannot read Cloud Monitoring objects of {config.project}: {exc}"
                hint = "check the project, credentials and endpoint"
                return LiveState(diagnostics=[Diagnostic(READ_FAILED, message, hint=hint)], calls=clients.total)
            return LiveState(resources=index.resources, calls=clients.total)

    def apply(
        self,
        target: Target,
        changes: Sequence[Change],
        secrets: SecretValue,
        progress: Notice = print_nothing,
        cancel: threading.Event = NEVER_CANCELLED,
    ) -> ApplyReport:
        """Execute exactly `changes` in dependency order, reporting what was and was not applied."""
        from monaco.backends.gcp_monitoring.apply import apply_changes

        config = config_of(target)
        with self._session(target) as clients:
            return apply_changes(clients, config, target.selected, changes, secrets, progress, target.name, cancel)

    @contextlib.contextmanager
    def _locked(self, target: Target, timeout: float, notice: Notice) -> Iterator[None]:
        from monaco.backends.gcp_monitoring.apply_lock import service_lock

        with self._session(target) as clients, service_lock(clients, config_of(target), target.name, timeout, notice):
            yield

    def lock(self, target: Target, timeout: float, notice: Notice) -> AbstractContextManager[object]:
        """The target's apply lock: a Service Monitoring service created atomically (see `apply_lock`)."""
        return self._locked(target, timeout, notice)

    def route_deliveries(
        self, model: Model, target: Target, resources: Sequence[Resource], queries: Sequence[RouteQuery]
    ) -> list[Delivery]:
        """Each query's delivery objects: the channel ids its policies notify."""
        return channel_deliveries(model, target.selected, queries)

    def claims(self, target: Target) -> set[str]:
        """The project's services of the selected ones (ids are project-wide), and the target's label."""
        config = config_of(target)
        places = {f"{config.parent}/services/{config.service_id(s.name)}" for s in target.selected if s.slos}
        return places | {f"{config.parent}/userLabels/monaco_target={target.name}"}

    def compile_files(self, target: Target, resources: Sequence[Resource]) -> dict[str, str]:
        """One JSON file per object, in the API's REST form (enums as names; secrets as fingerprints)."""
        return {
            f"{r.kind}/{r.name.replace('/', '__')}.json": json.dumps(r.body, indent=2, sort_keys=True) + "\n"
            for r in resources
        }
