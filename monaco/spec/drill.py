"""The `drill:` block of Settings: what `monaco drill` may do (whether it may page, and which receivers)."""

from __future__ import annotations

from pydantic import Field

from monaco.spec.types import SpecModel


class DrillSettings(SpecModel):
    """What `monaco drill` may send: by default never to a paging receiver nor at a paging severity."""

    allow_paging: bool = Field(
        default=False,
        description="Let a drill reach paging receivers (PagerDuty) and use severities with `page: true`.",
    )
    receivers: list[str] = Field(
        default_factory=list,
        description="Paging receivers a drill may reach even when allow_paging is false (a test PagerDuty service).",
    )
    severity: str | None = Field(
        default=None,
        description="The drill alert's severity when `--severity` is not given (default: the least severe).",
    )
