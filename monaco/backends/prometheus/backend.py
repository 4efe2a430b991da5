"""The Prometheus backend: rule files in a directory, optionally reloaded and verified on a live server."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from pydantic import Field, HttpUrl, model_validator

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
from monaco.backends.files import FileTransaction, TextsOnRead, failed_apply, reload_or_rollback
from monaco.backends.lock import file_lock, lock_path
from monaco.backends.ownership import Claim, file_owner, owner_header
from monaco.backends.prometheus import live
from monaco.backends.promrules.family import SOURCES as PROMETHEUS_SOURCES
from monaco.backends.promrules.service_rules import MISSING_PROMQL, service_groups, service_problems
from monaco.backends.unsupported import NotHereLevels, fold_deprecated_levels, level_of
from monaco.diagnostics import Diagnostic
from monaco.ir.nodes import Model
from monaco.parallel import map_split
from monaco.plan.diff import after_changes
from monaco.plan.model import Change, Resource
from monaco.plan.yamltext import dump_yaml
from monaco.spec.sources import SourceFamily
from monaco.spec.types import SpecModel

GENERATED_NOTE = "# Generated from service specs by monaco. Edit the specs, not this file.\n"


class PrometheusConfig(SpecModel, NotHereLevels):
    """Where a Prometheus target's rule files go and, optionally, the server that loads them."""

    rules_dir: str = Field(description="Directory of rule files, relative to the target file.")
    url: HttpUrl | None = Field(default=None, description="Live Prometheus: reloaded after apply and checked.")
    file_prefix: str = Field(default="monaco-", pattern=r"^[A-Za-z0-9_.-]*$")

    @model_validator(mode="before")
    @classmethod
    def _deprecated_levels(cls, data: Any) -> Any:
        return fold_deprecated_levels(data, {"missing_source": MISSING_PROMQL})


def rule_file_name(config: PrometheusConfig, service: str) -> str:
    """The file that holds a service's rule groups."""
    return f"{config.file_prefix}{service}.rules.yml"


class PrometheusBackend(BackendDefaults):
    """Renders, reads, diffs and applies Prometheus rule files."""

    kind: ClassVar[str] = "prometheus"
    config_model: ClassVar[type[SpecModel]] = PrometheusConfig
    sources: ClassVar[SourceFamily | None] = PROMETHEUS_SOURCES

    def render(self, model: Model, target: Target, secrets: SecretFingerprint) -> RenderResult:
        """One rule file per selected service, holding its threshold group and one group per SLO."""
        config = _config(target)
        result = RenderResult()
        groups_of = partial(service_groups, level_for=partial(level_of, target))
        rendered = map_split(groups_of, target.selected)  # a forked child renders about half the services
        for service, (groups, problems) in zip(target.selected, rendered, strict=True):
            result.diagnostics.extend(problems)
            if not groups:
                continue
            file_name = rule_file_name(config, service.name)
            result.resources.append(
                Resource("rule_file", file_name, {"groups": [g.name for g in groups]}, address=service.name)
            )
            for group in groups:
                body = {"file": file_name, "group": group.body}
                result.resources.append(
                    Resource("rule_group", group.name, body, notes=group.notes, address=group.address)
                )
        return result

    def check(self, model: Model, target: Target, secrets: SecretFingerprint) -> list[Diagnostic]:
        """What `render` reports, found without rendering a rule. Keys cannot repeat (a file and a group per service,
        a group per SLO named `<service>.slo.<slo>`; names hold no dots), so MON304 cannot arise here."""
        return [p for s in target.selected for p in service_problems(s, lambda code: level_of(target, code))]

    def read_live(self, target: Target) -> LiveState:
        """Rule groups in the rules directory; a file without the owner marker is read as not owned."""
        return _read_live(target)

    def read_live_knowing(self, target: Target, desired: Sequence[Resource]) -> LiveState:
        """As `read_live`; an owned rule file whose text is exactly what `desired` writes is not parsed: its groups
        are `desired`'s (at 1,000 services the files are 36 MB of YAML, several times the specs). Each file's text is
        written only when compared, so one file's at a time is held."""
        known = live.KnownFiles(_groups_by_file(desired), partial(_file_text, target))
        return live.read_rules_dir(target.path(_config(target).rules_dir), target.name, _own_names(target), known)

    def requires_replace(self, before: Resource, after: Resource) -> bool:
        """A rule group moving to another file is a replace: it is deleted in one file and created in another."""
        return before.kind == "rule_group" and before.body.get("file") != after.body.get("file")

    def compile_files(self, target: Target, resources: Sequence[Resource]) -> Mapping[str, str]:
        """Every rule file's text, keyed by file name; each text is written when it is read (not kept)."""
        groups = dict(sorted(_groups_by_file(resources).items()))
        return TextsOnRead(groups, lambda file_groups: _file_text(target, file_groups))

    def apply(
        self,
        target: Target,
        changes: Sequence[Change],
        secrets: SecretValue,
        progress: Notice = print_nothing,
        cancel: threading.Event = NEVER_CANCELLED,
    ) -> ApplyReport:
        """Rewrite the files the changes touch, atomically; reload and verify when a URL is configured."""
        config = _config(target)
        rules_dir = target.path(config.rules_dir)
        state = after_changes(_read_live(target).resources, changes)
        files = self.compile_files(target, list(state.values()))
        touched = {name for c in changes for name in self._files_of(c)}
        if cancel.is_set():
            return ApplyReport().cancelled(changes)
        transaction = FileTransaction()

        def paths_of(change: Change) -> list[Path]:
            """The rule files a change touches."""
            return [rules_dir / name for name in self._files_of(change)]

        try:
            for name in sorted(touched):
                path = rules_dir / name
                if path.exists() and (holder := _foreign_holder(target, path)):
                    raise PermissionError(f"{path} belongs to {holder}; not touching it")
                if name in files:
                    transaction.write(path, files[name])
                else:
                    transaction.delete(path)
        except OSError as exc:
            return failed_apply(changes, paths_of, transaction, transaction.describe_failure() or str(exc))
        if config.url is not None:
            from monaco.backends.prometheus.reload import (
                reload_and_verify,  # the HTTP client, only when a server is named
            )

            url = str(config.url)
            problem = reload_or_rollback(
                transaction, lambda: reload_and_verify(url, dict(files)), lambda: reload_and_verify(url, None)
            )
            if problem:
                return failed_apply(changes, paths_of, transaction, problem)
        return ApplyReport().all_applied(changes)

    def claims(self, target: Target) -> set[str]:
        """The rule files this target writes, as resolved paths."""
        rules_dir = target.path(_config(target).rules_dir).resolve()
        return {str(rules_dir / name) for name in _own_names(target)}

    def lock(self, target: Target, timeout: float, notice: Notice) -> AbstractContextManager[object]:
        """A lock file beside the rules directory, shared by every target writing to that directory."""
        return file_lock(lock_path(target.path(_config(target).rules_dir)), timeout, notice)

    @staticmethod
    def _files_of(change: Change) -> set[str]:
        sides = [r for r in (change.before, change.after) if r is not None]
        return {r.name if r.kind == "rule_file" else str(r.body["file"]) for r in sides}


def _groups_by_file(resources: Sequence[Resource]) -> dict[str, list[dict[str, Any]]]:
    """The rule groups among `resources`, by the file that holds them, in order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for resource in resources:
        if resource.kind == "rule_group":
            groups.setdefault(resource.body["file"], []).append(resource.body["group"])
    return groups


def _file_text(target: Target, groups: list[dict[str, Any]]) -> str:
    """A rule file's text: the owner header, then its groups."""
    return owner_header(target.name) + GENERATED_NOTE + dump_yaml({"groups": groups})


def _own_names(target: Target) -> set[str]:
    """The rule file names this target writes for its selected services."""
    config = _config(target)
    return {rule_file_name(config, service.name) for service in target.selected}


def _read_live(target: Target) -> LiveState:
    """The target's rule files, with ownership decided by the target each file names."""
    return live.read_rules_dir(target.path(_config(target).rules_dir), target.name, _own_names(target))


def _foreign_holder(target: Target, path: Path) -> str | None:
    """Who holds an existing rule file, when it is not this target's to change; None when it is."""
    owner = file_owner(path.read_text(encoding="utf-8"))
    return None if owner.claim(target.name, path.name in _own_names(target)) is Claim.OURS else owner.describe()


def _config(target: Target) -> PrometheusConfig:
    assert isinstance(target.config, PrometheusConfig)
    return target.config
