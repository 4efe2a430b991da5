"""The `pagerduty` backend: the contract wired to render, live (canonical at the edge) and apply."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import ClassVar

from pydantic import BaseModel

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
    target_config,
)
from monaco.backends.pagerduty.config import PagerDutyConfig
from monaco.backends.pagerduty.declared import Declaration, team_oncall
from monaco.backends.pagerduty.keys import (
    declared_names,
    owners_problem,
    read_keys,
    target_names,
    unknown_service,
    unreadable,
)
from monaco.backends.pagerduty.render import render_target, service_groups
from monaco.backends.pagerduty.sources import SOURCES as PAGERDUTY_SOURCES
from monaco.diagnostics import Diagnostic
from monaco.drill.contract import DrillAlert, DrillResult, DrillWait
from monaco.ir.nodes import Model, Service
from monaco.plan.model import Change, Resource
from monaco.spec.sources import SourceFamily


def _config(target: Target) -> PagerDutyConfig:
    return target_config(target, PagerDutyConfig)


def _declarations(target: Target) -> list[Declaration]:
    """The on-call declarations of the teams of the target's selected services."""
    by_team = {service.team: team_oncall(service) for service in target.selected}
    return [found for _, found in sorted(by_team.items()) if found is not None]


class PagerDutyBackend(BackendDefaults):
    """PagerDuty services (one per monaco service or team), escalation policies and Events API v2 integrations."""

    kind: ClassVar[str] = "pagerduty"
    config_model: ClassVar[type[BaseModel]] = PagerDutyConfig
    sources: ClassVar[SourceFamily | None] = PAGERDUTY_SOURCES

    def __init__(self) -> None:
        self.last_calls = 0

    def render(self, model: Model, target: Target, secrets: SecretFingerprint) -> RenderResult:
        """Desired policies and services for `target.selected`; deterministic, no I/O."""
        return render_target(model, target, _config(target))

    def read_live(self, target: Target) -> LiveState:
        """Policies and services under the target's prefix, paged; unknown schedules/users are MON1001."""
        from monaco.backends.pagerduty.client import describe_error, make_client
        from monaco.backends.pagerduty.live import read_all

        config = _config(target)
        client = make_client(config, target)
        try:
            live = read_all(client, config, target.name, _declarations(target))
        except Exception as exc:
            if type(exc).__module__.split(".")[0] not in ("pagerduty", "httpx2"):
                raise
            message = f"target {target.name}: cannot read PagerDuty: {describe_error(exc)}"
            diagnostic = Diagnostic("MON1002", message, target.origin, "check token, base_url and ca_file")
            return LiveState(diagnostics=[diagnostic], calls=client.calls)
        finally:
            self.last_calls = client.calls
            client.close()
        return LiveState(resources=live.resources, diagnostics=live.diagnostics, calls=self.last_calls)

    def apply(
        self,
        target: Target,
        changes: Sequence[Change],
        secrets: SecretValue,
        progress: Notice = print_nothing,
        cancel: threading.Event = NEVER_CANCELLED,
    ) -> ApplyReport:
        """Execute exactly `changes` in dependency order, reporting what was and was not applied."""
        from monaco.backends.pagerduty.apply import apply_changes
        from monaco.backends.pagerduty.client import describe_error, make_client
        from monaco.backends.pagerduty.live import read_all

        config = _config(target)
        client = make_client(config, target)
        try:
            live = read_all(client, config, target.name, _declarations(target))
            return apply_changes(client, config, target.name, changes, live, progress, cancel)
        except Exception as exc:
            if type(exc).__module__.split(".")[0] not in ("pagerduty", "httpx2"):
                raise
            return ApplyReport().none_applied(changes, f"cannot read PagerDuty before applying: {describe_error(exc)}")
        finally:
            self.last_calls = client.calls
            client.close()

    def lock(self, target: Target, timeout: float, notice: Notice) -> AbstractContextManager[object]:
        """No lock: PagerDuty has no object to hold one with; the stale-plan check re-reads under apply instead."""
        return contextlib.nullcontext()

    def drill(self, target: Target, alert: DrillAlert, wait: DrillWait) -> DrillResult:
        """An Events API v2 event with a drill dedup key on the service's monaco integration, then resolved."""
        from monaco.drill.pagerduty import drill_pagerduty

        return drill_pagerduty(_config(target), target, alert, wait)

    def claims(self, target: Target) -> set[str]:
        """The PagerDuty service of each selected service (or team, per_team), in the target's account."""
        config = _config(target)
        account = config.base_url or "https://api.pagerduty.com"
        return {f"{account}/services/{config.service_name(group[0])}" for group in service_groups(target.selected)}

    def service_names(self, services: Sequence[Service], targets: Iterable[Target]) -> set[str]:
        """The PagerDuty services receivers may name (`pagerduty: {service: X}`): on-call's and the targets'."""
        return declared_names(services, targets)

    def makes(self, target: Target) -> set[str]:
        """The PagerDuty services this target makes."""
        return target_names(target)

    def integration_keys(self, target: Target, names: Iterable[str]) -> dict[str, str | None]:
        """name -> its service's integration key, read from PagerDuty (None: not made yet); raises SDK errors."""
        return read_keys(target, names)

    unknown_service = staticmethod(unknown_service)
    owners_problem = staticmethod(owners_problem)
    unreadable = staticmethod(unreadable)

    def compile_files(self, target: Target, resources: Sequence[Resource]) -> dict[str, str]:
        """One JSON file per policy and service (no secret: the integration key exists only in PagerDuty)."""
        return {
            f"{resource.kind}/{resource.name.replace('/', '__')}.json": json.dumps(
                resource.body, indent=2, sort_keys=True
            )
            + "\n"
            for resource in resources
        }
