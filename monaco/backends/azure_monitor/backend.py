"""The `azure_monitor` backend: the contract wired to render, live (canonical at the edge) and apply."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel

from monaco.backends.azure_monitor.config import AzureMonitorConfig
from monaco.backends.azure_monitor.routing import action_group_deliveries
from monaco.backends.azure_monitor.sources import SOURCES as AZURE_SOURCES
from monaco.backends.azure_monitor.target_render import render_target
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
    target_config,
)
from monaco.backends.lock import file_lock, lock_path
from monaco.ir.nodes import Model
from monaco.ir.route_query import Delivery, RouteQuery
from monaco.plan.model import Change, Resource
from monaco.spec.sources import SourceFamily

if TYPE_CHECKING:
    from monaco.backends.azure_monitor.clients import Clients

ClientsFactory = Callable[[AzureMonitorConfig, Target], "Clients"]


def _config(target: Target) -> AzureMonitorConfig:
    return target_config(target, AzureMonitorConfig)


def default_clients(config: AzureMonitorConfig, target: Target) -> Clients:
    """The real azure-mgmt clients for the target (credential, base_url and CA file from its config)."""
    from monaco.backends.azure_monitor.clients import make_clients

    return make_clients(config, target)


class AzureMonitorBackend(CallCounts, BackendDefaults):
    """Metric alerts, log alerts, managed-Prometheus rule groups, action groups and quiet hours as alert processing
    rules, in one resource group."""

    kind: ClassVar[str] = "azure_monitor"
    config_model: ClassVar[type[BaseModel]] = AzureMonitorConfig
    sources: ClassVar[SourceFamily | None] = AZURE_SOURCES

    def __init__(self, clients: ClientsFactory | None = None) -> None:
        self._clients = clients or default_clients
        self.last_calls: dict[str, int] = {}

    def render(self, model: Model, target: Target, secrets: SecretFingerprint) -> RenderResult:
        """Desired rules and action groups for `target.selected`; deterministic, no I/O."""
        return render_target(model, target, _config(target), secrets)

    def read_live(self, target: Target) -> LiveState:
        """The five resource types in the target's resource group, one paged list call each."""
        from monaco.backends.azure_monitor.live import read_live

        config = _config(target)
        with self.counting(self._clients(config, target)) as clients:
            return read_live(clients, config, target.name)

    def apply(
        self,
        target: Target,
        changes: Sequence[Change],
        secrets: SecretValue,
        progress: Notice = print_nothing,
        cancel: threading.Event = NEVER_CANCELLED,
    ) -> ApplyReport:
        """Execute exactly `changes` in dependency order, reporting what was and was not applied."""
        from monaco.backends.azure_monitor.apply import apply_changes

        config = _config(target)
        with self.counting(self._clients(config, target)) as clients:
            return apply_changes(clients, config, changes, secrets, progress, target.name, cancel)

    def lock(self, target: Target, timeout: float, notice: Notice) -> AbstractContextManager[object]:
        """A lock file beside the target file, per subscription and resource group (this machine's applies only)."""
        config = _config(target)
        place = target.base_dir / f"azure-{config.subscription_id}-{config.resource_group}"
        return file_lock(lock_path(place), timeout, notice)

    def route_deliveries(
        self, model: Model, target: Target, resources: Sequence[Resource], queries: Sequence[RouteQuery]
    ) -> list[Delivery]:
        """Each query's delivery objects: the action group its rules notify."""
        return action_group_deliveries(_config(target), model, target.selected, queries)

    def claims(self, target: Target) -> set[str]:
        """The resource group's id and the name prefix: two targets must not write the same names there."""
        config = _config(target)
        group = f"/subscriptions/{config.subscription_id}/resourceGroups/{config.resource_group}".lower()
        return {f"{group}/{config.name_prefix}{service.name}" for service in target.selected}

    def compile_files(self, target: Target, resources: Sequence[Resource]) -> dict[str, str]:
        """One JSON request body per resource (secrets as fingerprints)."""
        return {
            f"{resource.kind}/{resource.name}.json": json.dumps(resource.body, indent=2, sort_keys=True) + "\n"
            for resource in resources
        }
