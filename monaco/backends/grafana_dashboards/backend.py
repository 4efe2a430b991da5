"""The `grafana_dashboards` backend: the contract wired to render, provisioning files or the HTTP API, and apply."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import ClassVar

from monaco.backends.base import (
    NEVER_CANCELLED,
    ApplyReport,
    BackendDefaults,
    LiveState,
    Notice,
    RenderResult,
    SecretFingerprint,
    SecretValue,
    Target,
    print_nothing,
)
from monaco.backends.files import FileTransaction, failed_apply
from monaco.backends.grafana_dashboards.config import GrafanaDashboardsConfig
from monaco.backends.lock import file_lock, lock_path
from monaco.ir.nodes import Model
from monaco.plan.diff import after_changes
from monaco.plan.model import Change, Resource
from monaco.spec.types import SpecModel

DASHBOARD = "dashboard"
PROVIDER = "provider"


def _config(target: Target) -> GrafanaDashboardsConfig:
    assert isinstance(target.config, GrafanaDashboardsConfig)
    return target.config


class GrafanaDashboardsBackend(BackendDefaults):
    """A dashboard per service (SLOs, burn rates, alerts) in a monaco folder: provisioning files or a live Grafana."""

    kind: ClassVar[str] = "grafana_dashboards"
    config_model: ClassVar[type[SpecModel]] = GrafanaDashboardsConfig

    def render(self, model: Model, target: Target, secrets: SecretFingerprint) -> RenderResult:
        """One dashboard per selected service with something to draw; the provider YAML for a files target."""
        from monaco.backends.grafana_dashboards.provisioning import provider_body, provider_file
        from monaco.backends.grafana_dashboards.render import render_service

        config = _config(target)
        result = RenderResult()
        for service in target.selected:
            rendered, problems = render_service(service, target, config)
            result.diagnostics.extend(problems)
            if rendered is not None:
                body = {"folder": config.folder_uid, "dashboard": rendered.model}
                notes = {"title": str(rendered.model["title"]), "folder": f"{config.folder} ({config.folder_uid})"}
                result.resources.append(Resource(DASHBOARD, rendered.uid, body, notes=notes, address=service.name))
        if config.dashboards_dir is not None and result.resources:
            name = provider_file(target.name)
            result.resources.append(Resource(PROVIDER, name, provider_body(config, target.name), address=target.name))
        return result

    def read_live(self, target: Target) -> LiveState:
        """The dashboards (and provider) the target's directory or Grafana holds, ownership read from tags."""
        config = _config(target)
        if config.dashboards_dir is not None:
            from monaco.backends.grafana_dashboards.provisioning import read_dir

            return read_dir(target.path(config.dashboards_dir), target, config)
        from monaco.backends.grafana_dashboards.live_http import read_live

        return read_live(target, config)

    def apply(
        self,
        target: Target,
        changes: Sequence[Change],
        secrets: SecretValue,
        progress: Notice = print_nothing,
        cancel: threading.Event = NEVER_CANCELLED,
    ) -> ApplyReport:
        """Write the touched files atomically, or post and delete the changed dashboards one by one."""
        config = _config(target)
        if cancel.is_set():
            return ApplyReport().cancelled(changes)
        if config.dashboards_dir is not None:
            return self._apply_files(target, config, changes)
        from monaco.backends.grafana_dashboards.apply_http import apply_changes
        from monaco.backends.grafana_dashboards.client import GrafanaHttp

        try:
            api = GrafanaHttp(config, target.base_dir)
        except KeyError as exc:
            return ApplyReport().none_applied(changes, f"target {target.name}: credential not set ({exc.args[0]})")
        return apply_changes(api, config, changes, cancel, progress)

    def _apply_files(self, target: Target, config: GrafanaDashboardsConfig, changes: Sequence[Change]) -> ApplyReport:
        """Rewrite or remove exactly the files the changes touch; refuse a file that is not this target's."""
        from monaco.backends.grafana_dashboards.provisioning import compile_files, dashboard_file, foreign_holder

        directory = target.path(config.dashboards_dir or ".")
        state = after_changes(self.read_live(target).resources, changes)
        files = compile_files(target, list(state.values()))

        def paths_of(change: Change) -> list[Path]:
            """The file a change touches."""
            resource = change.resource
            return [directory / (dashboard_file(resource.name) if resource.kind == DASHBOARD else resource.name)]

        transaction = FileTransaction()
        try:
            for path in sorted({p for change in changes for p in paths_of(change)}):
                if path.exists() and (holder := foreign_holder(path, target.name)):
                    raise PermissionError(f"{path} belongs to {holder}; not touching it")
                if path.name in files:
                    transaction.write(path, files[path.name])
                else:
                    transaction.delete(path)
        except OSError as exc:
            return failed_apply(changes, paths_of, transaction, transaction.describe_failure() or str(exc))
        return ApplyReport().all_applied(changes)

    def compile_files(self, target: Target, resources: Sequence[Resource]) -> dict[str, str]:
        """The provisioning files: one `<uid>.json` per dashboard and the provider YAML."""
        from monaco.backends.grafana_dashboards.provisioning import compile_files

        return compile_files(target, resources)

    def claims(self, target: Target) -> set[str]:
        """The files this target writes, or its dashboards' uids on its Grafana."""
        config = _config(target)
        uids = [config.dashboard_uid(service.name) for service in target.selected]
        if config.dashboards_dir is not None:
            directory = target.path(config.dashboards_dir).resolve()
            return {str(directory / f"{uid}.json") for uid in uids}
        return {f"{config.base_url}/d/{uid}" for uid in uids}

    def lock(self, target: Target, timeout: float, notice: Notice) -> AbstractContextManager[object]:
        """A lock file beside the directory, or the lock dashboard on a live Grafana."""
        config = _config(target)
        if config.dashboards_dir is not None:
            return file_lock(lock_path(target.path(config.dashboards_dir)), timeout, notice)
        from monaco.backends.grafana_dashboards.apply_http import dashboard_lock

        return dashboard_lock(config, target.base_dir, target.name, timeout, notice)
