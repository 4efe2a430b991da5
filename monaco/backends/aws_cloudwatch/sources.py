"""The CloudWatch family's sources: one metric with its statistic, or metric math over named metrics."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from monaco.spec.sources import SourceFamily, Sources
from monaco.spec.types import Duration, SpecModel

FAMILY = "cloudwatch"
"""The key users write under `source:` for CloudWatch."""


class CloudWatchMetric(SpecModel):
    """One CloudWatch metric with its statistic and period."""

    namespace: str = Field(min_length=1, max_length=255)
    metric: str = Field(min_length=1, max_length=255)
    dimensions: dict[str, str] = Field(default_factory=dict, max_length=30)
    stat: str = Field(default="Average", description="Sum, Average, Minimum, Maximum, SampleCount or pNN.")
    period: Duration = "1m"
    unit: str | None = None


class CloudWatchMath(SpecModel):
    """A metric-math expression over named CloudWatch metrics."""

    expression: str = Field(min_length=1, max_length=1024)
    metrics: dict[str, CloudWatchMetric] = Field(min_length=1, description="Id (lowercase) -> metric.")
    period: Duration = "1m"


CloudWatchSource = CloudWatchMetric | CloudWatchMath

SOURCES = SourceFamily(
    FAMILY,
    alert=CloudWatchSource,
    counter=CloudWatchSource,
    gauge=CloudWatchMetric,
    latency=CloudWatchMetric,
)
"""What CloudWatch reads at each source place; its requests are checked against botocore's model at render."""


def cloudwatch_source(sources: Sources | None) -> CloudWatchSource | None:
    """The CloudWatch source of a place, or None when it names none."""
    value: Any = sources.get(FAMILY) if sources is not None else None
    return value if isinstance(value, CloudWatchMetric | CloudWatchMath) else None


def cloudwatch_metric(sources: Sources | None) -> CloudWatchMetric | None:
    """The single CloudWatch metric of a gauge or latency SLI, or None."""
    value: Any = sources.get(FAMILY) if sources is not None else None
    return value if isinstance(value, CloudWatchMetric) else None
