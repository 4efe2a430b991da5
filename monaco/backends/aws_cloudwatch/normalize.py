"""Canonical resource bodies: the one shape both rendered requests and `DescribeAlarms` output become.

A body is request-shaped (PutMetricAlarm / PutCompositeAlarm / CreateTopic parameter names) plus
`Type` and `Tags` (a sorted mapping). Canonicalising drops server defaults (`ActionsEnabled: true`,
`TreatMissingData: missing`, `DatapointsToAlarm` equal to `EvaluationPeriods`, empty lists), fields
AWS adds (ARNs, state, timestamps) and fields monaco does not manage, sorts sets (actions,
dimensions, tags) and coerces numbers, so that a plan right after an apply is empty.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from monaco.backends.aws_cloudwatch.config import SUB_TAG_PREFIX, SUBS_TAG
from monaco.plan.model import Resource

ALARM = "alarm"
TOPIC = "sns_topic"
MUTE_RULE = "alarm_mute_rule"

_ACTIONS = ("AlarmActions", "OKActions", "InsufficientDataActions")
_METRIC_FIELDS = (
    "AlarmName",
    "AlarmDescription",
    "ActionsEnabled",
    *_ACTIONS,
    "Namespace",
    "MetricName",
    "Dimensions",
    "Statistic",
    "ExtendedStatistic",
    "Period",
    "Unit",
    "Metrics",
    "EvaluationPeriods",
    "DatapointsToAlarm",
    "Threshold",
    "ComparisonOperator",
    "TreatMissingData",
    "EvaluateLowSampleCountPercentile",
    "ThresholdMetricId",
)
_COMPOSITE_FIELDS = ("AlarmName", "AlarmDescription", "ActionsEnabled", *_ACTIONS, "AlarmRule")
_INTS = ("Period", "EvaluationPeriods", "DatapointsToAlarm")


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == "" or value == {}


def _dimensions(dims: Any) -> list[dict[str, str]]:
    pairs = {(str(d["Name"]), str(d["Value"])) for d in dims or []}
    return [{"Name": n, "Value": v} for n, v in sorted(pairs)]


def _metric_query(query: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"Id": query["Id"]}
    stat = query.get("MetricStat")
    if stat:
        metric = stat.get("Metric", {})
        canon_metric: dict[str, Any] = {"Namespace": metric.get("Namespace"), "MetricName": metric.get("MetricName")}
        if metric.get("Dimensions"):
            canon_metric["Dimensions"] = _dimensions(metric["Dimensions"])
        out["MetricStat"] = {"Metric": canon_metric, "Period": int(stat["Period"]), "Stat": stat["Stat"]}
        if stat.get("Unit"):
            out["MetricStat"]["Unit"] = stat["Unit"]
    for key in ("Expression", "Label", "AccountId"):
        if not _empty(query.get(key)):
            out[key] = query[key]
    if query.get("Period") is not None:
        out["Period"] = int(query["Period"])
    out["ReturnData"] = bool(query.get("ReturnData", True))
    return out


def canonical_tags(tags: Any) -> dict[str, str]:
    """Tags as a sorted mapping, from a mapping or from AWS's `[{Key, Value}]` list."""
    if isinstance(tags, dict):
        pairs = {str(k): str(v) for k, v in tags.items()}
    else:
        pairs = {str(t["Key"]): str(t.get("Value", "")) for t in tags or []}
    return dict(sorted(pairs.items()))


def canonical_alarm(raw: dict[str, Any], tags: Any = None) -> dict[str, Any]:
    """The canonical body of a metric or composite alarm, from a request or a `DescribeAlarms` entry."""
    composite = bool(raw.get("AlarmRule")) or raw.get("Type") == "composite"
    body: dict[str, Any] = {"Type": "composite" if composite else "metric"}
    for key in _COMPOSITE_FIELDS if composite else _METRIC_FIELDS:
        value: Any = raw.get(key)
        if _empty(value):
            continue
        if key in _ACTIONS:
            value = sorted(set(value))
        elif key == "Dimensions":
            value = _dimensions(value)
        elif key == "Metrics":
            value = [_metric_query(q) for q in value]
        elif key in _INTS:
            value = int(value)
        elif key == "Threshold":
            value = float(value)
        body[key] = value
    if body.get("ActionsEnabled") is True:
        del body["ActionsEnabled"]
    if body.get("TreatMissingData") == "missing":
        del body["TreatMissingData"]
    if "DatapointsToAlarm" in body and body["DatapointsToAlarm"] == body.get("EvaluationPeriods"):
        del body["DatapointsToAlarm"]
    body["Tags"] = canonical_tags(tags if tags is not None else raw.get("Tags"))
    return body


def canonical_topic(raw: dict[str, Any]) -> dict[str, Any]:
    """The canonical body of an SNS topic: name, tags (bookkeeping tags removed) and subscriptions."""
    tags = canonical_tags(raw.get("Tags"))
    body: dict[str, Any] = {
        "Name": raw["Name"],
        "Tags": {k: v for k, v in tags.items() if not k.startswith(SUB_TAG_PREFIX)},
    }
    if tags.get(SUBS_TAG) != "unmanaged":
        subs = {(str(s["Protocol"]), str(s["Endpoint"])) for s in raw.get("Subscriptions") or []}
        body["Subscriptions"] = [{"Protocol": p, "Endpoint": e} for p, e in sorted(subs)]
    return body


def canonical_mute_rule(raw: dict[str, Any], tags: Any = None) -> dict[str, Any]:
    """The canonical body of an alarm mute rule, from a request or a `GetAlarmMuteRule` answer.

    Kept: Name, Description, the schedule (Timezone dropped when UTC, the default), the alarm names
    (a sorted set) and tags; ARN, status, type and timestamps are AWS's.
    """
    schedule = dict((raw.get("Rule") or {}).get("Schedule") or {})
    canon_schedule = {"Expression": str(schedule.get("Expression", "")), "Duration": str(schedule.get("Duration", ""))}
    if schedule.get("Timezone") and schedule["Timezone"] != "UTC":
        canon_schedule["Timezone"] = str(schedule["Timezone"])
    body: dict[str, Any] = {"Name": raw["Name"]}
    if raw.get("Description"):
        body["Description"] = raw["Description"]
    body["Rule"] = {"Schedule": canon_schedule}
    body["MuteTargets"] = {"AlarmNames": sorted(set((raw.get("MuteTargets") or {}).get("AlarmNames") or []))}
    body["Tags"] = canonical_tags(tags if tags is not None else raw.get("Tags"))
    return body


def canonical_body(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    """The canonical body of a resource of `kind` (idempotent)."""
    if kind == MUTE_RULE:
        return canonical_mute_rule(body)
    return canonical_topic(body) if kind == TOPIC else canonical_alarm(body)


def normalize(resource: Resource) -> Resource:
    """The resource with its body canonicalised; everything else kept."""
    return replace(resource, body=canonical_body(resource.kind, resource.body))


def mute_rule_params(body: dict[str, Any]) -> dict[str, Any]:
    """The PutAlarmMuteRule parameters of a mute rule body (tags only count on create, like alarms')."""
    params = {k: v for k, v in body.items() if k != "Tags"}
    if body.get("Tags"):
        params["Tags"] = [{"Key": k, "Value": v} for k, v in body["Tags"].items()]
    return params


def request_params(body: dict[str, Any], with_tags: bool) -> dict[str, Any]:
    """The PutMetricAlarm / PutCompositeAlarm parameters of an alarm body."""
    params = {k: v for k, v in body.items() if k not in ("Type", "Tags")}
    if with_tags and body.get("Tags"):
        params["Tags"] = [{"Key": k, "Value": v} for k, v in body["Tags"].items()]
    return params
