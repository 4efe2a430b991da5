"""Routes and receivers on AWS: one SNS topic per receiver, its subscriptions, and route matching (pure)."""

from __future__ import annotations

import re
from typing import Any

from monaco.backends.aws_cloudwatch.config import (
    KEY_TAG,
    OWNER_TAG,
    OWNER_VALUE,
    SUBS_TAG,
    TARGET_TAG,
    CloudWatchConfig,
)
from monaco.backends.aws_cloudwatch.normalize import TOPIC, canonical_topic
from monaco.backends.base import SecretFingerprint, fingerprint_or_report
from monaco.diagnostics import Diagnostic, Level
from monaco.ir.nodes import Receiver
from monaco.plan.model import Resource
from monaco.spec.types import SecretRef

PAGERDUTY_URL = "https://events.pagerduty.com/integration/{key}/enqueue"
"""PagerDuty's Amazon CloudWatch integration endpoint; `key` is the integration (routing) key."""
SECRET_TOKEN = re.compile(r"secret:[^/\s]+")
"""How a secret appears inside a planned endpoint: `secret:<fingerprint>`, replaced by its value on apply."""


def resolve_endpoint(template: str, value: str) -> str:
    """A planned endpoint with its `secret:<fingerprint>` token replaced by the secret's value."""
    return SECRET_TOKEN.sub(lambda _: value, template, count=1)


def topic_resource(
    receiver: Receiver, config: CloudWatchConfig, secrets: SecretFingerprint, target: str
) -> tuple[Resource, list[Diagnostic]]:
    """The SNS topic of one receiver for `target`, with its subscriptions; secret endpoints hold only a fingerprint."""
    spec = receiver.spec
    diagnostics: list[Diagnostic] = []
    subs: list[tuple[str, str, str | None]] = []  # protocol, endpoint (template), secret reference

    def secret(ref: SecretRef) -> str:
        return f"secret:{fingerprint_or_report(secrets, ref, receiver, diagnostics)}"

    managed = True
    if spec.email is not None:
        subs.extend(("email", address, None) for address in spec.email.to)
    elif spec.pagerduty is not None:
        key = spec.pagerduty.key
        subs.append(("https", PAGERDUTY_URL.format(key=secret(key)), key.describe()))
    elif spec.webhook is not None:
        url = spec.webhook.url
        if isinstance(url, SecretRef):
            subs.append(("https", secret(url), url.describe()))
        else:
            text = str(url)
            subs.append(("https" if text.startswith("https:") else "http", text, None))
    else:
        managed = False
        diagnostics.append(
            Diagnostic(
                "MON706",
                f"receiver {spec.name}: SNS cannot post to a Slack incoming webhook (it never confirms "
                "the subscription); the topic is created and its subscriptions are left to you",
                receiver.origin,
                "subscribe AWS Chatbot to the topic, or use a webhook or PagerDuty receiver",
                Level.WARNING,
            )
        )
    subs_mode = "managed" if managed else "unmanaged"
    tags = {OWNER_TAG: OWNER_VALUE, KEY_TAG: f"receiver/{spec.name}", TARGET_TAG: target, SUBS_TAG: subs_mode}
    raw: dict[str, Any] = {"Name": config.topic_name(spec.name), "Tags": tags}
    if managed:
        raw["Subscriptions"] = [{"Protocol": p, "Endpoint": e} for p, e, _ in subs]
    body = canonical_topic(raw)
    refs: dict[str, str] = {}
    by_endpoint = {(p, e): ref for p, e, ref in subs if ref}
    for i, sub in enumerate(body.get("Subscriptions", [])):
        ref = by_endpoint.get((sub["Protocol"], sub["Endpoint"]))
        if ref:
            refs[f"/Subscriptions/{i}/Endpoint"] = ref
    notes = {"receiver": spec.name, "subscriptions": "managed" if managed else "unmanaged"}
    return Resource(TOPIC, body["Name"], body, secrets=refs, notes=notes, address=receiver.owner), diagnostics


def send_resolved(receiver: Receiver) -> bool:
    """Whether a receiver wants to hear when an alarm returns to OK (the alarm's OKActions)."""
    spec = receiver.spec
    kind = spec.email or spec.pagerduty or spec.webhook or spec.slack
    return bool(getattr(kind, "send_resolved", True))
