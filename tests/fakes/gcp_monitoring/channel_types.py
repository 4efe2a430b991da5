"""Notification channel types the fake knows, their labels, and how the API obfuscates their secrets on read.

Labels: notification.py "The permissible and required labels are specified in the NotificationChannelDescriptor.labels
of the NotificationChannelDescriptor corresponding to the type field"; the keys below are those of the public
descriptors (email_address; slack channel_name, auth_token, team; pagerduty service_key; webhook url; basic-auth
username and password). Which are required is the fake's reading, not a documented flag (LabelDescriptor has none):
the label that identifies the destination, and the credential it cannot work without (Terraform's acceptance tests
note "Slack auth_token required for test not to fail").

Secrets: notification.py "Fields containing sensitive information like authentication tokens or contact info are only
partially populated on retrieval"; Terraform's provider lists the sensitive labels as auth_token (slack), service_key
(pagerduty) and password (webhook_basicauth), "obfuscated by the API". The shape of the obfuscation is the one a user
reported (GoogleCloudPlatform/python-docs-samples#1852): `"auth_token": "*****…*****9684"`, every character but the
last four replaced by `*`; writing such a value back failed, so the fake refuses a secret label that looks obfuscated
(INVALID_ARGUMENT). Email addresses are returned in clear (Config Connector's recorded real traffic shows them so).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from google.api import label_pb2
from google.cloud import monitoring_v3

KEPT_IN_CLEAR = 4
_OBFUSCATED = re.compile(r"\*+.{0,4}", re.DOTALL)


@dataclass(frozen=True)
class ChannelType:
    """One channel type: its labels (key -> description), the required ones, and the secret ones."""

    type: str
    display_name: str
    labels: Mapping[str, str]
    required: frozenset[str]
    secrets: frozenset[str] = frozenset()

    def descriptor(self, project: str) -> monitoring_v3.NotificationChannelDescriptor:
        """The NotificationChannelDescriptor the API lists for this type."""
        return monitoring_v3.NotificationChannelDescriptor(
            name=f"projects/{project}/notificationChannelDescriptors/{self.type}",
            type_=self.type,
            display_name=self.display_name,
            description=f"{self.display_name} notification channel",
            labels=[label_pb2.LabelDescriptor(key=key, description=text) for key, text in sorted(self.labels.items())],
        )


CHANNEL_TYPES: Mapping[str, ChannelType] = {
    kind.type: kind
    for kind in (
        ChannelType("email", "Email", {"email_address": "An address to send email."}, frozenset({"email_address"})),
        ChannelType(
            "pagerduty",
            "PagerDuty",
            {"service_key": "The PagerDuty service key."},
            frozenset({"service_key"}),
            frozenset({"service_key"}),
        ),
        ChannelType(
            "slack",
            "Slack",
            {
                "auth_token": "The OAuth token Monitoring posts with.",
                "channel_name": "The Slack channel to post to, e.g. #alerts.",
                "team": "The Slack workspace.",
            },
            frozenset({"auth_token", "channel_name"}),
            frozenset({"auth_token"}),
        ),
        ChannelType(
            "webhook_basicauth",
            "Webhooks with basic authentication",
            {
                "password": "The password sent with each request.",
                "url": "The URL to POST notifications to.",
                "username": "The user name sent with each request.",
            },
            frozenset({"password", "url", "username"}),
            frozenset({"password"}),
        ),
        ChannelType(
            "webhook_tokenauth",
            "Webhooks",
            {"url": "The URL to POST notifications to, with its token in the query string."},
            frozenset({"url"}),
        ),
    )
}


def obfuscate(value: str) -> str:
    """A secret as the API returns it: all but the last four characters replaced by `*`."""
    hidden = len(value) - KEPT_IN_CLEAR if len(value) > KEPT_IN_CLEAR else len(value)
    return "*" * hidden + value[hidden:]


def looks_obfuscated(value: str) -> bool:
    """True for a value shaped like `obfuscate`'s output (a read value written back)."""
    return bool(_OBFUSCATED.fullmatch(value))
