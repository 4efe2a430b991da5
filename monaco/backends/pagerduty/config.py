"""The `config` block of a `pagerduty` target, and the names and ownership markers derived from it."""

from __future__ import annotations

import re

from pydantic import ConfigDict, Field

from monaco.backends.unsupported import NotHereLevels
from monaco.spec.models import Secret

OWNER_TAG = "managed-by:monaco"
"""The tag every escalation policy monaco made carries (PagerDuty tags are single labels)."""
TARGET_TAG_PREFIX = "monaco-target:"
"""With the target's name, the tag that says which target owns a policy."""
MARKER = re.compile(r"\n*\[managed by monaco: target (?P<target>[^\]\n]+)\]\s*$")
"""A service's ownership marker, the last line of its description (services cannot be tagged)."""
INTEGRATION_NAME = "monaco"
"""The name of the Events API v2 integration monaco adds to each service it makes."""


class PagerDutyConfig(NotHereLevels):
    """Which PagerDuty account (token, API URL) and how monaco names what it makes there."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    token: Secret = Field(description="A REST API v2 key (account or user), by reference.")
    base_url: str | None = Field(
        default=None, pattern=r"^https://[^\s/]+", description="REST API URL override (EU accounts, a fake in tests)."
    )
    ca_file: str | None = Field(default=None, description="CA bundle that verifies base_url (relative to the target).")
    name_prefix: str = Field(
        default="monaco-",
        min_length=1,
        max_length=40,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9 _./:-]*$",
        description="Every service and escalation policy name starts with it.",
    )
    default_escalation_policy: str | None = Field(
        default=None,
        min_length=1,
        description="An existing escalation policy (by name) for services whose team declares no on-call.",
    )
    from_email: str | None = Field(
        default=None, pattern=r"^[^@\s]+@[^@\s]+$", description="The `From` header (a PagerDuty user's email)."
    )
    max_attempts: int = Field(default=6, ge=1, le=20, description="Tries per call when PagerDuty answers 429.")
    backoff_seconds: float = Field(default=1.5, ge=0, le=30, description="First retry delay; doubles each time.")

    def service_name(self, name: str) -> str:
        """The PagerDuty service of a monaco service (per_service) or team (per_team)."""
        return self.name_prefix + name

    def policy_name(self, team: str) -> str:
        """The escalation policy of a team's on-call."""
        return self.name_prefix + team

    def target_tag(self, target: str) -> str:
        """The tag naming the target that owns a policy."""
        return TARGET_TAG_PREFIX + target


def marked(description: str, target: str) -> str:
    """A service description ending in the ownership marker of `target`."""
    return f"{description}\n\n[managed by monaco: target {target}]"


def marker_target(description: str | None) -> str | None:
    """The target a service description's marker names, or None when it has no marker."""
    found = MARKER.search(description or "")
    return found.group("target") if found else None
