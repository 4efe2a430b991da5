"""The `aws_cloudwatch` backend: the contract wired to render, live (canonical at the edge) and apply."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Any, ClassVar

from pydantic import BaseModel

from monaco.backends.aws_cloudwatch.clients import Clients, make_clients
from monaco.backends.aws_cloudwatch.config import CloudWatchConfig
from monaco.backends.aws_cloudwatch.routing import topic_deliveries
from monaco.backends.aws_cloudwatch.sources import SOURCES as CLOUDWATCH_SOURCES
from monaco.backends.aws_cloudwatch.target_render import render_target
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
from monaco.drill.contract import DrillAlert, DrillResult, DrillWait
from monaco.ir.nodes import Model
from monaco.ir.route_query import Delivery, RouteQuery
from monaco.plan.model import Change, Resource
from monaco.spec.sources import SourceFamily

log = logging.getLogger(__name__)
ClientsFactory = Callable[[CloudWatchConfig], Clients]


def _config(target: Target) -> CloudWatchConfig:
    return target_config(target, CloudWatchConfig)


def default_clients(config: CloudWatchConfig) -> Clients:
    """boto3 clients built from the target's profile, role and endpoint."""
    return make_clients(config)


class CloudWatchBackend(BackendDefaults):
    """CloudWatch metric and composite alarms, and SNS topics per receiver, for one AWS account and region."""

    kind: ClassVar[str] = "aws_cloudwatch"
    config_model: ClassVar[type[BaseModel]] = CloudWatchConfig
    sources: ClassVar[SourceFamily | None] = CLOUDWATCH_SOURCES

    def __init__(self, clients: ClientsFactory | None = None) -> None:
        self._clients = clients or default_clients
        self.last_calls: dict[str, int] = {}

    def render(self, model: Model, target: Target, secrets: SecretFingerprint) -> RenderResult:
        """Desired alarms and topics for `target.selected`; deterministic, no I/O."""
        return render_target(model, target, _config(target), secrets)

    def read_live(self, target: Target) -> LiveState:
        """Alarms and topics under the target's prefix, read in pages; `calls` counts the API calls."""
        from monaco.backends.aws_cloudwatch.live import read_live

        clients = self._clients(_config(target))
        state = read_live(clients, _config(target), target.name)
        self.last_calls = dict(clients.calls)
        return state

    def requires_replace(self, before: Resource, after: Resource) -> bool:
        """An alarm that changes between metric and composite must be deleted and created again."""
        return before.body.get("Type") != after.body.get("Type")

    def apply(
        self,
        target: Target,
        changes: Sequence[Change],
        secrets: SecretValue,
        progress: Notice = print_nothing,
        cancel: threading.Event = NEVER_CANCELLED,
    ) -> ApplyReport:
        """Execute exactly `changes` in dependency order, reporting what was and was not applied."""
        from monaco.backends.aws_cloudwatch.apply import apply_changes

        config = _config(target)
        clients = self._clients(config)
        report = apply_changes(clients, config, changes, secrets, progress, target.name, cancel)
        self.last_calls = dict(clients.calls)
        return report

    def lock(self, target: Target, timeout: float, notice: Notice) -> AbstractContextManager[object]:
        """A best-effort lock: holder tags on the SNS topic `<topic_prefix>apply_lock` (see `apply_lock`)."""
        from monaco.backends.aws_cloudwatch.apply_lock import topic_lock

        config = _config(target)
        return topic_lock(self._clients(config), config, target.name, timeout, notice)

    def route_deliveries(
        self, model: Model, target: Target, resources: Sequence[Resource], queries: Sequence[RouteQuery]
    ) -> list[Delivery]:
        """Each query's delivery objects: the SNS topic ARNs its alarms notify."""
        return topic_deliveries(_config(target), model, target.selected, queries)

    def claims(self, target: Target) -> set[str]:
        """The alarm-name prefix of each selected service, in the target's account and region."""
        config = _config(target)
        return {config.alarm_arn(config.alarm_name(service.name, "")) for service in target.selected}

    def compile_files(self, target: Target, resources: Sequence[Resource]) -> dict[str, str]:
        """One JSON file of request parameters per alarm and topic (secrets as fingerprints)."""
        files: dict[str, str] = {}
        for resource in resources:
            body: dict[str, Any] = resource.body
            name = resource.name.replace("/", "__")
            files[f"{resource.kind}/{name}.json"] = json.dumps(body, indent=2, sort_keys=True) + "\n"
        return files

    def drill(self, target: Target, alert: DrillAlert, wait: DrillWait) -> DrillResult:
        """A drill alarm (tagged, `<prefix>_drill/...`) notifying the routes' topics, set to ALARM, seen on SQS."""
        from monaco.drill.cloudwatch import drill_cloudwatch

        return drill_cloudwatch(_config(target), target.name, alert, wait)
