"""The `mimir_ruler` backend: the contract wired to render, live (canonical at the edge) and apply."""

from __future__ import annotations

import hashlib
import tempfile
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel

from monaco.backends.amconfig.base_config import load_base_config
from monaco.backends.base import (
    NEVER_CANCELLED,
    ApplyReport,
    BackendDefaults,
    ChangeResult,
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
from monaco.backends.mimir_ruler.am_render import ALERTMANAGER_CONFIG, BUILT_IN_BASE, render_alertmanager
from monaco.backends.mimir_ruler.codes import AM_BASE_UNREADABLE
from monaco.backends.mimir_ruler.config import MimirRulerConfig
from monaco.backends.mimir_ruler.render import NAMESPACE, RULE_GROUP, render_target
from monaco.backends.ownership import owner_header
from monaco.backends.promrules.family import SOURCES as PROMETHEUS_SOURCES
from monaco.diagnostics import Diagnostic
from monaco.ir.nodes import Model
from monaco.plan.model import Change, Resource
from monaco.plan.yamltext import dump_yaml
from monaco.spec.sources import SourceFamily

if TYPE_CHECKING:
    from monaco.backends.mimir_ruler.client import RulerClient

ALERTMANAGER_FILE = "alertmanager.yaml"
"""The compiled tenant Alertmanager config (`mimirtool alertmanager load alertmanager.yaml`)."""
GENERATED_NOTE = "# Generated from service specs by monaco; `mimirtool rules load` reads this file too.\n"


def _config(target: Target) -> MimirRulerConfig:
    return target_config(target, MimirRulerConfig)


class MimirRulerBackend(BackendDefaults):
    """Prometheus rule groups, one namespace per service or per target, on a Mimir/Cortex ruler tenant."""

    kind: ClassVar[str] = "mimir_ruler"
    config_model: ClassVar[type[BaseModel]] = MimirRulerConfig
    sources: ClassVar[SourceFamily | None] = PROMETHEUS_SOURCES

    def __init__(self) -> None:
        self.last_calls = 0

    def render(self, model: Model, target: Target, secrets: SecretFingerprint) -> RenderResult:
        """The rule groups of `target.selected` with owner markers, and the tenant's Alertmanager config if asked."""
        result = render_target(target, _config(target))
        resources, problems = render_alertmanager(model, target, _config(target), secrets)
        result.resources.extend(resources)
        result.diagnostics.extend(problems)
        return result

    def load_inputs(self, target: Target) -> tuple[dict[str, Any], list[Diagnostic]]:
        """The `alertmanager_base_config`, read once with the workspace (none when the target names none)."""
        config = _config(target)
        if config.alertmanager_base_config is None:
            return {}, []
        path = target.path(config.alertmanager_base_config)
        data, problems = load_base_config(path, target.origin, AM_BASE_UNREADABLE)
        return {"alertmanager_base": BUILT_IN_BASE if data is None else data}, problems

    def read_live(self, target: Target) -> LiveState:
        """The tenant's namespaces with the target's prefix, from one listing call; its Alertmanager config from one."""
        from monaco.backends.mimir_ruler.am_live import get_tenant_config, live_alertmanager
        from monaco.backends.mimir_ruler.live import read_live

        client = _client(target)
        config = _config(target)
        state = read_live(client, config, target)
        if config.alertmanager:
            live_alertmanager(get_tenant_config(client), config, target, state)
        self.last_calls = state.calls = client.calls
        return state

    def apply(
        self,
        target: Target,
        changes: Sequence[Change],
        secrets: SecretValue,
        progress: Notice = print_nothing,
        cancel: threading.Event = NEVER_CANCELLED,
    ) -> ApplyReport:
        """Post and delete exactly `changes`, group by group, reporting each outcome."""
        from monaco.backends.mimir_ruler.apply import apply_changes
        from monaco.backends.mimir_ruler.client import RulerUnreachable

        try:
            client = _client(target)
        except RulerUnreachable as exc:
            return ApplyReport().none_applied(changes, str(exc))
        ruler = [c for c in changes if c.resource.kind != ALERTMANAGER_CONFIG]
        report = apply_changes(client, ruler, progress, cancel)
        for change in (c for c in changes if c.resource.kind == ALERTMANAGER_CONFIG):
            report.results.append(_apply_alertmanager(client, change, target, secrets, cancel))
            if not report.results[-1].ok:
                report.errors.append(f"the Alertmanager config was not written: {report.results[-1].message}")
                progress(f"  {report.errors[-1]}")
        self.last_calls = client.calls
        return report

    def compile_files(self, target: Target, resources: Sequence[Resource]) -> dict[str, str]:
        """One mimirtool rules file per namespace (`namespace:` and `groups:`), the owner marker last."""
        namespaces: dict[str, list[dict[str, Any]]] = {}
        markers: dict[str, dict[str, Any]] = {}
        for resource in resources:
            if resource.kind == RULE_GROUP:
                namespaces.setdefault(resource.body["namespace"], []).append(resource.body["group"])
            elif resource.kind == NAMESPACE:
                markers[resource.name] = resource.body["marker"]
        header = owner_header(target.name) + GENERATED_NOTE
        files = {
            f"{name}.yaml": header + dump_yaml({"namespace": name, "groups": [*groups, markers[name]]})
            for name, groups in sorted(namespaces.items())
            if name in markers
        }
        for resource in (r for r in resources if r.kind == ALERTMANAGER_CONFIG):
            files[ALERTMANAGER_FILE] = compiled_alertmanager(target, resource)
        return files

    def claims(self, target: Target) -> set[str]:
        """Each namespace the target writes, in its ruler's tenant."""
        config = _config(target)
        claimed = {
            f"{config.url}{config.rules_path}#{config.tenant}/{config.namespace_of(target.name, s.name)}"
            for s in target.selected
        }
        return claimed | ({f"{config.alerts_url}#{config.tenant}"} if config.alertmanager else set())

    def lock(self, target: Target, timeout: float, notice: Notice) -> AbstractContextManager[object]:
        """A lock file per ruler tenant on this machine (the ruler API has nothing to lock with)."""
        config = _config(target)
        digest = hashlib.sha256(f"{config.url}\n{config.tenant}".encode()).hexdigest()[:16]
        place = Path(tempfile.gettempdir()) / "monaco-mimir-ruler" / digest
        return file_lock(lock_path(place), timeout, notice)


def _apply_alertmanager(
    client: RulerClient, change: Change, target: Target, secrets: SecretValue, cancel: threading.Event
) -> ChangeResult:
    """The tenant config's change, after every rule group's (a refused config changes no group's outcome)."""
    from monaco.backends.mimir_ruler.am_apply import apply_alertmanager

    if cancel.is_set():
        return ChangeResult(change.key, change.action.value, False, "not applied (cancelled)")
    return apply_alertmanager(client, change, target, secrets)


def compiled_alertmanager(target: Target, resource: Resource) -> str:
    """The config `mimirtool alertmanager load` takes: monaco's pieces in the base, placeholders for secrets."""
    from monaco.backends.mimir_ruler.am_apply import compile_text

    return compile_text(target.name, resource, _config(target).alertmanager_base_config)


def _client(target: Target) -> RulerClient:
    """A client for the target's ruler, credentials read from their references (relative to the target file)."""
    from monaco.backends.mimir_ruler.client import RulerClient, RulerUnreachable
    from monaco.spec.secrets import resolve

    try:
        return RulerClient.for_config(_config(target), lambda ref: resolve(ref, target.base_dir))
    except KeyError as exc:
        raise RulerUnreachable(f"cannot read the ruler credentials: {exc.args[0]}") from None
