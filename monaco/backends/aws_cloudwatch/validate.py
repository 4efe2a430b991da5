"""Plan-time validation of every request against botocore's own service model, plus CloudWatch's rules.

botocore's `ParamValidator` checks types, required members, unknown members and minimums; this module
adds the maximums and enums the same model declares (botocore leaves them to the server) and the
cross-field rules the CloudWatch documentation states (periods, one returned query, action counts),
because moto, the test server, checks none of them. Each problem is a diagnostic at the spec line
that produced the request.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from monaco.backends.aws_cloudwatch.config import CloudWatchConfig
from monaco.backends.aws_cloudwatch.normalize import ALARM, MUTE_RULE, mute_rule_params, request_params
from monaco.diagnostics import Diagnostic, Level, Span
from monaco.plan.model import Resource


@functools.lru_cache(maxsize=4)
def _service_model(service: str) -> Any:
    import botocore.session  # lazily: only rendering a CloudWatch target needs it

    return botocore.session.get_session().get_service_model(service)


def _bounds(value: Any, shape: Any, path: str, out: list[str]) -> None:
    """Append the maximum, enum and nested problems of `value` against `shape`."""
    meta = shape.metadata
    if shape.type_name == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                _bounds(value[name], member, f"{path}.{name}" if path else name, out)
    elif shape.type_name == "list" and isinstance(value, list):
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"{path}: {len(value)} items, at most {meta['max']} allowed")
        for i, item in enumerate(value):
            _bounds(item, shape.member, f"{path}[{i}]", out)
    elif shape.type_name == "string" and isinstance(value, str):
        if "max" in meta and len(value) > meta["max"]:
            out.append(f"{path}: {len(value)} characters, at most {meta['max']} allowed")
        enum = getattr(shape, "enum", None)
        if enum and value not in enum:
            out.append(f"{path}: {value!r} is not one of {', '.join(enum)}")
    elif isinstance(value, int | float) and value > meta.get("max", value):
        out.append(f"{path}: {value} is above the maximum {meta['max']}")


def check_request(service: str, operation: str, params: dict[str, Any]) -> list[str]:
    """Problems botocore's service model finds in one request (empty when AWS would accept its shape)."""
    from botocore.validate import ParamValidator

    shape = _service_model(service).operation_model(operation).input_shape
    report = ParamValidator().validate(params, shape)
    problems = [line.strip() for line in report.generate_report().splitlines()[1:]] if report.has_errors() else []
    _bounds(params, shape, "", problems)
    return problems


def alarm_rules(body: dict[str, Any]) -> list[str]:
    """The documented cross-field rules of PutMetricAlarm / PutCompositeAlarm that the model cannot state."""
    problems: list[str] = []
    for key in ("AlarmActions", "OKActions", "InsufficientDataActions"):
        if len(body.get(key, [])) > 5:
            problems.append(f"{key}: at most 5 actions per alarm")
    if len(body.get("Tags", {})) > 50:
        problems.append("Tags: at most 50 per alarm")
    if body["Type"] == "composite":
        return problems
    metrics = body.get("Metrics")
    if metrics:
        if any(k in body for k in ("Namespace", "MetricName", "Dimensions", "Statistic", "ExtendedStatistic")):
            problems.append("Metrics cannot be combined with Namespace/MetricName/Statistic")
        stats = [q for q in metrics if "MetricStat" in q]
        if len(stats) > 10 or len(metrics) - len(stats) > 10:
            problems.append("Metrics: at most 10 metrics and 10 expressions")
        if sum(1 for q in metrics if q.get("ReturnData")) != 1:
            problems.append("Metrics: exactly one query must have ReturnData true")
        ids = [q["Id"] for q in metrics]
        if len(set(ids)) != len(ids):
            problems.append("Metrics: query ids must be unique")
    elif "Statistic" in body and "ExtendedStatistic" in body:
        problems.append("Statistic and ExtendedStatistic are mutually exclusive")
    evaluation = body.get("EvaluationPeriods", 0)
    if body.get("DatapointsToAlarm", evaluation) > evaluation:
        problems.append("DatapointsToAlarm cannot exceed EvaluationPeriods")
    return problems


def _requests(resource: Resource, config: CloudWatchConfig) -> list[tuple[str, str, dict[str, Any]]]:
    body = resource.body
    if resource.kind == ALARM:
        operation = "PutCompositeAlarm" if body["Type"] == "composite" else "PutMetricAlarm"
        return [("cloudwatch", operation, request_params(body, with_tags=True))]
    if resource.kind == MUTE_RULE:
        return [("cloudwatch", "PutAlarmMuteRule", mute_rule_params(body))]
    tags = [{"Key": k, "Value": v} for k, v in body["Tags"].items()]
    requests: list[tuple[str, str, dict[str, Any]]] = [("sns", "CreateTopic", {"Name": body["Name"], "Tags": tags})]
    arn = config.topic_arn(body["Name"])
    for sub in body.get("Subscriptions", []):
        requests.append(("sns", "Subscribe", {"TopicArn": arn, **sub, "ReturnSubscriptionArn": True}))
    return requests


def validate_resources(
    resources: Sequence[Resource], spans: dict[str, Span], config: CloudWatchConfig
) -> list[Diagnostic]:
    """A diagnostic for each request AWS would reject, placed at the spec line that produced it."""
    try:
        _service_model("cloudwatch")
    except ImportError:
        return [
            Diagnostic(
                "MON710",
                "botocore is not installed, so requests were not checked against AWS's model",
                None,
                "pip install 'monaco-mac[aws]'",
                Level.WARNING,
            )
        ]
    diagnostics: list[Diagnostic] = []
    for resource in resources:
        problems = alarm_rules(resource.body) if resource.kind == ALARM else []
        for service, operation, params in _requests(resource, config):
            problems.extend(f"{operation} {p}" for p in check_request(service, operation, params))
        for problem in problems:
            diagnostics.append(
                Diagnostic(
                    "MON710",
                    f"{resource.key}: AWS would reject this request: {problem}",
                    spans.get(resource.key),
                    "check the cloudwatch source and names in the spec",
                )
            )
    return diagnostics
