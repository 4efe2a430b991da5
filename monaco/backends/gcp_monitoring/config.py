"""The `config` block of a `gcp_monitoring` target, and the user labels and ids derived from it."""

from __future__ import annotations

import hashlib
import re

from pydantic import ConfigDict, Field, field_validator, model_validator

from monaco.backends.unsupported import NotHereLevels
from monaco.spec.types import SecretRef

OWNER_LABEL = "managed_by"
OWNER_VALUE = "monaco"
TARGET_LABEL = "monaco_target"
"""The (label-safe) name of the target that owns an object: another target's objects are never touched."""
ID_LABEL = "monaco_id"
"""The stable key of an object: policy and channel names are server-assigned, so this is how they are found."""
SECRET_LABEL_PREFIX = "monaco_fp_"
"""`monaco_fp_<channel label>` holds the fingerprint (hex digits) of the secret written to that channel label."""

_LABEL_OK = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def label_value(text: str) -> str:
    """`text` as a user-label value (`[a-z0-9_-]`, at most 63): lowercased, others as `_`, a hash when lossy."""
    safe = re.sub(r"[^a-z0-9_-]", "_", text.lower())
    if safe == text and _LABEL_OK.match(text):
        return text
    return f"{safe[:56]}-{hashlib.sha256(text.encode()).hexdigest()[:6]}"


def resource_id(text: str) -> str:
    """`text` as a Service Monitoring id (`[a-z0-9-]`): lowercased, others as `-`, a hash when lossy."""
    safe = re.sub(r"[^a-z0-9-]", "-", text.lower())
    if safe == text and len(text) <= 60:
        return text
    return f"{safe[:52]}-{hashlib.sha256(text.encode()).hexdigest()[:6]}"


class GcpConfig(NotHereLevels):
    """Where the policies live (project, credentials, endpoint) and how monaco names and applies them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    project: str = Field(
        pattern=r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$", description="The Google Cloud project id (its metrics scope)."
    )
    credentials: SecretRef | None = Field(
        default=None,
        description="A service-account key referenced like a secret ({file: key.json} or {env: NAME} holding "
        "the JSON); unset: Google's default credential chain (GOOGLE_APPLICATION_CREDENTIALS, gcloud, metadata).",
    )
    endpoint: str | None = Field(
        default=None, description="host:port of the Cloud Monitoring API (a local fake in tests)."
    )
    plaintext: bool = Field(
        default=False, description="Talk to `endpoint` without TLS and credentials; only for 127.0.0.1/localhost."
    )
    managed_prometheus: bool = Field(
        default=False,
        description="The metrics are in Managed Service for Prometheus: an alert with a prometheus source and "
        "no gcp one becomes a PromQL condition with the query the Prometheus backend renders, and an SLO whose SLI "
        "is only Prometheus-sourced becomes one PromQL policy per burn tier holding the Prometheus backend's alert "
        "(it reads the SLO's recording rules, which the Managed Prometheus rule evaluator must record).",
    )
    service_prefix: str = Field(
        default="", pattern=r"^[a-z0-9-]{0,20}$", description="Prefix of every Service Monitoring service id."
    )
    page_size: int = Field(default=100, ge=1, le=1000, description="Objects per list call.")
    max_attempts: int = Field(default=6, ge=1, le=20, description="Tries per call on RESOURCE_EXHAUSTED/UNAVAILABLE.")
    backoff_seconds: float = Field(default=0.5, ge=0, le=30, description="First retry delay; doubles, with jitter.")
    timeout_seconds: float = Field(default=30, gt=0, le=300, description="Deadline of each API call.")
    lock_ttl_seconds: float = Field(
        default=300, ge=5, le=3600, description="An apply lock not renewed for this long is stale and taken over."
    )

    @field_validator("endpoint")
    @classmethod
    def _host_port(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$", value):
            raise ValueError("endpoint is host:port, e.g. monitoring.googleapis.com:443")
        return value

    @model_validator(mode="after")
    def _plaintext_is_local(self) -> GcpConfig:
        if self.plaintext and (self.endpoint is None or not self.endpoint.startswith(_LOCAL_HOSTS)):
            raise ValueError("plaintext needs an endpoint on 127.0.0.1 or localhost (credentials never go in clear)")
        return self

    @property
    def parent(self) -> str:
        """`projects/<project>`, the parent of every object."""
        return f"projects/{self.project}"

    def service_id(self, service: str) -> str:
        """The Service Monitoring service id of a monaco service."""
        return resource_id(f"{self.service_prefix}{service}")
