"""The `config` block of a `grafana_alerting` target, and the names, uids and ownership labels derived from it."""

from __future__ import annotations

import hashlib
import re

from pydantic import ConfigDict, Field, field_validator, model_validator

from monaco.backends.unsupported import NotHereLevels
from monaco.spec.models import Secret
from monaco.spec.types import Duration, parse_duration

OWNER_LABEL = "monaco_owner"
"""Every rule monaco writes carries `monaco_owner: <target>`; the target's policy subtree matches on it."""
MANAGED_LABEL = "managed_by"
MANAGED_VALUE = "monaco"
FINGERPRINTS_SETTING = "monacoSecretFingerprints"
"""A contact point setting recording the planned form of each secret field (Grafana redacts the values on read)."""
_UID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


class GrafanaAlertingConfig(NotHereLevels):
    """Which Grafana (URL, credentials), which Prometheus datasource its rules query, and where monaco writes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str = Field(description="Grafana's base URL, e.g. https://grafana.example.com (no /api).")
    datasource_uid: str = Field(
        min_length=1, max_length=40, description="The uid of the Prometheus datasource every rule queries (refId A)."
    )
    token: Secret | None = Field(default=None, description="A service account token, by reference (bearer auth).")
    basic_user: str | None = Field(default=None, description="User for basic auth (with basic_password).")
    basic_password: Secret | None = Field(default=None, description="Password for basic auth, by reference.")
    org_id: int | None = Field(default=None, ge=1, description="Organisation to act in (X-Grafana-Org-Id).")
    folder_uid: str = Field(
        default="monaco", pattern=r"^[A-Za-z0-9_-]{1,40}$", description="The monaco-owned folder holding the rules."
    )
    folder_title: str = Field(
        default="monaco", min_length=1, description="That folder's title, when monaco creates it."
    )
    contact_point_prefix: str = Field(
        default="monaco-",
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        description="Every contact point monaco writes is named this prefix followed by the receiver's name; "
        "every mute timing this prefix, the target's name, a dot and the time interval's name.",
    )
    interval: Duration = Field(
        default="1m", description="Evaluation interval of a service's rule group when the service sets none."
    )
    query_range: Duration = Field(
        default="10m", description="How far back query A looks (relativeTimeRange.from); instant queries."
    )
    disable_provenance: bool = Field(
        default=False, description="Write with X-Disable-Provenance, so the objects stay editable in Grafana's UI."
    )
    timeout_seconds: float = Field(default=10, gt=0, le=300, description="Deadline of each HTTP request.")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+(/[^\s]*)?$", value):
            raise ValueError("url must be an http(s) URL")
        return value.rstrip("/")

    @field_validator("interval")
    @classmethod
    def _base_interval(cls, value: str) -> str:
        seconds = parse_duration(value)
        if seconds <= 0 or seconds % 10:
            raise ValueError("Grafana evaluates rule groups at multiples of 10s: use 10s, 30s, 1m, ...")
        return value

    @model_validator(mode="after")
    def _one_auth(self) -> GrafanaAlertingConfig:
        if self.token is not None and (self.basic_user or self.basic_password):
            raise ValueError("set token, or basic_user and basic_password, not both")
        if (self.basic_user is None) != (self.basic_password is None):
            raise ValueError("basic auth needs both basic_user and basic_password")
        return self

    def contact_point_name(self, receiver: str) -> str:
        """The contact point monaco writes for a receiver."""
        return self.contact_point_prefix + receiver


def stable_uid(kind: str, *parts: str) -> str:
    """A Grafana uid (<= 40 of [A-Za-z0-9_-]) derived from what an object is, the same on every run."""
    digest = hashlib.sha256("\0".join((kind, *parts)).encode()).hexdigest()
    return f"mon{kind[0]}-{digest[:32]}"


def contact_point_uid(target: str, name: str) -> str:
    """The uid of a target's contact point: derived from the target and the name, so it marks ownership too."""
    return stable_uid("contact", target, name)


def rule_uid(service: str, key: str) -> str:
    """The uid of an alert rule: derived from its service and the alert's (or SLO tier's) key."""
    return stable_uid("rule", service, key)
