"""Per-backend signal sources: PromQL text or structured metrics, CloudWatch metrics and metric math."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from monaco.spec.types import Duration, LabelName, SpecModel

Matchers = dict[LabelName, str]


class PromMetric(SpecModel):
    """A structured Prometheus signal: `aggregate by (by) (function(metric{matchers}[range]))`."""

    metric: str = Field(pattern=r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
    matchers: Matchers = Field(default_factory=dict, description="Label -> value; prefix with ~ for a regex.")
    function: Literal["rate", "increase", "avg_over_time", "max_over_time", "min_over_time"] | None = None
    range: Duration = "5m"
    aggregate: Literal["sum", "avg", "max", "min", "count"] | None = None
    by: list[LabelName] = Field(default_factory=list)


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


class AlertSource(SpecModel):
    """Where an alert's signal lives on each backend; a backend without a source reports it."""

    prometheus: str | PromMetric | None = None
    cloudwatch: CloudWatchMetric | CloudWatchMath | None = None

    @model_validator(mode="after")
    def _at_least_one(self) -> AlertSource:
        if not self.model_fields_set or all(getattr(self, k) is None for k in self.model_fields_set):
            raise ValueError("a source names at least one backend (prometheus, cloudwatch)")
        return self


class CounterSource(SpecModel):
    """An event counter per backend; PromQL text may use `{{window}}` for the range."""

    prometheus: str | PromMetric | None = None
    cloudwatch: CloudWatchMetric | CloudWatchMath | None = None


class RatioSli(SpecModel):
    """Bad (or good) events over total events."""

    bad: CounterSource | None = None
    good: CounterSource | None = None
    total: CounterSource

    @model_validator(mode="after")
    def _bad_or_good(self) -> RatioSli:
        if (self.bad is None) == (self.good is None):
            raise ValueError("a ratio SLI names exactly one of `bad` or `good`, and `total`")
        return self


class LatencySli(SpecModel):
    """Requests slower than a histogram bucket over all requests."""

    metric: str = Field(pattern=r"^[a-zA-Z_:][a-zA-Z0-9_:]*$", description="Histogram base name, without _bucket.")
    matchers: Matchers = Field(default_factory=dict)
    threshold: float = Field(gt=0, description="The `le` bucket boundary, in the histogram's unit.")
    cloudwatch: CloudWatchMetric | None = Field(default=None, description="A latency metric; stat must be a pNN.")


class GaugeSli(SpecModel):
    """A 0/1 series (such as `up`): the SLI is the fraction of time it was 1."""

    prometheus: str | PromMetric | None = None
    cloudwatch: CloudWatchMetric | None = None


class SliSpec(SpecModel):
    """Exactly one SLI kind."""

    ratio: RatioSli | None = None
    latency: LatencySli | None = None
    gauge: GaugeSli | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> SliSpec:
        kinds = [k for k in ("ratio", "latency", "gauge") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("an SLI sets exactly one of ratio, latency, gauge")
        return self

    @property
    def kind(self) -> str:
        """ratio, latency or gauge."""
        return next(k for k in ("ratio", "latency", "gauge") if getattr(self, k) is not None)
