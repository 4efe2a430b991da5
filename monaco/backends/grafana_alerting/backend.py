"""The `grafana_alerting` backend: the contract wired to render, live (canonical at the edge) and apply."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

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
    target_config,
)
from monaco.backends.grafana_alerting.config import GrafanaAlertingConfig
from monaco.backends.grafana_alerting.sources import SOURCES as PROMETHEUS_SOURCES
from monaco.backends.grafana_alerting.target_render import render_target
from monaco.backends.lock import file_lock, lock_path
from monaco.ir.nodes import Model
from monaco.plan.model import Change, Resource
from monaco.spec.sources import SourceFamily

if TYPE_CHECKING:
    from monaco.backends.grafana_alerting.clients import GrafanaClients

ClientsFactory = Callable[[GrafanaAlertingConfig, Target], "GrafanaClients"]


def _config(target: Target) -> GrafanaAlertingConfig:
    return target_config(target, GrafanaAlertingConfig)


def default_clients(config: GrafanaAlertingConfig, target: Target) -> GrafanaClients:
    """The real `grafana_client` API for the target (URL and credentials from its config)."""
    from monaco.backends.grafana_alerting.clients import make_clients

    return make_clients(config, target)


class GrafanaAlertingBackend(CallCounts, BackendDefaults):
    """Grafana-managed alert rules (a group per service in one folder), contact points and a policy subtree."""

    kind: ClassVar[str] = "grafana_alerting"
    config_model: ClassVar[type[BaseModel]] = GrafanaAlertingConfig
    sources: ClassVar[SourceFamily | None] = PROMETHEUS_SOURCES

    def __init__(self, clients: ClientsFactory | None = None) -> None:
        self._clients = clients or default_clients
        self.last_calls: dict[str, int] = {}

    def render(self, model: Model, target: Target, secrets: SecretFingerprint) -> RenderResult:
        """Desired rules, groups, contact points and subtree for `target.selected`; deterministic, no I/O."""
        return render_target(model, target, _config(target), secrets)

    def read_live(self, target: Target) -> LiveState:
        """Rules, group intervals, contact points, mute timings and the policy tree: five list calls."""
        from monaco.backends.grafana_alerting.live import read_live

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
        from monaco.backends.grafana_alerting.apply import apply_changes

        config = _config(target)
        with self.counting(self._clients(config, target)) as clients:
            return apply_changes(clients, config, changes, secrets, progress, target.name, cancel)

    def lock(self, target: Target, timeout: float, notice: Notice) -> AbstractContextManager[object]:
        """A lock file beside the target file, per Grafana host and folder (this machine's applies only)."""
        config = _config(target)
        host = urlsplit(config.url).netloc.replace(":", "_")
        return file_lock(lock_path(target.base_dir / f"grafana-{host}-{config.folder_uid}"), timeout, notice)

    def claims(self, target: Target) -> set[str]:
        """The folder's rule groups and the contact point names this target writes in its Grafana."""
        config = _config(target)
        base = f"{config.url}/org/{config.org_id or 1}"
        groups = {f"{base}/folder/{config.folder_uid}/{service.name}" for service in target.selected}
        return groups | {f"{base}/subtree/{target.name}"}

    def compile_files(self, target: Target, resources: Sequence[Resource]) -> dict[str, str]:
        """One JSON request body per object (secrets as fingerprints)."""
        return {
            f"{resource.kind}/{resource.name.replace('/', '__')}.json": json.dumps(
                resource.body, indent=2, sort_keys=True
            )
            + "\n"
            for resource in resources
        }
