"""Receivers to Grafana contact points, one integration each; secrets appear only as fingerprints (pure).

Settings follow Grafana's notifier settings per type: slack `{recipient, url}`, pagerduty `{integrationKey}`,
email `{addresses}`, webhook `{url, maxAlerts}`. `send_resolved: false` is `disableResolveMessage: true`. A
secret field holds `(sensitive <fingerprint>)` in the plan; `secrets` maps its JSON pointer to the reference,
and apply writes the real value in its place.
"""

from __future__ import annotations

from typing import Any

from monaco.backends.base import SecretFingerprint, fingerprint_or_report
from monaco.backends.grafana_alerting.config import GrafanaAlertingConfig, contact_point_uid
from monaco.diagnostics import Diagnostic
from monaco.ir.nodes import Receiver
from monaco.plan.model import Resource
from monaco.spec.types import SecretRef

CONTACT_POINT = "contact_point"
SENSITIVE = "(sensitive {fingerprint})"


def _integration(receiver: Receiver, secret: Any) -> tuple[str, dict[str, Any], bool]:
    """(type, settings, send_resolved) of the receiver's one integration; `secret(ref, field)` places a secret."""
    spec = receiver.spec
    if spec.slack is not None:
        settings = {"recipient": spec.slack.channel, "url": secret(spec.slack.webhook_url, "url")}
        return "slack", settings, spec.slack.send_resolved
    if spec.pagerduty is not None:
        return (
            "pagerduty",
            {"integrationKey": secret(spec.pagerduty.key, "integrationKey")},
            spec.pagerduty.send_resolved,
        )
    if spec.email is not None:
        return "email", {"addresses": ";".join(spec.email.to), "singleEmail": False}, spec.email.send_resolved
    assert spec.webhook is not None
    url = spec.webhook.url
    settings = {"url": secret(url, "url") if isinstance(url, SecretRef) else str(url)}
    if spec.webhook.max_alerts:
        settings["maxAlerts"] = spec.webhook.max_alerts
    return "webhook", settings, spec.webhook.send_resolved


def contact_point(
    config: GrafanaAlertingConfig, target: str, receiver: Receiver, secrets: SecretFingerprint
) -> tuple[Resource, list[Diagnostic]]:
    """The receiver's contact point `<prefix><receiver>`, with a uid derived from the target and the name."""
    diagnostics: list[Diagnostic] = []
    refs: dict[str, str] = {}

    def secret(ref: SecretRef, name: str) -> str:
        """The planned form of a secret setting, its reference recorded under its JSON pointer."""
        refs[f"/settings/{name}"] = ref.describe()
        return SENSITIVE.format(fingerprint=fingerprint_or_report(secrets, ref, receiver, diagnostics))

    kind, settings, send_resolved = _integration(receiver, secret)
    name = config.contact_point_name(receiver.name)
    body = {
        "uid": contact_point_uid(target, name),
        "name": name,
        "type": kind,
        "settings": settings,
        "disableResolveMessage": not send_resolved,
    }
    return Resource(CONTACT_POINT, name, body, secrets=refs, address=receiver.owner), diagnostics
