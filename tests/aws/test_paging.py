"""Exact request shapes with botocore's Stubber: paging parameters, AlarmTypes, DeleteAlarms batches.

Why a Stubber here although moto runs: moto ignores MaxRecords, NextToken and AlarmTypes (the paging
shim in `moto_shims` imitates AWS, but it is our own imitation). The Stubber checks every request
against the parameters AWS documents, and botocore validates both the requests and the canned
responses against its service model, so the backend is held to the API itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from monaco.backends.aws_cloudwatch.apply import apply_changes
from monaco.backends.aws_cloudwatch.clients import Clients
from monaco.backends.aws_cloudwatch.config import CloudWatchConfig
from monaco.backends.aws_cloudwatch.live import read
from monaco.backends.aws_cloudwatch.normalize import canonical_alarm
from monaco.plan.model import Action, Change, Resource

CONFIG = CloudWatchConfig(
    region="eu-west-1",
    account_id="123456789012",
    endpoint_url="http://127.0.0.1:9",
    max_concurrency=1,
    backoff_seconds=0,
)
OWNED = [{"Key": "managed-by", "Value": "monaco"}]


@pytest.fixture
def stubbed() -> Iterator[tuple[Clients, dict[str, Stubber]]]:
    """Clients whose three boto3 clients answer only what each test queues (no request leaves the process)."""
    session = boto3.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name="eu-west-1")
    made = {
        n: session.client(n, endpoint_url=CONFIG.endpoint_url)
        for n in ("cloudwatch", "sns", "resourcegroupstaggingapi")
    }
    stubs = {n: Stubber(c) for n, c in made.items()}
    for stub in stubs.values():
        stub.activate()
    yield Clients(made["cloudwatch"], made["sns"], made["resourcegroupstaggingapi"], backoff_seconds=0), stubs
    for stub in stubs.values():
        stub.assert_no_pending_responses()
        stub.deactivate()


def _metric(name: str) -> dict[str, Any]:
    return {
        "AlarmName": name,
        "AlarmArn": CONFIG.alarm_arn(name),
        "MetricName": "m",
        "Namespace": "n",
        "Statistic": "Sum",
        "Period": 60,
        "EvaluationPeriods": 1,
        "Threshold": 1.0,
        "ComparisonOperator": "GreaterThanThreshold",
    }


def test_read_pages_describe_alarms_and_tags(stubbed: tuple[Clients, dict[str, Stubber]]) -> None:
    clients, stubs = stubbed
    first = [_metric(f"monaco/a{i:03d}") for i in range(100)]
    composite = {"AlarmName": "monaco/c", "AlarmArn": CONFIG.alarm_arn("monaco/c"), "AlarmRule": 'ALARM("monaco/a000")'}
    expected = {"AlarmNamePrefix": "monaco/", "AlarmTypes": ["MetricAlarm", "CompositeAlarm"], "MaxRecords": 100}
    cw, tagging, sns = stubs["cloudwatch"], stubs["resourcegroupstaggingapi"], stubs["sns"]
    cw.add_response("describe_alarms", {"MetricAlarms": first, "NextToken": "t1"}, expected)
    cw.add_response(
        "describe_alarms",
        {"MetricAlarms": [_metric("monaco/b")], "CompositeAlarms": [composite]},
        {**expected, "NextToken": "t1"},
    )
    tag_params = {
        "TagFilters": [{"Key": "managed-by", "Values": ["monaco"]}],
        "ResourceTypeFilters": ["cloudwatch:alarm", "sns"],
        "ResourcesPerPage": 100,
    }
    tagged = [{"ResourceARN": a["AlarmArn"], "Tags": OWNED} for a in [*first, composite]]
    tagging.add_response("get_resources", {"ResourceTagMappingList": tagged[:100], "PaginationToken": "p1"}, tag_params)
    tagging.add_response(
        "get_resources",
        {"ResourceTagMappingList": tagged[100:], "PaginationToken": ""},
        {**tag_params, "PaginationToken": "p1"},
    )
    # monaco/b is not (yet) in the tagging index: its tags are read directly, and it turns out unowned.
    cw.add_response("list_tags_for_resource", {"Tags": []}, {"ResourceARN": CONFIG.alarm_arn("monaco/b")})
    sns.add_response("list_topics", {"Topics": [{"TopicArn": CONFIG.topic_arn("other")}], "NextToken": "n1"}, {})
    sns.add_response("list_topics", {"Topics": []}, {"NextToken": "n1"})
    # Mute rules: a page each; a foreign rule outside the prefix costs its tags only, monaco's a Get too.
    rule_arn = CONFIG.mute_rule_arn
    cw.add_response(
        "list_alarm_mute_rules",
        {"AlarmMuteRuleSummaries": [{"AlarmMuteRuleArn": rule_arn("theirs")}], "NextToken": "m1"},
        {"MaxRecords": 100},
    )
    cw.add_response(
        "list_alarm_mute_rules",
        {"AlarmMuteRuleSummaries": [{"AlarmMuteRuleArn": rule_arn("monaco-mute_mute-nights_1")}]},
        {"MaxRecords": 100, "NextToken": "m1"},
    )
    owned_tags = [{"Key": "managed-by", "Value": "monaco"}, {"Key": "monaco:target", "Value": "aws-prod"}]
    cw.add_response(
        "list_tags_for_resource", {"Tags": owned_tags}, {"ResourceARN": rule_arn("monaco-mute_mute-nights_1")}
    )
    schedule = {"Expression": "cron(0 22 * * *)", "Duration": "PT8H", "Timezone": "UTC"}
    got = {
        "Name": "monaco-mute_mute-nights_1",
        "Rule": {"Schedule": schedule},
        "MuteTargets": {"AlarmNames": ["monaco/b"]},
    }
    cw.add_response("get_alarm_mute_rule", got, {"AlarmMuteRuleName": "monaco-mute_mute-nights_1"})
    cw.add_response("list_tags_for_resource", {"Tags": []}, {"ResourceARN": rule_arn("theirs")})

    resources = {r.name: r for r in read(clients, CONFIG, "aws-prod")}
    assert len(resources) == 103 and resources["monaco/c"].body["Type"] == "composite"
    assert resources["monaco/a000"].owned and not resources["monaco/b"].owned
    rule = resources["monaco-mute_mute-nights_1"]
    assert rule.owned and rule.body["Rule"] == {"Schedule": {"Expression": "cron(0 22 * * *)", "Duration": "PT8H"}}
    assert "theirs" not in resources
    assert clients.total == 12


def _delete(name: str, composite: bool) -> Change:
    raw = {"AlarmName": name, "AlarmRule": 'ALARM("x")'} if composite else _metric(name)
    return Change(Action.DELETE, Resource("alarm", name, canonical_alarm(raw, {"managed-by": "monaco"})), None)


def test_delete_alarms_batches_of_100_and_one_composite_per_call(stubbed: tuple[Clients, dict[str, Stubber]]) -> None:
    clients, stubs = stubbed
    changes = [_delete(f"monaco/m{i:03d}", False) for i in range(250)] + [
        _delete(f"monaco/c{i}", True) for i in range(3)
    ]
    tags = [{"ResourceARN": CONFIG.alarm_arn(c.key.removeprefix("alarm.")), "Tags": OWNED} for c in changes]
    stubs["resourcegroupstaggingapi"].add_response("get_resources", {"ResourceTagMappingList": tags}, None)
    cw = stubs["cloudwatch"]
    for i in range(3):
        cw.add_response("delete_alarms", {}, {"AlarmNames": [f"monaco/c{i}"]})
    for start, stop in ((0, 100), (100, 200), (200, 250)):
        cw.add_response("delete_alarms", {}, {"AlarmNames": [f"monaco/m{i:03d}" for i in range(start, stop)]})

    report = apply_changes(clients, CONFIG, changes, lambda ref: "", lambda line: None, "aws-prod")
    assert report.ok and len(report.results) == 253
    assert clients.calls["DeleteAlarms"] == 6
