"""The `config` block of an `aws_cloudwatch` target, and the names and tags derived from it."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from monaco.backends.unsupported import NotHereLevels, fold_deprecated_levels

OWNER_TAG = "managed-by"
OWNER_VALUE = "monaco"
KEY_TAG = "monaco:key"
TARGET_TAG = "monaco:target"
"""The name of the target that owns an alarm or topic: another target's resources are never touched."""
SUBS_TAG = "monaco:subscriptions"
"""Topic tag saying whether monaco manages the topic's subscriptions (`managed`) or not (`unmanaged`)."""
LOCK_TOPIC_SUFFIX = "apply_lock"
"""The apply-lock topic is `<topic_prefix>apply_lock`: receiver names never hold `_`, so it is no receiver's."""
SUB_TAG_PREFIX = "monaco:sub:"
"""Topic tags `monaco:sub:<hash of the real endpoint>` hold the plan's form of a secret endpoint."""


DEPRECATED_LEVELS = {"missing_source_level": "MON701", "long_window_level": "MON704"}
"""Older level knobs, read as entries of `levels` (the one way every backend configures them)."""


class CloudWatchConfig(NotHereLevels):
    """Where the alarms live (account, region, credentials) and how monaco names and applies them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    region: str = Field(pattern=r"^[a-z]{2}(-[a-z]+)+-\d+$", description="AWS region, e.g. eu-west-1.")
    account_id: str = Field(
        pattern=r"^\d{12}$", description="The 12-digit account: topic ARNs are rendered with it and checked on apply."
    )
    partition: Literal["aws", "aws-cn", "aws-us-gov"] = "aws"
    profile: str | None = Field(default=None, description="A named profile from the AWS config files.")
    role_arn: str | None = Field(default=None, pattern=r"^arn:aws[\w-]*:iam::\d{12}:role/.+$")
    endpoint_url: str | None = Field(
        default=None, description="Override every service endpoint (a local moto server in tests)."
    )
    name_prefix: str = Field(
        default="monaco/",
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9/_.-]*$",
        description="Every alarm name starts with it; what is tagged for this target elsewhere (after a rename) "
        "is read too, and deleted when no longer wanted.",
    )
    max_concurrency: int = Field(default=4, ge=1, le=32, description="Independent write calls in flight at once.")
    max_rate: float = Field(default=3.0, gt=0, le=100, description="Write calls per second (PutMetricAlarm: 3 TPS).")
    max_attempts: int = Field(default=6, ge=1, le=20, description="Tries per call when AWS throttles.")
    backoff_seconds: float = Field(default=0.5, ge=0, le=30, description="First retry delay; doubles, with jitter.")
    long_window_policy: Literal["daily_any"] = Field(
        default="daily_any",
        description="Burn windows over 1 day: evaluated as daily datapoints, alarming if any one crosses.",
    )
    lock_ttl_seconds: float = Field(
        default=120, ge=5, le=3600, description="An apply lock not renewed for this long is stale and taken over."
    )
    lock_settle_seconds: float = Field(
        default=2.0, ge=0, le=60, description="Wait between writing the lock's holder tags and reading them back."
    )

    @model_validator(mode="before")
    @classmethod
    def _deprecated_levels(cls, data: Any) -> Any:
        return fold_deprecated_levels(data, DEPRECATED_LEVELS)

    @field_validator("endpoint_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("endpoint_url must be an http(s) URL")
        return value

    @property
    def topic_prefix(self) -> str:
        """The name prefix spelt with the characters SNS topic names allow (`monaco/` -> `monaco-`)."""
        return re.sub(r"[^A-Za-z0-9_-]", "-", self.name_prefix)

    def alarm_name(self, *parts: str) -> str:
        """A full alarm name: the prefix and `parts` joined by `/`."""
        return self.name_prefix + "/".join(parts)

    @property
    def lock_topic_name(self) -> str:
        """The SNS topic whose tags hold the apply lock (`_` keeps it apart from every receiver's topic)."""
        return f"{self.topic_prefix}{LOCK_TOPIC_SUFFIX}"

    def topic_name(self, receiver: str) -> str:
        """The SNS topic that carries one receiver's notifications."""
        return f"{self.topic_prefix}{receiver}"

    def topic_arn(self, topic_name: str) -> str:
        """The ARN a topic of this account and region has."""
        return f"arn:{self.partition}:sns:{self.region}:{self.account_id}:{topic_name}"

    def alarm_arn(self, alarm_name: str) -> str:
        """The ARN an alarm of this account and region has."""
        return f"arn:{self.partition}:cloudwatch:{self.region}:{self.account_id}:alarm:{alarm_name}"

    @property
    def mute_rule_prefix(self) -> str:
        """The name prefix of this target's alarm mute rules (`monaco-mute_`); `_` is in no receiver's name."""
        return f"{self.topic_prefix}mute_"

    def mute_rule_arn(self, rule_name: str) -> str:
        """The ARN an alarm mute rule of this account and region has."""
        return f"arn:{self.partition}:cloudwatch:{self.region}:{self.account_id}:alarm-mute-rule:{rule_name}"


_UNSAFE_IN_NAME = re.compile(r'[/"\\]')
_TAG_VALUE_SAFE = frozenset("_.:/=+-@")


def alarm_part(text: str) -> str:
    """`text` as one `/`-separated part of an alarm name, unique and valid for any alert name.

    CloudWatch alarm names hold any UTF-8 but ASCII control characters; `/` separates monaco's parts
    and `"` or `\\` would break a composite's `ALARM("name")`. Those are replaced by `_`, and a short hash
    of the original is appended so that two alert names never map to one alarm name.
    """
    safe = "".join("_" if _UNSAFE_IN_NAME.match(ch) or not ch.isprintable() else ch for ch in text)
    if safe == text:
        return text
    return f"{safe}-{hashlib.sha256(text.encode()).hexdigest()[:6]}"


def tag_value(text: str) -> str:
    """`text` with every character AWS tag values do not allow (letters, digits, spaces, `_.:/=+-@`) as `_`."""

    def allowed(ch: str) -> bool:
        return ch.isalnum() or ch in _TAG_VALUE_SAFE or unicodedata.category(ch).startswith("Z")

    return "".join(ch if allowed(ch) else "_" for ch in text)[:256]
