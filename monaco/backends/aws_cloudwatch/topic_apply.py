"""Applying SNS topic changes: create or converge a topic's tags and subscriptions, resolve secrets, delete."""

from __future__ import annotations

from typing import Any

from monaco.backends.aws_cloudwatch.clients import Clients
from monaco.backends.aws_cloudwatch.config import SUB_TAG_PREFIX, CloudWatchConfig
from monaco.backends.aws_cloudwatch.live import endpoint_tag, present_endpoint, subscriptions
from monaco.backends.aws_cloudwatch.normalize import canonical_tags
from monaco.backends.aws_cloudwatch.topic_render import resolve_endpoint
from monaco.backends.base import SecretValue
from monaco.plan.model import Resource


class ApplyError(Exception):
    """A change that cannot be applied for a reason monaco found itself (not an AWS error)."""


def desired_subscriptions(resource: Resource, secrets: SecretValue) -> list[tuple[str, str, str]]:
    """(protocol, planned endpoint, real endpoint) per subscription; secrets resolved only here."""
    out = []
    for i, sub in enumerate(resource.body.get("Subscriptions", [])):
        ref = resource.secrets.get(f"/Subscriptions/{i}/Endpoint")
        real = sub["Endpoint"]
        if ref is not None:
            try:
                real = resolve_endpoint(sub["Endpoint"], secrets(ref))
            except KeyError as exc:
                raise ApplyError(f"secret {ref} is not available: {exc.args[0] if exc.args else exc}") from None
        out.append((sub["Protocol"], sub["Endpoint"], real))
    return out


def _sync_tags(clients: Clients, arn: str, current: dict[str, str], desired: dict[str, str]) -> None:
    """TagResource / UntagResource so the topic carries exactly `desired`."""
    stale = sorted(k for k in current if k not in desired)
    if stale:
        clients.call("sns", "UntagResource", ResourceArn=arn, TagKeys=stale)
    changed = {k: v for k, v in desired.items() if current.get(k) != v}
    if changed:
        clients.call("sns", "TagResource", ResourceArn=arn, Tags=[{"Key": k, "Value": v} for k, v in changed.items()])


def ensure_topic(
    clients: Clients, config: CloudWatchConfig, resource: Resource, create: bool, secrets: SecretValue
) -> str:
    """Create the topic or converge an owned one; returns a note of what was done."""
    body = resource.body
    managed = "Subscriptions" in body
    wanted = desired_subscriptions(resource, secrets) if managed else []
    arn = config.topic_arn(body["Name"])
    if create:
        created = clients.call(
            "sns", "CreateTopic", Name=body["Name"], Tags=[{"Key": k, "Value": v} for k, v in body["Tags"].items()]
        )["TopicArn"]
        if created != arn:
            raise ApplyError(
                f"topic ARN {created} is not in account {config.account_id}, {config.region}; "
                "check the target's account_id and credentials"
            )
        current_tags = dict(body["Tags"])
        live: list[dict[str, Any]] = []
    else:
        current_tags = canonical_tags(clients.call("sns", "ListTagsForResource", ResourceArn=arn).get("Tags"))
        live = subscriptions(clients, arn) if managed else []
    desired_tags = dict(body["Tags"])
    for protocol, planned, real in wanted:
        if planned != real:
            desired_tags[endpoint_tag(protocol, real)] = planned
    if not managed:
        desired_tags.update({k: v for k, v in current_tags.items() if k.startswith(SUB_TAG_PREFIX)})
    notes: list[str] = []
    wanted_forms = {(p, planned) for p, planned, _ in wanted}
    have_forms = set()
    for sub in live:
        form = (sub["Protocol"], present_endpoint(sub["Protocol"], sub["Endpoint"], current_tags))
        have_forms.add(form)
        if form in wanted_forms:
            continue
        if not str(sub.get("SubscriptionArn", "")).startswith("arn:"):
            notes.append(f"{sub['Protocol']} subscription pending confirmation cannot be removed; it expires in 3 days")
            continue
        clients.call("sns", "Unsubscribe", SubscriptionArn=sub["SubscriptionArn"])
    for protocol, planned, real in wanted:
        if (protocol, planned) not in have_forms:
            clients.call("sns", "Subscribe", TopicArn=arn, Protocol=protocol, Endpoint=real, ReturnSubscriptionArn=True)
    _sync_tags(clients, arn, current_tags, desired_tags)
    return "; ".join(notes)


def delete_topic(clients: Clients, config: CloudWatchConfig, resource: Resource) -> str:
    """Delete an owned topic; its subscriptions go with it."""
    clients.call("sns", "DeleteTopic", TopicArn=config.topic_arn(resource.name))
    return ""
