"""One fixture per registered backend kind: how the conformance properties reach that backend's live system.

A fixture (a `BackendKit`) says how to point a target at the backend's real local server or fake, and the
backend-specific ways to (a) create an unowned same-named object out of band, (b) snapshot live state
byte for byte, (c) change an owned object out of band, and (d) inject a failure in the middle of an apply.
A new backend adds its kit here and one line to `KITS`; `test_registry.py` fails until it does.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import boto3
import pytest

from tests.aws.conftest import ACCOUNT, REGION, Aws
from tests.aws.test_faults import FailNth
from tests.conformance.live_servers import BASE_CONFIG_FILE, LiveServer, write_base_config
from tests.conformance.workspace import Workspace
from tests.faults.workspace import unwritable


class BackendKit:
    """The conformance suite's handle on one backend; subclasses fill in the backend-specific parts."""

    kind: ClassVar[str]
    holds_secrets: ClassVar[bool] = True
    """False when the backend has no place for a receiver's secret (Prometheus rule files)."""

    def __init__(self, ws: Workspace, request: pytest.FixtureRequest) -> None:
        self.ws = ws
        self.request = request

    def fixture(self, name: str) -> Any:
        """A pytest fixture this kit needs (a server), set up only when a property asks for it."""
        return self.request.getfixturevalue(name)

    @classmethod
    def golden_config(cls) -> dict[str, Any]:
        """The target config used to compile the golden matrix: no server, paths inside the workspace."""
        raise NotImplementedError

    @classmethod
    def write_inputs(cls, targets: Path) -> None:
        """Inputs the target reads besides specs (a base config), written beside the targets."""

    def config(self, live: bool = False) -> dict[str, Any]:
        """The target config against this backend's local system; `live` adds its real server if it has one."""
        raise NotImplementedError

    def snapshot(self) -> dict[str, bytes]:
        """Everything the target's live system holds, byte for byte, by a stable name."""
        raise NotImplementedError

    def create_unowned(self) -> str:
        """Create, out of band, an object without monaco's marker where `checkout` would be written; its name."""
        raise NotImplementedError

    def tamper(self) -> None:
        """Change one owned live object out of band (someone editing it by hand)."""
        raise NotImplementedError

    def inject_failure(self) -> contextlib.AbstractContextManager[None]:
        """While active, an apply fails part of the way through; removed again on exit."""
        raise NotImplementedError

    def inject_secret_failure(self) -> contextlib.AbstractContextManager[None]:
        """While active, the write that carries a secret fails (its error message must not show the secret)."""
        return self.inject_failure()

    def secret_places(self) -> list[bytes]:
        """The live data that must hold the receivers' real secret values."""
        return list(self.snapshot().values())

    def prepare(self, live: bool = False) -> None:
        """Write the workspace with this backend's target and inputs."""
        self.ws.write(self.kind, self.config(live))
        self.write_inputs(self.ws.targets)


def files_under(place: Path) -> dict[str, bytes]:
    """Every file under `place` (or `place` itself) by relative path; a directory in a file's place shows as one."""
    if place.is_file():
        return {place.name: place.read_bytes()}
    if not place.is_dir():
        return {}
    found: dict[str, bytes] = {}
    for path in sorted(place.rglob("*")):
        name = str(path.relative_to(place))
        found[name] = path.read_bytes() if path.is_file() else b"<directory>"
    return found


class FileKit(BackendKit):
    """A backend that writes files: `place` is its directory (or its one file), `checkout_file` holds checkout."""

    unowned_text: ClassVar[str]
    """What a hand-written file in checkout's place holds (no owner marker)."""
    hand_edit: ClassVar[tuple[str, str]]
    """A text replacement in checkout's file that someone editing it by hand might make (marker kept)."""
    place: Path

    def checkout_file(self) -> Path:
        """The file checkout's objects are written to."""
        raise NotImplementedError

    def snapshot(self) -> dict[str, bytes]:
        """Every file in the place the target writes (a directory in a file's place shows as one)."""
        return files_under(self.place)

    def create_unowned(self) -> str:
        """A hand-written file where checkout's would go."""
        path = self.checkout_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.unowned_text, encoding="utf-8")
        return path.name

    def tamper(self) -> None:
        """Hand-edit checkout's file, keeping the marker."""
        path = self.checkout_file()
        old, new = self.hand_edit
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {path}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    @contextlib.contextmanager
    def inject_failure(self) -> Iterator[None]:
        """checkout's file cannot be replaced: immutable as root; otherwise its directory is made read-only."""
        path = self.checkout_file()
        with unwritable(path if os.geteuid() == 0 else path.parent):
            yield


class PrometheusKit(FileKit):
    """Rule files in a directory; live: a real Prometheus loading that directory, reloaded and verified."""

    kind = "prometheus"
    holds_secrets = False
    unowned_text = "groups:\n  - name: checkout\n    rules: []\n"
    hand_edit = ("severity: high", "severity: low")

    @classmethod
    def golden_config(cls) -> dict[str, Any]:
        """Rules under `out/rules`, the default file prefix."""
        return {"rules_dir": "out/rules"}

    def config(self, live: bool = False) -> dict[str, Any]:
        """The workspace's `live/rules`, or the rules directory of a running Prometheus with its URL."""
        if not live:
            self.place = self.ws.root / "live" / "rules"
            return {"rules_dir": "../live/rules"}
        server: LiveServer = self.fixture("conformance_prometheus")
        server.reset()
        self.place = server.place
        return {"rules_dir": str(server.place), "url": server.url}

    def checkout_file(self) -> Path:
        """checkout's rule file."""
        return self.place / "monaco-checkout.rules.yml"


class AlertmanagerKit(FileKit):
    """One config file from a base config; live: a real Alertmanager reading it, reloaded and verified."""

    kind = "alertmanager"
    unowned_text = "route:\n  receiver: ops\nreceivers:\n  - name: ops\n"
    hand_edit = ("payments-oncall@example.com", "someone@example.com")

    @classmethod
    def golden_config(cls) -> dict[str, Any]:
        """The config at `out/alertmanager.yml`, built on the workspace's base config."""
        return {"config_file": "out/alertmanager.yml", "base_config": BASE_CONFIG_FILE}

    @classmethod
    def write_inputs(cls, targets: Path) -> None:
        """The platform's base config."""
        write_base_config(targets)

    def config(self, live: bool = False) -> dict[str, Any]:
        """The workspace's `live/alertmanager.yml`, or a running Alertmanager's config file and URL."""
        if not live:
            self.place = self.ws.root / "live" / "alertmanager.yml"
            return {"config_file": "../live/alertmanager.yml", "base_config": BASE_CONFIG_FILE}
        server: LiveServer = self.fixture("conformance_alertmanager")
        server.reset()
        self.place = server.place
        return {"config_file": str(server.place), "base_config": BASE_CONFIG_FILE, "url": server.url}

    def checkout_file(self) -> Path:
        """The one config file (every service's routes are in it)."""
        return self.place


class OperatorKit(FileKit):
    """PrometheusRule and AlertmanagerConfig manifests, one YAML stream per namespace, in a GitOps directory."""

    kind = "prometheus_operator"
    holds_secrets = False
    """Receivers' secrets are `secretKeyRef`s to a Kubernetes Secret; no value is ever written."""
    unowned_text = (
        "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\n"
        "metadata: {name: monaco-checkout, namespace: payments}\nspec: {groups: []}\n"
    )
    hand_edit = ("severity: high", "severity: low")

    @classmethod
    def golden_config(cls) -> dict[str, Any]:
        """Manifests under `out/manifests` in namespace `payments`, with kube-prometheus-stack's selector labels."""
        return {
            "manifests_dir": "out/manifests",
            "namespace": "payments",
            "rule_labels": {"release": "kube-prometheus-stack"},
            "config_labels": {"alertmanagerConfig": "monaco"},
        }

    def config(self, live: bool = False) -> dict[str, Any]:
        """The workspace's `live/manifests` (the operator's API server is out of scope: the files are the target)."""
        self.place = self.ws.root / "live" / "manifests"
        return {"manifests_dir": "../live/manifests", "namespace": "payments"}

    def checkout_file(self) -> Path:
        """The namespace's stream (both services are in namespace `payments`)."""
        return self.place / "monaco-payments.yaml"


class CloudWatchKit(BackendKit):
    """Alarms and SNS topics on moto's threaded server (one per session, reset per test), through boto3."""

    kind = "aws_cloudwatch"

    @classmethod
    def golden_config(cls) -> dict[str, Any]:
        """An account and region; compile talks to no endpoint."""
        return {"region": REGION, "account_id": ACCOUNT}

    def config(self, live: bool = False) -> dict[str, Any]:
        """The moto endpoint, fast retries and one write at a time (so the Nth write is always the same one)."""
        self.aws: Aws = self.fixture("aws")
        return {
            "region": REGION,
            "account_id": ACCOUNT,
            "endpoint_url": self.aws.endpoint,
            "backoff_seconds": 0,
            "max_rate": 100,
            "max_concurrency": 1,
            "lock_settle_seconds": 0,
        }

    def client(self, name: str) -> Any:
        """A raw boto3 client to moto (made once per kit: making one takes a fifth of a second)."""
        clients: dict[str, Any] = self.__dict__.setdefault("clients", {})
        if name not in clients:
            clients[name] = self.aws.client(name)
        return clients[name]

    def snapshot(self) -> dict[str, bytes]:
        """DescribeAlarms (both types, every page), ListTopics, and every alarm's and topic's tags and subscriptions."""
        cloudwatch, sns = self.client("cloudwatch"), self.client("sns")
        state: dict[str, Any] = {}
        pages = cloudwatch.get_paginator("describe_alarms").paginate(AlarmTypes=["MetricAlarm", "CompositeAlarm"])
        for page in pages:
            for alarm in page["MetricAlarms"] + page["CompositeAlarms"]:
                tags = cloudwatch.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"]
                state[f"alarm/{alarm['AlarmName']}"] = {"alarm": alarm, "tags": tags}
        for topic in sorted(t["TopicArn"] for t in sns.list_topics()["Topics"]):
            tags = sns.list_tags_for_resource(ResourceArn=topic)["Tags"]
            subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
            state[f"topic/{topic}"] = {"tags": tags, "subscriptions": subscriptions}
        return {key: json.dumps(value, sort_keys=True, default=str).encode() for key, value in sorted(state.items())}

    def create_unowned(self) -> str:
        """An untagged alarm with the name checkout's CPU alert would get."""
        name = "monaco/checkout/HighCPU"
        self.client("cloudwatch").put_metric_alarm(
            AlarmName=name,
            MetricName="Hand",
            Namespace="Made",
            Statistic="Sum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=7,
            ComparisonOperator="GreaterThanThreshold",
        )
        return name

    def tamper(self) -> None:
        """Delete one owned alarm out of band."""
        self.client("cloudwatch").delete_alarms(AlarmNames=["monaco/checkout/HighCPU"])

    @contextlib.contextmanager
    def _failing(self, operation: str, nth: int) -> Iterator[None]:
        """Every boto3 session made while active fails call `nth` of `operation` with AccessDenied."""
        hook = FailNth({nth}, "AccessDenied")

        class HookedSession(boto3.Session):  # type: ignore[misc]
            """A boto3 session with the failing hook registered, as the backend's clients are made."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                self.events.register(f"before-call.{operation}", hook)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(boto3, "Session", HookedSession)
            yield
        assert hook.seen >= nth, f"the fault was never injected: {operation} was called {hook.seen} times"

    def inject_failure(self) -> contextlib.AbstractContextManager[None]:
        """The second PutMetricAlarm of the apply fails."""
        return self._failing("cloudwatch.PutMetricAlarm", 2)

    def inject_secret_failure(self) -> contextlib.AbstractContextManager[None]:
        """The first Subscribe (it carries a secret endpoint) fails."""
        return self._failing("sns.Subscribe", 1)

    def secret_places(self) -> list[bytes]:
        """Every topic's subscription endpoints."""
        return [v for k, v in self.snapshot().items() if k.startswith("topic/")]


KITS: dict[str, type[BackendKit]] = {
    kit.kind: kit for kit in (PrometheusKit, AlertmanagerKit, CloudWatchKit, OperatorKit)
}
"""The kit of every backend kind the suite knows; every kind in `monaco.backends.REGISTRY` needs one."""
