"""Receivers to notification channels: email (one per address), Slack, PagerDuty, webhook with token auth (pure).

Secret labels hold only a fingerprint in the plan (`sha256:…`); the user label `monaco_fp_<label>` stores its hex
digits on the channel, so that a channel read back (the API masks or returns secrets as stored) is compared by
fingerprint, never by value. The values are put in only by apply.
"""

from __future__ import annotations

from typing import Any

from monaco.backends.base import SecretFingerprint, fingerprint_or_report
from monaco.backends.gcp_monitoring.canonical import CHANNEL, canonical
from monaco.backends.gcp_monitoring.config import SECRET_LABEL_PREFIX
from monaco.backends.gcp_monitoring.context import Context, owner_labels
from monaco.ir.nodes import Receiver
from monaco.plan.model import Resource
from monaco.spec.types import SecretRef

SLACK_TOKEN = "MON807"


def channel_ids(receiver: Receiver) -> list[str]:
    """The stable ids of a receiver's channels: its name, or `<name>--<n>` per address of a multi-address email."""
    spec = receiver.spec
    if spec.email is not None and len(spec.email.to) > 1:
        return [f"{spec.name}--{index}" for index in range(1, len(spec.email.to) + 1)]
    return [spec.name]


def _channel_labels(receiver: Receiver) -> list[tuple[str, dict[str, str | SecretRef]]]:
    """(type, labels) of each channel of a receiver; a secret label holds its reference."""
    spec = receiver.spec
    if spec.email is not None:
        return [("email", {"email_address": address}) for address in spec.email.to]
    if spec.pagerduty is not None:
        return [("pagerduty", {"service_key": spec.pagerduty.key})]
    if spec.slack is not None:
        return [("slack", {"channel_name": spec.slack.channel, "auth_token": spec.slack.webhook_url})]
    assert spec.webhook is not None
    url = spec.webhook.url
    return [("webhook_tokenauth", {"url": url if isinstance(url, SecretRef) else str(url)})]


def receiver_channels(ctx: Context, receiver: Receiver, secrets: SecretFingerprint) -> list[Resource]:
    """The notification channels of one receiver, secrets as fingerprints."""
    if receiver.spec.slack is not None:
        ctx.not_here(
            SLACK_TOKEN,
            f"receiver {receiver.name}: Cloud Monitoring's Slack channel posts with a Slack app's OAuth token, "
            "not an incoming webhook; the referenced secret is written as the channel's auth_token",
            receiver.origin,
            "point `webhook_url` at a secret holding the token of the Slack app Cloud Monitoring is authorised as",
        )
    resources = []
    for object_id, (kind, labels) in zip(channel_ids(receiver), _channel_labels(receiver), strict=True):
        user_labels = owner_labels(ctx.target.name, object_id)
        planned: dict[str, str] = {}
        refs: dict[str, str] = {}
        for key, value in sorted(labels.items()):
            if isinstance(value, SecretRef):
                found = fingerprint_or_report(secrets, value, receiver, ctx.diagnostics)
                planned[key] = found
                user_labels[SECRET_LABEL_PREFIX + key] = found.removeprefix("sha256:")
                refs[f"/labels/{key}"] = value.describe()
            else:
                planned[key] = value
        raw: dict[str, Any] = {
            "type": kind,
            "displayName": f"{receiver.name} ({kind})",
            "labels": planned,
            "userLabels": user_labels,
            "enabled": True,
        }
        notes = {"receiver": receiver.name, "type": kind}
        body = canonical(CHANNEL, raw)
        resources.append(Resource(CHANNEL, object_id, body, secrets=refs, notes=notes, address=receiver.owner))
    return resources
