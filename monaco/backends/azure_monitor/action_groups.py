"""Routes on Azure: one action group per routed receiver set, with email and webhook receivers (pure).

PagerDuty and Slack are webhook receivers (PagerDuty's Azure integration URL carries the routing key);
secret URLs are planned as `secret:<fingerprint>` and resolved only on apply.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from monaco.backends.azure_monitor.config import SECRETS_TAG, AzureMonitorConfig, tags
from monaco.backends.azure_monitor.normalize import ACTION_GROUP, canonical_body
from monaco.backends.base import SecretFingerprint, fingerprint_or_report
from monaco.diagnostics import Diagnostic
from monaco.ir.nodes import Receiver
from monaco.plan.model import Resource
from monaco.spec.types import SecretRef

PAGERDUTY_URL = "https://events.pagerduty.com/integration/{key}/enqueue"
"""PagerDuty's Microsoft Azure integration endpoint; `key` is the integration (routing) key."""
PAGERDUTY_PATTERN = re.compile(r"^https://events\.pagerduty\.com/integration/([^/]+)/enqueue$")
SECRET_TOKEN = re.compile(r"secret:[^/\s]+")
"""How a secret appears in a planned URL: `secret:<fingerprint>`, replaced by its value on apply."""
SHORT_NAME_MAX = 12
"""`groupShortName` is 1-12 characters (ActionGroupResource `_validation`, REST spec max_length 12)."""


def resolve_uri(template: str, value: str) -> str:
    """A planned URL with its `secret:<fingerprint>` token replaced by the secret's value."""
    return SECRET_TOKEN.sub(lambda _: value, template, count=1)


def group_name(config: AzureMonitorConfig, receivers: tuple[str, ...]) -> str:
    """The action group of one receiver set: `<prefix>ag-<receivers joined by _>` (hashed when too long)."""
    return config.resource_name("ag", "_".join(sorted(receivers)))


def short_name(receivers: tuple[str, ...]) -> str:
    """A groupShortName (≤ 12 characters, shown in SMS and email): the first receiver's start and a hash of the set."""
    first = re.sub(r"[^A-Za-z0-9]", "", sorted(receivers)[0])[:5] or "ag"
    digest = hashlib.sha256("\n".join(sorted(receivers)).encode()).hexdigest()[:6]
    return f"{first}-{digest}"[:SHORT_NAME_MAX]


def _entries(
    receiver: Receiver, secrets: SecretFingerprint, diagnostics: list[Diagnostic]
) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], str]]]:
    """One receiver's email entries, and its webhook entries with the secret reference each carries (or "")."""
    spec = receiver.spec

    def secret(ref: SecretRef) -> str:
        """The planned form of a secret: `secret:<fingerprint>`."""
        return f"secret:{fingerprint_or_report(secrets, ref, receiver, diagnostics)}"

    def hook(uri: str, ref: str = "") -> list[tuple[dict[str, Any], str]]:
        """One webhook receiver entry and the secret reference its URL holds ("" for none)."""
        entry = {"name": spec.name, "serviceUri": uri, "useCommonAlertSchema": True, "useAadAuth": False}
        return [(entry, ref)]

    if spec.email is not None:
        many = len(spec.email.to) > 1
        emails = [
            {"name": f"{spec.name}-{i}" if many else spec.name, "emailAddress": to, "useCommonAlertSchema": True}
            for i, to in enumerate(spec.email.to)
        ]
        return emails, []
    if spec.pagerduty is not None:
        key = spec.pagerduty.key
        return [], hook(PAGERDUTY_URL.format(key=secret(key)), key.describe())
    if spec.slack is not None:
        return [], hook(secret(spec.slack.webhook_url), spec.slack.webhook_url.describe())
    assert spec.webhook is not None
    url = spec.webhook.url
    if isinstance(url, SecretRef):
        return [], hook(secret(url), url.describe())
    return [], hook(str(url))


def action_group_resource(
    config: AzureMonitorConfig, members: list[Receiver], secrets: SecretFingerprint, target: str
) -> tuple[Resource, list[Diagnostic]]:
    """The action group of one routed receiver set, its secrets as references and fingerprints."""
    diagnostics: list[Diagnostic] = []
    names = tuple(sorted(r.name for r in members))
    emails: list[dict[str, Any]] = []
    hooks: list[tuple[dict[str, Any], str]] = []
    for receiver in sorted(members, key=lambda r: r.name):
        found_emails, found_hooks = _entries(receiver, secrets, diagnostics)
        emails.extend(found_emails)
        hooks.extend(found_hooks)
    secret_names = sorted(entry["name"] for entry, ref in hooks if ref)
    group_tags = tags("receivers/" + ",".join(names), target)
    if secret_names:
        group_tags[SECRETS_TAG] = ",".join(secret_names)[:256]
    properties = {
        "groupShortName": short_name(names),
        "enabled": True,
        "emailReceivers": emails,
        "webhookReceivers": [entry for entry, _ in hooks],
    }
    body = canonical_body(ACTION_GROUP, {"location": "global", "tags": group_tags, "properties": properties})
    refs = {f"/properties/webhookReceivers/{i}/serviceUri": ref for i, (_, ref) in enumerate(hooks) if ref}
    notes = {"receivers": ", ".join(names), "groupShortName": short_name(names)}
    if any(r.spec.slack is not None for r in members):
        notes["slack"] = "Slack incoming webhooks do not render Azure's common alert schema; relay through a Logic App"
    owner = members[0].owner if len(members) == 1 else ""
    name = group_name(config, names)
    return Resource(ACTION_GROUP, name, body, secrets=refs, notes=notes, address=owner), diagnostics
