"""The `lint:` block of Settings: levels, the rate-range figures, the pages budget, the docs folder, validate's lint."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from monaco.spec.types import Duration, SpecModel

LintLevel = Literal["off", "info", "warning", "error"]
"""How a lint finding is reported: `off` drops it, `error` makes `monaco lint` exit 1."""

LintCode = Annotated[str, Field(pattern=r"^MON11[0-4]\d$")]
"""A lint rule's code (MON1100-MON1149)."""


class LintSettings(SpecModel):
    """How `monaco lint` reports: levels per code, rule figures, the docs folder, and whether `validate` runs it."""

    levels: dict[LintCode, LintLevel] = Field(
        default_factory=dict, description="Code -> off, info, warning or error (default: each rule's own level)."
    )
    rate_range_factor: int = Field(
        default=4, ge=1, description="A rate/increase/irate/delta range must be at least this many scrape intervals."
    )
    scrape_interval: Duration = Field(default="1m", description="The scrape interval the rate-range rule assumes.")
    in_validate: bool = Field(
        default=False, description="Also report lint findings from `monaco validate`, at the levels above."
    )
    pages_per_week: float = Field(
        default=5,
        ge=0,
        description="A team's budget of pages per week, estimated by `monaco lint --backtest` from a live Prometheus.",
    )
    docs_dir: str | None = Field(
        default=None,
        description="Where `monaco docs --out` writes the runbooks (relative to the Settings file); with docs_url, "
        "a paging alert's runbook URL under docs_url must name a page there.",
    )
    docs_url: str | None = Field(
        default=None,
        pattern=r"^https?://",
        description="The base URL docs_dir is published at (e.g. https://runbooks.example.com/oncall/).",
    )
