"""The Alertmanager backend: one config file merged from a base config, reloaded and verified when live."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, ClassVar

from pydantic import Field, HttpUrl

from monaco.backends.alertmanager.routing import compiled_route_tree, tree_deliveries
from monaco.backends.amconfig.base_config import load_base_config
from monaco.backends.amconfig.config_file import BASE_HEADER, assemble, file_header, live_secret_values, split
from monaco.backends.amconfig.render import inhibit_rule, receiver_resource, route_subtree
from monaco.backends.amconfig.time_intervals import interval_resources
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
from monaco.backends.files import FileTransaction, failed_apply, reload_or_rollback
from monaco.backends.lock import file_lock, lock_path
from monaco.backends.ownership import Claim, file_owner
from monaco.diagnostics import Diagnostic, Span
from monaco.drill.contract import DrillAlert, DrillResult, DrillWait
from monaco.ir.inhibition import inhibit_rules
from monaco.ir.nodes import Model, Receiver
from monaco.ir.pagerduty_severity import model_template
from monaco.ir.route_query import Delivery, RouteQuery
from monaco.ir.routing import service_receivers
from monaco.ir.time_intervals import intervals_used_by
from monaco.plan.diff import after_changes
from monaco.plan.model import Change, Resource
from monaco.spec.secrets import fingerprint
from monaco.spec.types import SpecModel
from monaco.spec.yaml_data import YamlReadError, load_one_yaml

_DEFAULT_BASE: dict[str, Any] = {
    "route": {"receiver": "default", "group_by": ["alertname", "service"]},
    "receivers": [{"name": "default"}],
}
BASE_CODE = "MON303"
"""The diagnostic code of every problem with the base config."""
INTERVAL_IN_BASE = "MON306"
"""A Settings time interval whose name the base config also defines."""


class AlertmanagerConfig(SpecModel):
    """Where the Alertmanager config goes, the platform's base config, and optionally the live server."""

    config_file: str = Field(description="The config file monaco writes, relative to the target file.")
    base_config: str | None = Field(
        default=None, description="Platform-owned base config (global, templates, root route)."
    )
    url: HttpUrl | None = Field(default=None, description="Live Alertmanager: reloaded after apply and checked.")


class AlertmanagerBackend(BackendDefaults):
    """Renders, reads, diffs and applies an Alertmanager configuration file."""

    kind: ClassVar[str] = "alertmanager"
    config_model: ClassVar[type[SpecModel]] = AlertmanagerConfig
    merged_config: ClassVar[bool] = True
    read_beside_render: ClassVar[bool] = True

    def render(self, model: Model, target: Target, secrets: SecretFingerprint) -> RenderResult:
        """The base config, a route subtree and inhibit rules per service, and the receivers they use."""
        config = _config(target)
        result = RenderResult()
        base: dict[str, Any] = target.inputs.get("base_config") or dict(_DEFAULT_BASE)
        default_receiver = str(base.get("route", {}).get("receiver", "default"))
        file_name = Path(config.config_file).name
        result.resources.append(Resource("config_file", file_name, {"base": config.base_config or "(built-in)"}))
        result.resources.append(Resource("base_config", config.base_config or "(built-in)", {"config": base}))
        severities = [s.name for s in model.severities]
        used: set[str] = set()
        for service in target.selected:
            result.resources.append(
                Resource("route", service.name, route_subtree(service, default_receiver), address=service.name)
            )
            used.update(r for route in service.routes for r in route.receivers)
            used.update(service_receivers(service))
            if service.team_default_receiver:
                used.add(service.team_default_receiver)
            for rule in inhibit_rules(service, severities):
                result.resources.append(Resource("inhibit_rule", rule.name, inhibit_rule(rule), address=service.name))
        used_intervals = intervals_used_by(model.time_intervals, target.selected)
        where = f"the base config {config.base_config}" if config.base_config else "the built-in base config"
        intervals, clashes = interval_resources(used_intervals, base, INTERVAL_IN_BASE, where)
        result.resources.extend(intervals)
        result.diagnostics.extend(clashes)
        base_receivers = {r.get("name") for r in base.get("receivers") or [] if isinstance(r, dict)}
        for receiver in model.receivers:
            if receiver.name in used:
                if receiver.name in base_receivers:
                    result.diagnostics.append(
                        Diagnostic(
                            "MON302",
                            f"receiver {receiver.name!r} is also defined in the base config",
                            receiver.origin,
                            "rename the spec's receiver; the base config belongs to the platform team",
                        )
                    )
                    continue
                resource, problems = receiver_resource(receiver, secrets, model_template(model))
                result.resources.append(resource)
                result.diagnostics.extend(problems)
                result.diagnostics.extend(_smtp_problems(receiver, base, config.base_config))
        return result

    def load_inputs(self, target: Target) -> tuple[dict[str, Any], list[Diagnostic]]:
        """The base config, read once with the workspace; one that cannot be read or merged into is a diagnostic,
        and the built-in one stands in."""
        config = _config(target)
        if config.base_config is None:
            return {"base_config": dict(_DEFAULT_BASE)}, []
        data, problems = load_base_config(target.path(config.base_config), target.origin, BASE_CODE)
        return {"base_config": dict(_DEFAULT_BASE) if data is None else data}, problems

    def read_live(self, target: Target) -> LiveState:
        """The pieces of the config file this target wrote; any other file is one unowned resource."""
        path = target.path(_config(target).config_file)
        state = LiveState()
        if not path.exists():
            return state
        state.calls = 1
        text = path.read_text(encoding="utf-8", errors="replace")
        owner = file_owner(text)
        if owner.claim(target.name, would_write=True) is not Claim.OURS:
            state.resources.append(Resource("config_file", path.name, {}, owned=False, holder=owner.describe()))
            return state
        try:
            data = load_one_yaml(text) or {}
        except YamlReadError as exc:
            state.diagnostics.append(
                Diagnostic(
                    "MON422",
                    f"cannot parse live Alertmanager config: {exc}",
                    Span(str(path), exc.line or 1, exc.col or 1),
                )
            )
            return state
        base_name = file_header(text).get(BASE_HEADER, "")
        state.resources.append(Resource("config_file", path.name, {"base": base_name}))
        state.resources.extend(split(text, data, fingerprint))
        return state

    def compile_files(self, target: Target, resources: Sequence[Resource]) -> dict[str, str]:
        """The config file, with fake placeholders where secrets would go."""
        return {Path(_config(target).config_file).name: assemble(target.name, list(resources))}

    def apply(
        self,
        target: Target,
        changes: Sequence[Change],
        secrets: SecretValue,
        progress: Notice = print_nothing,
        cancel: threading.Event = NEVER_CANCELLED,
    ) -> ApplyReport:
        """Rewrite the config file from live state plus changes; reload, verify, or put the old file back."""
        config = _config(target)
        path = target.path(config.config_file)
        report = ApplyReport()
        live = self.read_live(target)
        if any(not r.owned for r in live.resources):
            holder = next(r.holder for r in live.resources if not r.owned)
            return report.none_applied(changes, f"{path} belongs to {holder}; not touching it")
        state = after_changes(live.resources, changes)
        receivers = [r for r in state.values() if r.kind == "receiver"]
        values, problem = _secret_values(receivers, _live_values(path), secrets)
        if problem:
            return report.none_applied(changes, f"{problem}; nothing applied")
        if cancel.is_set():
            return ApplyReport().cancelled(changes)
        transaction = FileTransaction()
        try:
            if "base_config" not in {r.kind for r in state.values()}:
                transaction.delete(path)
            else:
                transaction.write(path, assemble(target.name, list(state.values()), values), private=bool(values))
        except OSError as exc:
            return failed_apply(changes, lambda change: [path], transaction, transaction.describe_failure() or str(exc))
        if config.url is not None:
            from monaco.backends.alertmanager.reload import (
                reload_and_verify,  # the HTTP client, only when a server is named
            )

            url, names = str(config.url), {r.name for r in receivers}
            problem = reload_or_rollback(
                transaction, lambda: reload_and_verify(url, names), lambda: reload_and_verify(url, None)
            )
            if problem:
                return failed_apply(changes, lambda change: [path], transaction, problem)
        return report.all_applied(changes)

    def route_deliveries(
        self, model: Model, target: Target, resources: Sequence[Resource], queries: Sequence[RouteQuery]
    ) -> list[Delivery]:
        """Each query's receivers, by walking the route tree of the config file compile writes (not the IR)."""
        return tree_deliveries(compiled_route_tree(target.name, resources), target.selected, queries)

    def claims(self, target: Target) -> set[str]:
        """The one config file this target writes, as a resolved path."""
        return {str(target.path(_config(target).config_file).resolve())}

    def lock(self, target: Target, timeout: float, notice: Notice) -> AbstractContextManager[object]:
        """A lock file beside the config file."""
        return file_lock(lock_path(target.path(_config(target).config_file)), timeout, notice)

    def drill(self, target: Target, alert: DrillAlert, wait: DrillWait) -> DrillResult:
        """Post the drill alert to the live Alertmanager (`url`), read which receivers' groups hold it, resolve it."""
        from monaco.drill.alertmanager import drill_alertmanager

        url = _config(target).url
        return drill_alertmanager(None if url is None else str(url), alert, wait)


def _smtp_problems(receiver: Receiver, base: dict[str, Any], base_file: str | None) -> list[Diagnostic]:
    """MON305: an email receiver when the base config sets no global SMTP smarthost or sender (Alertmanager refuses it)."""
    if receiver.spec.email is None:
        return []
    found = base.get("global")
    settings: dict[str, Any] = found if isinstance(found, dict) else {}
    missing = [key for key in ("smtp_smarthost", "smtp_from") if not settings.get(key)]
    if not missing:
        return []
    where = base_file or "the built-in base config"
    return [
        Diagnostic(
            "MON305",
            f"receiver {receiver.name!r} sends email, but {where} sets no global {' or '.join(missing)}; "
            "Alertmanager would refuse the config",
            receiver.origin,
            "set `global.smtp_smarthost` and `global.smtp_from` in the base config (the platform team's)",
        )
    ]


def _live_values(path: Path) -> dict[str, str]:
    """The real secret values in the live config file (none when it is missing or unreadable)."""
    try:
        text = path.read_text(encoding="utf-8")
        data = load_one_yaml(text) or {}
    except (OSError, YamlReadError):
        return {}
    return live_secret_values(text, data) if isinstance(data, dict) else {}


def _secret_values(
    receivers: list[Resource], live_values: dict[str, str], secrets: SecretValue
) -> tuple[dict[str, str], str | None]:
    """Every secret the file must carry: changed receivers' resolved, unchanged ones' kept from the live file."""
    values: dict[str, str] = {}
    for receiver in receivers:
        for pointer, ref in receiver.secrets.items():
            field = f"{receiver.name}{pointer}"
            if ref:
                try:
                    values[field] = secrets(ref)
                except KeyError as exc:
                    return {}, f"cannot resolve secret {ref} of receiver {receiver.name} ({exc.args[0]})"
            elif field in live_values:
                values[field] = live_values[field]
            else:
                return {}, f"receiver {receiver.name}: the live file has no real value at {pointer} and no reference"
    return values, None


def _config(target: Target) -> AlertmanagerConfig:
    assert isinstance(target.config, AlertmanagerConfig)
    return target.config
