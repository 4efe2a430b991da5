"""Conformance kit: CloudWatch alarms and SNS topics on moto's server, through boto3."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from tests.aws.conftest import ACCOUNT, REGION, Aws
from tests.aws.test_faults import FailNth
from tests.conformance.kits.base import BackendKit


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


KIT = CloudWatchKit
