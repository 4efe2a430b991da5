"""The `config` block of an `azure_monitor` target, and the names and ownership tags derived from it."""

from __future__ import annotations

import hashlib
import re
from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from monaco.backends.unsupported import NotHereLevels
from monaco.spec.models import Secret

OWNER_TAG = "managed-by"
OWNER_VALUE = "monaco"
KEY_TAG = "monaco-key"
"""The spec object a resource comes from (`checkout/alert/HighCPU`), for reviewers and orphan reports."""
TARGET_TAG = "monaco-target"
"""The name of the target that owns a resource: another target's resources are never touched."""
SECRETS_TAG = "monaco-secret-receivers"
"""Action-group tag: the webhook receivers whose `serviceUri` is a secret (read back as a fingerprint)."""
_ARM_ID = r"^/subscriptions/[^/]+/resource[gG]roups/[^/]+/providers/.+$"
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
ARM_NAME_MAX = 128


class AzureMonitorConfig(NotHereLevels):
    """Where the rules live (subscription, resource group, location), how to authenticate, and how to name them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    subscription_id: str = Field(
        pattern=r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$", description="The subscription (a GUID)."
    )
    resource_group: str = Field(
        min_length=1, max_length=90, pattern=r"^[-\w.()]*[-\w()]$", description="Resource group holding the rules."
    )
    location: str = Field(pattern=r"^[a-z0-9]+$", description="Region of log alerts and rule groups, e.g. westeurope.")
    monitor_workspace: str | None = Field(
        default=None,
        pattern=_ARM_ID,
        description="Azure Monitor workspace (managed Prometheus) id: alerts and SLOs with PromQL become rule groups there.",
    )
    cluster_name: str | None = Field(
        default=None, description="AKS cluster a rule group's rules apply to (clusterName)."
    )
    credential: Literal["default", "client_secret", "access_token"] = Field(
        default="default",
        description="azure-identity's DefaultAzureCredential chain, a service principal's secret, or a bearer token.",
    )
    tenant_id: str | None = Field(default=None, description="Tenant of the service principal (client_secret).")
    client_id: str | None = Field(default=None, description="Application id of the service principal (client_secret).")
    client_secret: Secret | None = Field(default=None, description="The service principal's secret, by reference.")
    access_token: Secret | None = Field(default=None, description="A bearer token for ARM, by reference.")
    base_url: str | None = Field(
        default=None, pattern=r"^https://[^\s/]+", description="ARM endpoint override (a local fake in tests)."
    )
    ca_file: str | None = Field(
        default=None, description="CA bundle that verifies base_url (relative to the target file)."
    )
    name_prefix: str = Field(
        default="monaco-",
        min_length=1,
        max_length=24,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        description="Every resource name starts with it.",
    )
    severities: dict[str, int] = Field(
        default_factory=dict, description="Azure severity (0 = critical … 4 = verbose) per monaco severity."
    )
    max_retries: int = Field(default=5, ge=0, le=20, description="Retries per call (429 and 5xx) in azure-core.")
    max_retry_after_seconds: float = Field(
        default=30, ge=0, le=300, description="The longest Retry-After honoured; longer ones are cut to it."
    )
    retry_backoff_seconds: float = Field(default=0.8, ge=0, le=30, description="azure-core's retry backoff factor.")
    kql_frequency: str = Field(default="5m", description="How often SLO log alerts run.")

    @field_validator("severities")
    @classmethod
    def _severity_range(cls, value: dict[str, int]) -> dict[str, int]:
        bad = sorted(name for name, level in value.items() if not 0 <= level <= 4)
        if bad:
            raise ValueError(f"Azure severities are 0-4; {', '.join(bad)} is outside")
        return value

    @model_validator(mode="after")
    def _credential_fields(self) -> AzureMonitorConfig:
        if self.credential == "client_secret" and not (self.tenant_id and self.client_id and self.client_secret):
            raise ValueError("credential client_secret needs tenant_id, client_id and client_secret")
        if self.credential == "access_token" and self.access_token is None:
            raise ValueError("credential access_token needs access_token: {env: NAME}")
        return self

    def resource_name(self, *parts: str) -> str:
        """A deterministic ARM resource name: the prefix and `parts`, unsafe characters replaced, hashed when changed."""
        text = "-".join(parts)
        safe = _NAME_UNSAFE.sub("_", text)
        if safe != text or len(self.name_prefix) + len(safe) > ARM_NAME_MAX:
            digest = hashlib.sha256(text.encode()).hexdigest()[:8]
            safe = f"{safe[: ARM_NAME_MAX - len(self.name_prefix) - 9]}-{digest}"
        return self.name_prefix + safe

    def resource_id(self, provider_type: str, name: str) -> str:
        """The ARM id of a resource of this target's resource group, lower-cased (ARM ids are case-insensitive)."""
        group = f"/subscriptions/{self.subscription_id}/resourceGroups/{self.resource_group}"
        return f"{group}/providers/{provider_type}/{name}".lower()

    def action_group_id(self, name: str) -> str:
        """The ARM id of one of this target's action groups."""
        return self.resource_id("microsoft.insights/actionGroups", name)


def tags(key: str, target: str) -> dict[str, str]:
    """The ownership tags of a resource: monaco's marker, its spec key and the owning target."""
    return {OWNER_TAG: OWNER_VALUE, KEY_TAG: key[:256], TARGET_TAG: target[:256]}


def ownership(found: dict[str, str], target: str) -> tuple[bool, str]:
    """Whether tags `found` make a resource `target`'s, and who holds it when not."""
    if found.get(OWNER_TAG) != OWNER_VALUE:
        return False, "not monaco"
    holder = found.get(TARGET_TAG, "")
    return (True, "") if holder == target else (False, f"target {holder or '(unnamed)'}")
