"""Reading a target, read-only and batched: about 2 x ceil(N/100) calls for N alarms, not 2N.

Alarms come from paged `DescribeAlarms` (both types, 100 a page, under the name prefix), their tags
from paged Resource Groups Tagging `GetResources` (every owned alarm and topic, 100 a page). The
tagging API is eventually consistent, so an alarm under the prefix that it does not list (just
created, or not monaco's) has its tags read with `ListTagsForResource`: one extra call per such
alarm, normally none. Topics come from paged `ListTopics`, subscriptions per owned topic; alarm mute
rules from paged `ListAlarmMuteRules` (see `mute_live`).

Ownership is by tags, not by name: a resource is this target's when it carries monaco's marker and
this target's `monaco:target` tag (or the marker alone, under the prefix: written before target
tags existed). Resources tagged for this target outside the prefix (a renamed `name_prefix`) are
read too, by name, 100 a call, so that they are planned as deletes instead of being orphaned; a
resource tagged for another target is never this one's. The apply-lock topic is never read.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlsplit

from monaco.backends.aws_cloudwatch.clients import Clients
from monaco.backends.aws_cloudwatch.config import (
    OWNER_TAG,
    OWNER_VALUE,
    SUB_TAG_PREFIX,
    SUBS_TAG,
    TARGET_TAG,
    CloudWatchConfig,
)
from monaco.backends.aws_cloudwatch.mute_live import read_mute_rules
from monaco.backends.aws_cloudwatch.normalize import ALARM, TOPIC, canonical_alarm, canonical_tags, canonical_topic
from monaco.backends.base import LiveState
from monaco.diagnostics import Diagnostic
from monaco.plan.model import Resource

PAGE = 100
ALARM_TYPES = ["MetricAlarm", "CompositeAlarm"]


def endpoint_tag(protocol: str, endpoint: str) -> str:
    """The topic tag key that records the planned (fingerprinted) form of a real subscription endpoint."""
    return SUB_TAG_PREFIX + hashlib.sha256(f"{protocol}:{endpoint}".encode()).hexdigest()[:16]


def present_endpoint(protocol: str, endpoint: str, tags: dict[str, str]) -> str:
    """How a live endpoint appears in a plan: its recorded planned form, in clear when harmless, else a hash."""
    key = endpoint_tag(protocol, endpoint)
    if key in tags:
        return tags[key]
    parts = urlsplit(endpoint) if protocol in ("http", "https") else None
    if protocol == "email" or (parts is not None and not parts.query and "@" not in parts.netloc):
        return endpoint
    return "redacted:" + key.removeprefix(SUB_TAG_PREFIX)


def describe_alarms(clients: Clients, **filters: Any) -> list[dict[str, Any]]:
    """Every metric and composite alarm matching `filters`, page by page (100 a page)."""
    alarms: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        params: dict[str, Any] = {**filters, "AlarmTypes": ALARM_TYPES, "MaxRecords": PAGE}
        if token:
            params["NextToken"] = token
        page = clients.call("cloudwatch", "DescribeAlarms", **params)
        alarms.extend(page.get("MetricAlarms", []))
        alarms.extend(page.get("CompositeAlarms", []))
        token = page.get("NextToken")
        if not token:
            return alarms


def alarms_named(clients: Clients, names: list[str]) -> list[dict[str, Any]]:
    """The alarms of `names` that exist now, in batches of 100 names per `DescribeAlarms`."""
    found: list[dict[str, Any]] = []
    for i in range(0, len(names), PAGE):
        found.extend(describe_alarms(clients, AlarmNames=names[i : i + PAGE]))
    return found


def existing_alarm_names(clients: Clients, names: list[str]) -> set[str]:
    """Which of `names` exist now, in batches of 100 names per `DescribeAlarms`."""
    return {a["AlarmName"] for a in alarms_named(clients, names)}


def owned_tags(clients: Clients) -> dict[str, dict[str, str]]:
    """ARN -> tags of every alarm and SNS topic carrying monaco's owner marker (tagging API, 100 a page)."""
    tags: dict[str, dict[str, str]] = {}
    token = ""
    while True:
        params: dict[str, Any] = {
            "TagFilters": [{"Key": OWNER_TAG, "Values": [OWNER_VALUE]}],
            "ResourceTypeFilters": ["cloudwatch:alarm", "sns"],
            "ResourcesPerPage": PAGE,
        }
        if token:
            params["PaginationToken"] = token
        page = clients.call("tagging", "GetResources", **params)
        for item in page.get("ResourceTagMappingList", []):
            tags[item["ResourceARN"]] = canonical_tags(item.get("Tags"))
        token = page.get("PaginationToken") or ""
        if not token:
            return tags


def prefixed_topic_arns(clients: Clients, config: CloudWatchConfig) -> list[str]:
    """ARNs of every topic whose name starts with the target's topic prefix (paged `ListTopics`)."""
    arns: list[str] = []
    token = ""
    while True:
        page = clients.call("sns", "ListTopics", **({"NextToken": token} if token else {}))
        arns.extend(
            t["TopicArn"] for t in page.get("Topics", []) if _topic_name(t["TopicArn"]).startswith(config.topic_prefix)
        )
        token = page.get("NextToken") or ""
        if not token:
            return sorted(arns)


def subscriptions(clients: Clients, topic_arn: str) -> list[dict[str, Any]]:
    """Every subscription of one topic (paged `ListSubscriptionsByTopic`)."""
    subs: list[dict[str, Any]] = []
    token = ""
    while True:
        params: dict[str, Any] = {"TopicArn": topic_arn, **({"NextToken": token} if token else {})}
        page = clients.call("sns", "ListSubscriptionsByTopic", **params)
        subs.extend(page.get("Subscriptions", []))
        token = page.get("NextToken") or ""
        if not token:
            return subs


def _topic_name(arn: str) -> str:
    return arn.rsplit(":", 1)[-1]


def owner_of(tags: dict[str, str]) -> str | None:
    """The target a monaco resource's tags name, "" for monaco's marker without a target, None if not monaco's."""
    if tags.get(OWNER_TAG) != OWNER_VALUE:
        return None
    return tags.get(TARGET_TAG, "")


def ownership(tags: dict[str, str], target: str) -> tuple[bool, str]:
    """Whether a resource read for `target` is its own, and otherwise who holds it (`target x`, `not monaco`)."""
    owner = owner_of(tags)
    if owner is None:
        return False, "not monaco"
    if owner in ("", target):  # "": written before target tags, found under this target's prefix
        return True, ""
    return False, f"target {owner}"


def _tags_of(clients: Clients, tagged: dict[str, dict[str, str]], client: str, arn: str) -> dict[str, str]:
    """An ARN's tags from the tagging API's listing, or read directly when it does not list it (yet)."""
    found = tagged.get(arn)
    if found is not None:
        return found
    arn_param = "ResourceARN" if client == "cloudwatch" else "ResourceArn"
    return canonical_tags(clients.call(client, "ListTagsForResource", **{arn_param: arn}).get("Tags"))


def _alarms(clients: Clients, config: CloudWatchConfig, target: str, tagged: dict[str, dict[str, str]]) -> list[Any]:
    """Alarms under the prefix, plus those tagged for `target` outside it (described by name, 100 a call)."""
    alarms = describe_alarms(clients, AlarmNamePrefix=config.name_prefix)
    seen = {a["AlarmName"] for a in alarms}
    arn_prefix = config.alarm_arn("")
    elsewhere = sorted(
        arn.removeprefix(arn_prefix)
        for arn, tags in tagged.items()
        if arn.startswith(arn_prefix) and tags.get(TARGET_TAG) == target and arn.removeprefix(arn_prefix) not in seen
    )
    return alarms + alarms_named(clients, elsewhere)


def _topic_arns(
    config: CloudWatchConfig, target: str, tagged: dict[str, dict[str, str]], listed: list[str]
) -> list[str]:
    """Topics under the prefix and topics tagged for `target` elsewhere, without its apply-lock topic.

    Another target's lock topic under this prefix carries no owner marker: read as not monaco's, never touched.
    """
    arn_prefix = config.topic_arn("")
    elsewhere = {a for a, tags in tagged.items() if a.startswith(arn_prefix) and tags.get(TARGET_TAG) == target}
    return sorted((set(listed) | elsewhere) - {config.topic_arn(config.lock_topic_name)})


def read(clients: Clients, config: CloudWatchConfig, target: str) -> list[Resource]:
    """Every alarm, topic and mute rule that is `target`'s or under its prefixes, canonical, with its ownership."""
    tagged = owned_tags(clients)
    resources: list[Resource] = []
    for alarm in _alarms(clients, config, target, tagged):
        name = alarm["AlarmName"]
        tags = _tags_of(clients, tagged, "cloudwatch", alarm.get("AlarmArn") or config.alarm_arn(name))
        owned, holder = ownership(tags, target)
        resources.append(Resource(ALARM, name, canonical_alarm(alarm, tags), owned=owned, holder=holder))
    for arn in _topic_arns(config, target, tagged, prefixed_topic_arns(clients, config)):
        tags = _tags_of(clients, tagged, "sns", arn)
        owned, holder = ownership(tags, target)
        raw: dict[str, Any] = {"Name": _topic_name(arn), "Tags": tags}
        if owned and tags.get(SUBS_TAG) != "unmanaged":
            raw["Subscriptions"] = [
                {"Protocol": s["Protocol"], "Endpoint": present_endpoint(s["Protocol"], s["Endpoint"], tags)}
                for s in subscriptions(clients, arn)
            ]
        resources.append(Resource(TOPIC, raw["Name"], canonical_topic(raw), owned=owned, holder=holder))
    resources.extend(read_mute_rules(clients, config, target))
    return sorted(resources, key=lambda r: r.key)


def read_live(clients: Clients, config: CloudWatchConfig, target: str) -> LiveState:
    """The target's live state and the API calls it took; a failed read is a diagnostic naming the target."""
    try:
        resources = read(clients, config, target)
    except Exception as exc:
        if type(exc).__module__.split(".")[0] not in ("botocore", "boto3"):
            raise
        message = f"target {target}: cannot read live alarms and topics in {config.region}: {exc}"
        return LiveState(
            diagnostics=[Diagnostic("MON720", message, hint="check credentials, region and endpoint_url")],
            calls=clients.total,
        )
    return LiveState(resources=resources, calls=clients.total)
