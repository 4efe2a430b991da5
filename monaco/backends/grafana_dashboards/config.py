"""The `config` block of a `grafana_dashboards` target, and the uids, titles and tags derived from it.

Two places a target can write: `dashboards_dir` (the default, no server: Grafana provisioning files) or
`url` (a live Grafana through its HTTP API, authenticated by a token or basic auth given by reference).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from pydantic import Field, HttpUrl, model_validator

from monaco.backends.unsupported import NotHereLevels
from monaco.spec.types import SecretRef, SpecModel

OWNER_TAG = "monaco"
"""Every dashboard monaco writes carries this tag; ownership also needs the target's tag."""
TARGET_TAG_PREFIX = "monaco-target:"
SERVICE_TAG_PREFIX = "monaco-service:"
LOCK_TAG = "monaco-lock"
MAX_UID = 40
"""Grafana's limit on a dashboard or folder uid (dashboard.md: "a maximum length of 40 characters")."""
_UID_SAFE = re.compile(r"[^a-zA-Z0-9_-]")


class BasicAuth(SpecModel):
    """A Grafana user and a reference to its password."""

    username: str = Field(min_length=1, description="The Grafana user.")
    password: SecretRef = Field(description="Where the password is ({env: NAME} or {file: path}), never the value.")


class GrafanaDashboardsConfig(SpecModel, NotHereLevels):
    """Where the dashboards go (provisioning files or a live Grafana) and how they are named."""

    dashboards_dir: str | None = Field(
        default=None,
        description="Directory the dashboard JSON files and the provider YAML are written to, relative to the "
        "target file (the default kind of target: no server).",
    )
    grafana_path: str = Field(
        default="/var/lib/grafana/dashboards/monaco",
        description="The dashboards directory as Grafana sees it: the provider YAML's `options.path`.",
    )
    url: HttpUrl | None = Field(default=None, description="A live Grafana's base URL (instead of dashboards_dir).")
    token: SecretRef | None = Field(default=None, description="A service account token, by reference.")
    basic_auth: BasicAuth | None = Field(default=None, description="A user and password reference instead of a token.")
    folder: str = Field(default="Monaco", min_length=1, description="Title of the monaco-owned folder.")
    folder_uid: str = Field(
        default="monaco", pattern=r"^[a-zA-Z0-9_-]{1,40}$", description="Uid of the monaco-owned folder."
    )
    datasource: str = Field(
        default="prometheus",
        min_length=1,
        description="Uid of the Prometheus data source the dashboards' `datasource` variable starts on.",
    )
    uid_prefix: str = Field(
        default="monaco-", pattern=r"^[a-zA-Z0-9_-]{0,20}$", description="Every dashboard uid starts with it."
    )
    timeout_seconds: float = Field(default=10.0, gt=0, le=300, description="Deadline of one HTTP request.")
    page_size: int = Field(default=1000, ge=1, le=5000, description="Hits per search page (Grafana's maximum: 5000).")
    max_concurrency: int = Field(default=4, ge=1, le=32, description="Dashboards read at once.")
    lock_ttl_seconds: float = Field(
        default=300, ge=5, le=86400, description="An apply lock older than this is stale and taken over."
    )

    @model_validator(mode="after")
    def _one_place(self) -> GrafanaDashboardsConfig:
        if (self.dashboards_dir is None) == (self.url is None):
            raise ValueError("give exactly one of `dashboards_dir` (provisioning files) or `url` (a live Grafana)")
        if self.token is not None and self.basic_auth is not None:
            raise ValueError("give `token` or `basic_auth`, not both")
        if self.url is not None and self.token is None and self.basic_auth is None:
            raise ValueError("a `url` target needs `token` or `basic_auth` (Grafana answers 401 otherwise)")
        return self

    @property
    def base_url(self) -> str:
        """The URL without a trailing slash."""
        return str(self.url).rstrip("/")

    def dashboard_uid(self, service: str) -> str:
        """The dashboard uid of a service: the prefix and the service name, shortened with a hash past 40 characters."""
        return short_uid(self.uid_prefix + service)

    @property
    def lock_uid(self) -> str:
        """The uid of the dashboard that holds the apply lock of a live target."""
        return short_uid(f"{self.uid_prefix}apply-lock")


def short_uid(text: str) -> str:
    """`text` as a Grafana uid: unsafe characters as `_`, and past 40 characters cut with a hash of the whole."""
    safe = _UID_SAFE.sub("_", text)
    if safe == text and len(safe) <= MAX_UID:
        return safe
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    return f"{safe[: MAX_UID - 9]}-{digest}"


def dashboard_title(service: str) -> str:
    """The dashboard title of a service (titles are unique per folder in Grafana)."""
    return service


def owner_tags(target: str, service: str) -> list[str]:
    """The tags of a service's dashboard: monaco's marker, the target and the service."""
    return [OWNER_TAG, f"{SERVICE_TAG_PREFIX}{service}", f"{TARGET_TAG_PREFIX}{target}"]


def tag_owner(tags: Any) -> str | None:
    """The target named by a dashboard's tags when it carries monaco's marker; '' for monaco without a target."""
    names = [str(t) for t in tags] if isinstance(tags, list) else []
    if OWNER_TAG not in names:
        return None
    targets = [t.removeprefix(TARGET_TAG_PREFIX) for t in names if t.startswith(TARGET_TAG_PREFIX)]
    return targets[0] if targets else ""


def holder_of(tags: Any) -> str:
    """Who holds a dashboard that is not this target's: `target X`, `an older monaco`, or `not monaco`."""
    owner = tag_owner(tags)
    if owner is None:
        return "not monaco"
    return f"target {owner}" if owner else "monaco without a target tag"
