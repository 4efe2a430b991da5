"""The `config` block of a `mimir_ruler` target, and the namespace names and owner marker derived from it."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from monaco.backends.unsupported import NotHereLevels
from monaco.spec.models import Secret

MARKER_GROUP = "monaco_owner"
"""The group in every namespace monaco owns that says so: service and SLO group names never hold `_`."""
MARKER_RECORD = "monaco:owner:info"
TARGET_LABEL = "monaco_target"
MANAGED_LABEL = "managed_by"
MANAGED_VALUE = "monaco"
MARKER_INTERVAL = "1h"


class MimirRulerConfig(NotHereLevels):
    """Where the ruler is (URL, tenant, credentials) and how monaco names its namespaces there."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str = Field(
        description="The ruler's base URL (Mimir, its gateway, Cortex or Grafana Cloud's Prometheus URL); "
        "requests go to <url>/prometheus/config/v1/rules (see `api_prefix`)."
    )
    tenant: str = Field(
        min_length=1, max_length=150, description="The tenant id, sent as X-Scope-OrgID (Grafana Cloud: the stack id)."
    )
    auth: Literal["none", "basic", "bearer"] = Field(
        default="none", description="How to authenticate: none, HTTP basic (username + password) or a bearer token."
    )
    username: str | None = Field(default=None, description="The basic-auth user (Grafana Cloud: the instance id).")
    password: Secret | None = Field(default=None, description="The basic-auth password or API token, by reference.")
    token: Secret | None = Field(default=None, description="The bearer token, by reference.")
    api_prefix: str = Field(
        default="/prometheus",
        pattern=r"^(/[A-Za-z0-9_.-]+)*$",
        description="Path before /config/v1/rules: `/prometheus` on Mimir and Grafana Cloud, `/api/prom` or empty on Cortex.",
    )
    namespace: Literal["per_service", "per_target"] = Field(
        default="per_service", description="One ruler namespace per service, or one for all the target's services."
    )
    namespace_prefix: str = Field(
        default="monaco-",
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        description="Every namespace monaco writes starts with it; only namespaces with it are read as monaco's.",
    )
    namespace_name: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="per_target: the namespace after the prefix (default: the target's name).",
    )
    alertmanager: bool = Field(
        default=False,
        description="Also manage the tenant's Alertmanager config (`/api/v1/alerts`): monaco's routes, receivers "
        "and inhibit rules merged into it, the rest kept.",
    )
    alertmanager_base_config: str | None = Field(
        default=None,
        description="A platform-owned base config (global, templates, root route) monaco merges into, relative to "
        "the target file; without it the tenant's live config (or a built-in one) is the base and is kept.",
    )
    alertmanager_url: str | None = Field(
        default=None, description="The Alertmanager's base URL when it is not `url` (Grafana Cloud: its own host)."
    )
    alertmanager_api_prefix: str = Field(
        default="",
        pattern=r"^(/[A-Za-z0-9_.-]+)*$",
        description="Path before /api/v1/alerts: empty on Mimir and Cortex (`-server.path-prefix`, default `/`).",
    )
    timeout_seconds: float = Field(
        default=10.0, gt=0, le=300, description="Socket timeout of one request (connecting, and each read)."
    )
    max_attempts: int = Field(default=3, ge=1, le=10, description="Tries per request when the ruler answers 429/5xx.")
    backoff_seconds: float = Field(default=0.5, ge=0, le=30, description="First retry delay; doubles each time.")

    @field_validator("url", "alertmanager_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not re.match(r"^https?://[^\s/]+(/\S*)?$", value):
            raise ValueError("url must be an http(s) URL")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _credentials(self) -> MimirRulerConfig:
        if self.auth == "basic" and (self.username is None or self.password is None):
            raise ValueError("auth basic needs `username` and `password` (a secret reference)")
        if self.auth == "bearer" and self.token is None:
            raise ValueError("auth bearer needs `token` (a secret reference)")
        if self.namespace_name is not None and self.namespace != "per_target":
            raise ValueError("namespace_name is only used with `namespace: per_target`")
        alertmanager_fields = (self.alertmanager_base_config, self.alertmanager_url)
        if not self.alertmanager and any(v is not None for v in alertmanager_fields):
            raise ValueError("alertmanager_base_config and alertmanager_url need `alertmanager: true`")
        return self

    def namespace_of(self, target: str, service: str) -> str:
        """The ruler namespace a service's groups go to."""
        if self.namespace == "per_target":
            return self.namespace_prefix + (self.namespace_name or target)
        return self.namespace_prefix + service

    @property
    def alerts_base(self) -> str:
        """The base URL of the Alertmanager (its own, or the ruler's)."""
        return self.alertmanager_url or self.url

    @property
    def alerts_path(self) -> str:
        """The path of the tenant's Alertmanager config API, below `alerts_base`."""
        return f"{self.alertmanager_api_prefix}/api/v1/alerts"

    @property
    def alerts_url(self) -> str:
        """The full URL of the tenant's Alertmanager config API, for messages and claims."""
        return self.alerts_base + self.alerts_path

    @property
    def rules_path(self) -> str:
        """The path of the ruler's rules config API, below the URL."""
        return f"{self.api_prefix}/config/v1/rules"


def marker_group(target: str) -> dict[str, Any]:
    """The group that marks a namespace as `target`'s: one recording rule whose labels name monaco and the target."""
    labels = {MANAGED_LABEL: MANAGED_VALUE, TARGET_LABEL: target}
    return {
        "name": MARKER_GROUP,
        "interval": MARKER_INTERVAL,
        "rules": [{"record": MARKER_RECORD, "expr": "vector(1)", "labels": labels}],
    }


def marker_owner(group: dict[str, Any]) -> str | None:
    """The target a marker group names, or None when it is not monaco's marker."""
    rules = group.get("rules")
    if not isinstance(rules, list) or len(rules) != 1 or not isinstance(rules[0], dict):
        return None
    labels = rules[0].get("labels")
    if rules[0].get("record") != MARKER_RECORD or not isinstance(labels, dict):
        return None
    if labels.get(MANAGED_LABEL) != MANAGED_VALUE or not isinstance(labels.get(TARGET_LABEL), str):
        return None
    return str(labels[TARGET_LABEL])
