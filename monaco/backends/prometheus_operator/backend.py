"""The prometheus-operator backend: a PrometheusRule and an AlertmanagerConfig per service, as GitOps files.

Each namespace's objects are one YAML stream (`<name_prefix><namespace>.yaml`, documents separated
by `---`, `kubectl apply -f`-able) in `manifests_dir`; planned and applied against that directory
like the Prometheus backend's rule files. Codes: MON301 (an alert without PromQL, shared with the
Prometheus backend), MON501 (a service's routes have no receiver for the rest of its alerts, so no
AlertmanagerConfig is written for it), MON502 (the target's `default_receiver` names no receiver),
MON504 (a time interval's period in a zone other than UTC: v1alpha1 has no `location`, `time_intervals.py`);
the target's `levels` sets the level of MON301, MON501 and MON504.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

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
from monaco.backends.lock import file_lock, lock_path
from monaco.backends.ownership import owner_header
from monaco.backends.prometheus_operator import live
from monaco.backends.prometheus_operator.config import (
    OperatorConfig,
    manifest_file,
    namespace_of,
    object_labels,
    object_name,
)
from monaco.backends.prometheus_operator.manifests import CONFIG_API, alertmanager_config, prometheus_rule
from monaco.backends.prometheus_operator.routing import config_deliveries
from monaco.backends.prometheus_operator.time_intervals import LOCATION_NOT_KEPT, mute_time_interval, zoned_locations
from monaco.backends.promrules.family import SOURCES as PROMETHEUS_SOURCES
from monaco.backends.promrules.service_rules import canonical_group, service_groups
from monaco.backends.promrules.slo_notes import live_slo_notes
from monaco.backends.unsupported import level_of, not_here
from monaco.diagnostics import Diagnostic
from monaco.ir.nodes import Model, Service
from monaco.ir.route_query import Delivery, RouteQuery
from monaco.ir.time_intervals import intervals_used_by
from monaco.plan.diff import after_changes
from monaco.plan.model import Change, Resource
from monaco.plan.yamltext import dump_yaml
from monaco.spec.sources import SourceFamily
from monaco.spec.types import SpecModel

GENERATED_NOTE = "# Generated from service specs by monaco. Edit the specs, not this file.\n"


class OperatorBackend(BackendDefaults):
    """Renders, reads, diffs and applies PrometheusRule and AlertmanagerConfig manifests in a directory."""

    kind: ClassVar[str] = "prometheus_operator"
    config_model: ClassVar[type[SpecModel]] = OperatorConfig
    sources: ClassVar[SourceFamily | None] = PROMETHEUS_SOURCES

    def render(self, model: Model, target: Target, secrets: SecretFingerprint) -> RenderResult:
        """Per selected service its PrometheusRule and AlertmanagerConfig, and per namespace one manifest file.

        A manifest file's body is empty: what it holds is its objects' business, so removing a service
        is deletes only, and the file resource is there to be refused (a hand-written file) or deleted.
        """
        config = _config(target)
        result = RenderResult()
        for service in target.selected:
            result.resources.extend(self._service_objects(model, target, service, result))
        if config.default_receiver and config.default_receiver not in {r.name for r in model.receivers}:
            result.diagnostics.append(
                Diagnostic(
                    "MON502",
                    f"target {target.name}: default_receiver {config.default_receiver!r} is no receiver of the specs",
                    target.origin,
                    "name a receiver defined in a Service or Team document",
                )
            )
        result.diagnostics.extend(_zoned_intervals(model, target))
        files = sorted({str(r.body["file"]) for r in result.resources})
        result.resources.extend(Resource(live.MANIFEST_FILE, name, {}) for name in files)
        return result

    def _service_objects(self, model: Model, target: Target, service: Service, result: RenderResult) -> list[Resource]:
        """The service's PrometheusRule (when it has rules) and AlertmanagerConfig (when it routes anything)."""
        config = _config(target)
        namespace = namespace_of(config, service)
        file = manifest_file(config, namespace)
        name = object_name(config, service)
        key_name = f"{namespace}/{name}"
        groups, problems = service_groups(service, lambda code: level_of(target, code))
        result.diagnostics.extend(problems)
        resources = []
        if groups:
            metadata = {
                "name": name,
                "namespace": namespace,
                "labels": object_labels(config.rule_labels, target.name, service),
            }
            manifest = prometheus_rule(metadata, [g.body for g in groups])
            notes = {f"{g.name}: {k}": v for g in groups for k, v in g.notes.items()}
            body = {"file": file, "object": manifest}
            resources.append(Resource("prometheus_rule", key_name, body, notes=notes, address=service.name))
        receivers = {r.name: r for r in model.receivers}
        root = service.team_default_receiver or config.default_receiver
        if root is None or root not in receivers:
            if service.routes:
                result.diagnostics.append(_no_root_receiver(target, service))
            return resources
        metadata = {
            "name": name,
            "namespace": namespace,
            "labels": object_labels(config.config_labels, target.name, service),
        }
        severities = [s.name for s in model.severities]
        intervals = [mute_time_interval(i) for i in intervals_used_by(model.time_intervals, [service])]
        manifest, keys = alertmanager_config(
            metadata, service, root, receivers, severities, config.secret_name, intervals
        )
        notes = {f"secret {config.secret_name}/{key}": ref for key, ref in sorted(keys.items())}
        body = {"file": file, "object": manifest}
        resources.append(Resource("alertmanager_config", key_name, body, notes=notes, address=service.name))
        return resources

    def read_live(self, target: Target) -> LiveState:
        """Every manifest file in the directory and the two kinds' objects in them, owned by file header and label."""
        state = live.read_manifests_dir(_manifests_dir(target), target.name, _own_files(target))
        state.resources = [_canonical(r) for r in state.resources]
        return state

    def requires_replace(self, before: Resource, after: Resource) -> bool:
        """An object moving to another file is deleted in one and created in the other."""
        return before.kind != live.MANIFEST_FILE and before.body.get("file") != after.body.get("file")

    def compile_files(self, target: Target, resources: Sequence[Resource]) -> dict[str, str]:
        """Each namespace's YAML stream: the owner header, then one `---` document per object."""
        objects: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
        for resource in resources:
            if resource.kind in live.KINDS.values():
                entry = (resource.name, resource.kind, resource.body["object"])
                objects.setdefault(resource.body["file"], []).append(entry)
        header = owner_header(target.name) + GENERATED_NOTE
        return {
            name: header + "".join("---\n" + dump_yaml(manifest) for _, _, manifest in sorted(entries))
            for name, entries in sorted(objects.items())
        }

    def apply(
        self,
        target: Target,
        changes: Sequence[Change],
        secrets: SecretValue,
        progress: Notice = print_nothing,
        cancel: threading.Event = NEVER_CANCELLED,
    ) -> ApplyReport:
        """Rewrite the manifest files the changes touch, atomically; never one this target does not hold."""
        directory = _manifests_dir(target)
        state = after_changes(self.read_live(target).resources, changes)
        files = self.compile_files(target, list(state.values()))
        touched = sorted({name for change in changes for name in _files_of(change)})
        if cancel.is_set():
            return ApplyReport().cancelled(changes)
        transaction = FileTransaction()

        def paths_of(change: Change) -> list[Path]:
            """The manifest files a change touches."""
            return [directory / name for name in _files_of(change)]

        try:
            for name in touched:
                path = directory / name
                if path.exists() and (holder := live.file_holder(path, target.name, _own_files(target))):
                    raise PermissionError(f"{path} belongs to {holder}; not touching it")
                if name in files:
                    transaction.write(path, files[name])
                else:
                    transaction.delete(path)
        except OSError as exc:
            return failed_apply(changes, paths_of, transaction, transaction.describe_failure() or str(exc))
        return ApplyReport().all_applied(changes)

    def route_deliveries(
        self, model: Model, target: Target, resources: Sequence[Resource], queries: Sequence[RouteQuery]
    ) -> list[Delivery]:
        """Each query's receivers, by walking the route trees of the AlertmanagerConfig objects rendered."""
        return config_deliveries(resources, target.selected, queries)

    def claims(self, target: Target) -> set[str]:
        """The manifest files this target writes, as resolved paths."""
        directory = _manifests_dir(target).resolve()
        return {str(directory / name) for name in _own_files(target)}

    def lock(self, target: Target, timeout: float, notice: Notice) -> AbstractContextManager[object]:
        """A lock file beside the manifests directory, shared by every target writing to it."""
        return file_lock(lock_path(_manifests_dir(target)), timeout, notice)


def _no_root_receiver(target: Target, service: Service) -> Diagnostic:
    return not_here(
        target,
        "MON501",
        f"service {service.name} has routes but no receiver for its other alerts, which an AlertmanagerConfig "
        "requires; no AlertmanagerConfig is written for it",
        service.origin,
        "set `default_receiver` on its team, or `default_receiver` in the target's config",
    )


def _zoned_intervals(model: Model, target: Target) -> list[Diagnostic]:
    """MON504 for each interval the selected routes use whose periods name a zone v1alpha1 cannot hold."""
    found = []
    for interval in intervals_used_by(model.time_intervals, target.selected):
        zones = zoned_locations(interval)
        if zones:
            message = (
                f"time interval {interval.name!r} is read in {', '.join(zones)}, but an AlertmanagerConfig "
                f"({CONFIG_API}) has no location: its times would be read in UTC"
            )
            hint = "write the times in UTC (and drop `location`), or set this code's level in the target's `levels`"
            found.append(not_here(target, LOCATION_NOT_KEPT, message, interval.origin, hint))
    return found


def _files_of(change: Change) -> set[str]:
    sides = [r for r in (change.before, change.after) if r is not None]
    return {r.name if r.kind == live.MANIFEST_FILE else str(r.body["file"]) for r in sides}


def _own_files(target: Target) -> set[str]:
    """The manifest files this target writes for its selected services."""
    config = _config(target)
    return {manifest_file(config, namespace_of(config, service)) for service in target.selected}


def _manifests_dir(target: Target) -> Path:
    return target.path(_config(target).manifests_dir)


def _config(target: Target) -> OperatorConfig:
    assert isinstance(target.config, OperatorConfig)
    return target.config


def _canonical(resource: Resource) -> Resource:
    """A PrometheusRule's groups in the form the renderer writes (durations, label values, empty maps)."""
    spec = resource.body.get("object", {}).get("spec") if resource.kind == "prometheus_rule" else None
    if not isinstance(spec, dict) or not isinstance(spec.get("groups"), list):
        return resource
    groups = [canonical_group(g) if isinstance(g, dict) else g for g in spec["groups"]]
    manifest = {**resource.body["object"], "spec": {**spec, "groups": groups}}
    notes = {f"{g['name']}: {k}": v for g in groups if isinstance(g, dict) for k, v in live_slo_notes(g).items()}
    return replace(resource, body={**resource.body, "object": manifest}, notes=notes)
