"""Shared spec value types: durations, identifiers, secret references, exact percentages."""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

_DURATION_RE = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_UNIT_SECONDS = (604800, 86400, 3600, 60, 1)


class SpecModel(BaseModel):
    """Base for every spec model: unknown fields are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


DEFAULT_EVALUATION_SECONDS = 60
"""Prometheus's default `evaluation_interval` (1m): how often a rule group that sets no interval is evaluated."""


@functools.lru_cache(maxsize=1024)  # pure; a workspace spells the same few durations thousands of times
def parse_duration(text: str) -> int:
    """Seconds in a Prometheus-style duration such as `1h30m`; raises ValueError when malformed."""
    match = _DURATION_RE.match(text.strip()) if isinstance(text, str) else None
    if not match or not text.strip() or not any(match.groups()):
        raise ValueError(f"{text!r} is not a duration; write e.g. 30s, 5m, 1h30m, 30d")
    return sum(int(part) * unit for part, unit in zip(match.groups(), _UNIT_SECONDS, strict=True) if part)


@functools.lru_cache(maxsize=1024)
def format_duration(seconds: int) -> str:
    """The canonical Prometheus spelling of a number of seconds (`90` -> `1m30s`, `86400` -> `1d`)."""
    if seconds == 0:
        return "0s"
    parts: list[str] = []
    for suffix, unit in zip("wdhms", _UNIT_SECONDS, strict=True):
        if suffix == "w":
            continue  # weeks read less well than days in alert windows
        count, seconds = divmod(seconds, unit)
        if count:
            parts.append(f"{count}{suffix}")
    return "".join(parts)


def _canonical_duration(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError("a duration is a string such as 5m or 1h; a bare number has no unit")
    return format_duration(parse_duration(value))


Duration = Annotated[
    str, BeforeValidator(_canonical_duration), Field(json_schema_extra={"pattern": _DURATION_RE.pattern})
]
"""A duration such as `5m`, stored in canonical spelling."""

_NAME_RE = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_ALERT_RE = re.compile(r"^(?=.*\S)[^\x00-\x1f\x7f-\x9f]+$")
_LABEL_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


def _check(pattern: re.Pattern[str], what: str) -> Any:
    def validate(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f"{value!r} is not a valid {what} (must match {pattern.pattern})")
        return value

    return AfterValidator(validate)


def _alert_name(value: str) -> str:
    """Refuse what Prometheus refuses (an empty name) and what breaks labels and YAML (control characters)."""
    if not value.strip():
        raise ValueError("an alert name cannot be empty or blank")
    bad = next((c for c in value if unicodedata.category(c) == "Cc"), None)
    if bad is not None:
        raise ValueError(f"alert name {value!r} holds the control character U+{ord(bad):04X}; remove it")
    return value


Name = Annotated[str, _check(_NAME_RE, "name"), Field(json_schema_extra={"pattern": _NAME_RE.pattern})]
"""A DNS-label-like name for services, teams, receivers and targets."""
AlertName = Annotated[str, AfterValidator(_alert_name), Field(json_schema_extra={"pattern": _ALERT_RE.pattern})]
"""An alert name: any text Prometheus accepts (it checks none), except blank names and control characters."""
LabelName = Annotated[str, _check(_LABEL_RE, "label name"), Field(json_schema_extra={"pattern": _LABEL_RE.pattern})]
"""A Prometheus label name."""


Threshold = Annotated[float | None, WithJsonSchema({"type": "number"})]
"""A condition's number: a key that may be left out, but never written as null."""


def _exact_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("expected a number")
    try:
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None


ExactDecimal = Annotated[Decimal, BeforeValidator(_exact_decimal), Field(json_schema_extra={"type": "number"})]
"""A decimal number kept exactly as written (99.9 stays 99.9, never 99.90000000000001)."""


class SecretRef(SpecModel):
    """A reference to a secret: an environment variable name or a file path, never the value."""

    env: str | None = Field(default=None, description="Name of an environment variable holding the secret.")
    file: str | None = Field(default=None, description="Path of a file holding the secret.")

    @model_validator(mode="after")
    def _exactly_one(self) -> SecretRef:
        if (self.env is None) == (self.file is None):
            raise ValueError("a secret reference names exactly one of `env` or `file`")
        return self

    def describe(self) -> str:
        """A printable description of where the secret lives (never the secret itself)."""
        return f"env:{self.env}" if self.env is not None else f"file:{self.file}"
