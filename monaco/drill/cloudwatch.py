"""Drilling CloudWatch: a drill alarm monaco owns, set to ALARM so its SNS topics publish, observed on SQS.

CloudWatch runs an alarm's AlarmActions when its state changes to ALARM, SetAlarmState included (AWS API
reference, SetAlarmState: "the alarm state ... is changed ... and any actions associated with the new state
are then executed"). SNS delivers each publish to an SQS subscription as a JSON envelope whose `Message` is
CloudWatch's notification (its `AlarmName`); the queue's policy must let sns.amazonaws.com SendMessage from
each topic (SNS developer guide, "Subscribing an Amazon SQS queue to an Amazon SNS topic").
boto3 is imported only through `clients.make_session`, inside these functions.
"""

from __future__ import annotations

import json
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from monaco.backends.aws_cloudwatch.clients import make_session
from monaco.backends.aws_cloudwatch.config import OWNER_TAG, OWNER_VALUE, TARGET_TAG, CloudWatchConfig
from monaco.diagnostics import Diagnostic, Level
from monaco.drill.codes import CLEANUP_FAILED, SEND_FAILED
from monaco.drill.contract import Delivery, DrillAlert, DrillResult, DrillWait, elapsed_since

DRILL_TAG = "monaco:drill"
"""Tag on every drill alarm: the drill's id (the alarm is also tagged as the target's, so a leaked one is planned
for deletion by the next plan)."""


@dataclass(slots=True)
class _Drill:
    """One CloudWatch drill in progress: clients, names, and what was created (to delete)."""

    config: CloudWatchConfig
    target: str
    alert: DrillAlert
    cloudwatch: Any
    sns: Any
    sqs: Any
    alarm_name: str
    topics: dict[str, str] = field(default_factory=dict)
    queue_url: str = ""
    subscriptions: list[str] = field(default_factory=list)
    cleaned_up: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def cleanup(self) -> None:
        """Delete the drill alarm, the subscriptions and the queue, recording what failed."""
        steps: list[tuple[str, Any]] = [
            (f"deleted alarm {self.alarm_name}", lambda: self.cloudwatch.delete_alarms(AlarmNames=[self.alarm_name])),
            *((f"unsubscribed {arn}", _unsubscribe(self.sns, arn)) for arn in self.subscriptions),
        ]
        if self.queue_url:
            steps.append((f"deleted queue {self.queue_url}", lambda: self.sqs.delete_queue(QueueUrl=self.queue_url)))
        for what, step in steps:
            try:
                step()
                self.cleaned_up.append(what)
            except Exception as exc:  # a failed delete is reported, and the rest still run
                self.problems.append(f"not {what}: {exc}")
        if self.cloudwatch.describe_alarms(AlarmNames=[self.alarm_name])["MetricAlarms"]:
            self.problems.append(f"alarm {self.alarm_name} still exists")


def _unsubscribe(sns: Any, arn: str) -> Any:
    """A step that removes one subscription."""
    return lambda: sns.unsubscribe(SubscriptionArn=arn)


def _clients(config: CloudWatchConfig) -> tuple[Any, Any, Any]:
    """CloudWatch, SNS and SQS clients for the target's account, region and endpoint."""
    session = make_session(config)

    def client(name: str) -> Any:
        return session.client(name, region_name=config.region, endpoint_url=config.endpoint_url)

    return client("cloudwatch"), client("sns"), client("sqs")


def _find_topics(drill: _Drill) -> dict[str, str]:
    """Receiver -> why it cannot be drilled, for each expected receiver whose topic does not exist."""
    missing: dict[str, str] = {}
    for receiver in drill.alert.expected:
        arn = drill.config.topic_arn(drill.config.topic_name(receiver))
        try:
            drill.sns.get_topic_attributes(TopicArn=arn)
            drill.topics[arn] = receiver
        except Exception as exc:  # NotFound, or no permission to read it
            missing[receiver] = f"its topic {arn} cannot be read ({exc}); apply the target first"
    return missing


def _open_queue(drill: _Drill) -> None:
    """A queue that only these topics may send to, subscribed to each of them."""
    name = f"{drill.config.topic_prefix}_drill-{drill.alert.drill_id}"[:80]
    drill.queue_url = drill.sqs.create_queue(QueueName=name)["QueueUrl"]
    queue_arn = drill.sqs.get_queue_attributes(QueueUrl=drill.queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": sorted(drill.topics)}},
            }
        ],
    }
    drill.sqs.set_queue_attributes(QueueUrl=drill.queue_url, Attributes={"Policy": json.dumps(policy)})
    for arn in sorted(drill.topics):
        answer = drill.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn, ReturnSubscriptionArn=True)
        drill.subscriptions.append(answer["SubscriptionArn"])


def _raise_alarm(drill: _Drill) -> None:
    """Create the drill alarm (no data ever breaches it) with the topics as actions, and set it to ALARM."""
    tags = {OWNER_TAG: OWNER_VALUE, TARGET_TAG: drill.target, DRILL_TAG: drill.alert.drill_id}
    drill.cloudwatch.put_metric_alarm(
        AlarmName=drill.alarm_name,
        AlarmDescription=drill.alert.annotations.get("summary", "monaco drill")[:1024],
        ActionsEnabled=True,
        AlarmActions=sorted(drill.topics),
        Namespace="monaco/drill",
        MetricName="MonacoDrill",
        Statistic="Maximum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1.0,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        TreatMissingData="notBreaching",
        Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
    )
    drill.cloudwatch.set_alarm_state(
        AlarmName=drill.alarm_name, StateValue="ALARM", StateReason=f"monaco drill {drill.alert.drill_id}"
    )


def _topic_of(message: dict[str, Any], alarm_name: str) -> str | None:
    """The topic an SQS message came from, when it is SNS's envelope of this drill alarm's notification."""
    try:
        envelope = json.loads(message["Body"])
        notification = json.loads(envelope["Message"])
    except (KeyError, TypeError, ValueError):
        return None
    if not isinstance(notification, dict) or notification.get("AlarmName") != alarm_name:
        return None
    return str(envelope.get("TopicArn", ""))


def _watch(drill: _Drill, wait: DrillWait, started: float) -> dict[str, float]:
    """Topic ARN -> seconds until its publish reached the queue; long-polls until all arrived or time is up."""
    seen: dict[str, float] = {}
    deadline = started + wait.timeout
    while set(seen) < set(drill.topics) and time.monotonic() < deadline:
        seconds = max(0, min(2, int(deadline - time.monotonic())))
        answer = drill.sqs.receive_message(QueueUrl=drill.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=seconds)
        for message in answer.get("Messages", []):
            topic = _topic_of(message, drill.alarm_name)
            if topic in drill.topics:
                seen.setdefault(topic, elapsed_since(started))
            drill.sqs.delete_message(QueueUrl=drill.queue_url, ReceiptHandle=message["ReceiptHandle"])
        if not answer.get("Messages"):
            time.sleep(max(0.0, min(wait.interval, deadline - time.monotonic())))
    return seen


def drill_cloudwatch(config: CloudWatchConfig, target: str, alert: DrillAlert, wait: DrillWait) -> DrillResult:
    """Raise a drill alarm whose actions are the expected receivers' topics; see each publish arrive; clean up."""
    cloudwatch, sns, sqs = _clients(config)
    alarm_name = f"{config.name_prefix}_drill/{alert.service}/{alert.drill_id}"
    drill = _Drill(config, target, alert, cloudwatch, sns, sqs, alarm_name)
    result = DrillResult()
    missing = _find_topics(drill)
    seen: dict[str, float] = {}
    with ExitStack() as stack:
        stack.callback(drill.cleanup)
        try:
            if drill.topics:
                _open_queue(drill)
                started = time.monotonic()
                _raise_alarm(drill)
                seen = _watch(drill, wait, started)
        except Exception as exc:  # an AWS error: reported, and cleanup still runs
            result.diagnostics.append(Diagnostic(SEND_FAILED, f"the CloudWatch drill on {target} failed: {exc}"))
    by_receiver = {receiver: seen.get(arn) for arn, receiver in drill.topics.items()}
    for receiver in alert.expected:
        got = by_receiver.get(receiver)
        detail = missing.get(receiver) or ("" if got is not None else f"no publish within {wait.timeout:g}s")
        result.deliveries.append(Delivery(receiver, got is not None, got, True, detail))
    result.cleaned_up = drill.cleaned_up
    result.diagnostics.extend(
        Diagnostic(CLEANUP_FAILED, problem, hint="delete it by hand", level=Level.WARNING) for problem in drill.problems
    )
    return result
