"""Secret references resolved at the edge: fingerprints for plans, values only for apply.

Besides `env:NAME` and `file:PATH`, a PagerDuty receiver that names a service (`pagerduty: {service: X}`)
carries the reference `pagerduty:X`: its value is that service's integration key, which the engine reads
from PagerDuty at plan and apply time (never from the environment), and which is as secret as any other.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from monaco.spec.types import SecretRef


def _refuse_inline_secret(value: Any) -> Any:
    if isinstance(value, str):
        raise PydanticCustomError(
            "secret_inline",
            "secret written inline; reference it with {{env: NAME}} or {{file: PATH}}",
        )
    return value


Secret = Annotated[SecretRef, BeforeValidator(_refuse_inline_secret)]
"""A secret field: only a reference is accepted, an inline string is an error."""
SERVICE_KEY = "pagerduty:"
"""The prefix of the reference to a PagerDuty service's integration key (`pagerduty:<service>`)."""


class ServiceKeyRef(SecretRef):
    """The integration key of a PagerDuty service monaco declares: read from PagerDuty, never written in a spec."""

    service: str = Field(description="The monaco service or team whose PagerDuty service holds the key.")

    @model_validator(mode="after")
    def _exactly_one(self) -> ServiceKeyRef:
        """Neither `env` nor `file`: the service names where the key lives."""
        return self

    def describe(self) -> str:
        """`pagerduty:<service>` (never the key)."""
        return SERVICE_KEY + self.service


def service_key_name(ref: str) -> str | None:
    """The service a `pagerduty:<service>` reference names, or None for any other reference."""
    return ref.removeprefix(SERVICE_KEY) if ref.startswith(SERVICE_KEY) else None


def fingerprint(value: str) -> str:
    """A short, stable, one-way fingerprint of a secret value: `sha256:` and 12 hex digits."""
    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]


def resolve(ref: str, base_dir: Path | None = None) -> str:
    """The value behind `env:NAME` or `file:PATH` (trailing newline stripped); KeyError when unavailable."""
    kind, _, name = ref.partition(":")
    if kind == "env":
        if name not in os.environ:
            raise KeyError(f"environment variable {name} is not set")
        return os.environ[name]
    if kind == "file":
        path = Path(name)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        try:
            return path.read_text(encoding="utf-8").rstrip("\n")
        except OSError as exc:
            raise KeyError(f"cannot read secret file {path}: {exc.strerror or exc}") from None
    raise KeyError(f"unknown secret reference {ref!r}")
