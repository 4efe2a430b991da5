"""moto's threaded server on 127.0.0.1 (ephemeral port) with the shims of `moto_shims`, and AWS helpers."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest

from monaco.backends.aws_cloudwatch.backend import CloudWatchBackend
from monaco.backends.aws_cloudwatch.clients import Clients, make_clients
from monaco.backends.aws_cloudwatch.config import CloudWatchConfig
from monaco.backends.base import ApplyReport, Target
from monaco.ir.nodes import Model
from monaco.plan.diff import diff
from monaco.plan.model import TargetPlan
from tests.aws import builders

ACCOUNT = "123456789012"  # moto's default account
REGION = "eu-west-1"


@dataclass
class Aws:
    """One test's view of the moto server: raw boto3 clients, backends, plan and apply helpers."""

    endpoint: str
    hooks: list[tuple[str, Callable[..., Any]]] = field(default_factory=list)
    clients_made: list[Clients] = field(default_factory=list)

    def session(self) -> Any:
        """A boto3 session with test credentials and every registered event hook."""
        session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
        for event, hook in self.hooks:
            session.events.register(event, hook)
        return session

    def client(self, name: str) -> Any:
        """A raw boto3 client (no hooks) for arranging and inspecting state."""
        session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
        return session.client(name, endpoint_url=self.endpoint)

    def config(self, **overrides: Any) -> CloudWatchConfig:
        """A target config pointing at moto, with fast retries."""
        values: dict[str, Any] = {
            "region": REGION,
            "account_id": ACCOUNT,
            "endpoint_url": self.endpoint,
            "backoff_seconds": 0.0,
            "max_rate": 100.0,
            "max_concurrency": 4,
        }
        values.update(overrides)
        return CloudWatchConfig(**values)

    def make_clients(self, config: CloudWatchConfig) -> Clients:
        """The backend's client factory: real clients on a hooked session, remembered for call counts."""
        clients = make_clients(config, self.session())
        self.clients_made.append(clients)
        return clients

    def backend(self) -> CloudWatchBackend:
        """A backend whose clients go to moto through this test's hooks."""
        return CloudWatchBackend(clients=self.make_clients)

    def plan(self, model: Model, target: Target) -> tuple[TargetPlan, list[Any]]:
        """Render, read live and diff, as the engine does; returns the plan and every diagnostic."""
        backend = self.backend()
        rendered = backend.render(model, target, builders.fingerprint)
        live = backend.read_live(target)
        normalized = live.resources
        plan, refusals = diff(target.name, target.backend, rendered.resources, normalized, backend.requires_replace)
        return plan, [*rendered.diagnostics, *live.diagnostics, *refusals]

    def apply(self, plan: TargetPlan, target: Target) -> ApplyReport:
        """Apply a plan's changes with the test secrets."""
        return self.backend().apply(target, plan.changes, builders.resolve)

    def converge(self, model: Model, target: Target) -> ApplyReport:
        """Plan and apply, asserting the apply succeeded."""
        plan, _ = self.plan(model, target)
        report = self.apply(plan, target)
        assert report.ok, [r for r in report.results if not r.ok] + [report.errors]
        return report

    def alarms(self) -> dict[str, dict[str, Any]]:
        """Every alarm in moto by name (both types)."""
        page = self.client("cloudwatch").describe_alarms(AlarmTypes=["MetricAlarm", "CompositeAlarm"], MaxRecords=100)
        found = {a["AlarmName"]: a for a in page["MetricAlarms"] + page["CompositeAlarms"]}
        while page.get("NextToken"):
            page = self.client("cloudwatch").describe_alarms(
                AlarmTypes=["MetricAlarm", "CompositeAlarm"], MaxRecords=100, NextToken=page["NextToken"]
            )
            found.update({a["AlarmName"]: a for a in page["MetricAlarms"] + page["CompositeAlarms"]})
        return found

    def tags(self, alarm_name: str) -> dict[str, str]:
        """An alarm's tags."""
        arn = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{alarm_name}"
        tags = self.client("cloudwatch").list_tags_for_resource(ResourceARN=arn)["Tags"]
        return {t["Key"]: t["Value"] for t in tags}


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Aws:
    """A reset moto server; AWS credentials and config files pointed away from the real ones."""
    request = urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    return Aws(moto_endpoint)
