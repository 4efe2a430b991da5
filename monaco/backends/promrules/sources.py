"""The Prometheus family's sources: PromQL text or a structured metric, and a latency histogram."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from monaco.spec.sources import Sources
from monaco.spec.types import Duration, LabelName, SpecModel

FAMILY = "prometheus"
"""The key users write under `source:` (and beside a ratio side, gauge or latency threshold)."""

Matchers = dict[LabelName, str]

HISTOGRAM_SERIES_SUFFIXES = ("_bucket", "_count", "_sum")
"""The series a Prometheus histogram exposes beside its base name; a latency SLI names the base."""


class PromMetric(SpecModel):
    """A structured Prometheus signal: `aggregate by (by) (function(metric{matchers}[range]))`."""

    metric: str = Field(pattern=r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
    matchers: Matchers = Field(default_factory=dict, description="Label -> value; prefix with ~ for a regex.")
    function: Literal["rate", "increase", "avg_over_time", "max_over_time", "min_over_time"] | None = None
    range: Duration = "5m"
    aggregate: Literal["sum", "avg", "max", "min", "count"] | None = None
    by: list[LabelName] = Field(default_factory=list)


class PromHistogram(SpecModel):
    """A latency SLI's histogram: requests slower than the SLI's threshold (`le`) over all requests."""

    metric: str = Field(pattern=r"^[a-zA-Z_:][a-zA-Z0-9_:]*$", description="Histogram base name, without _bucket.")
    matchers: Matchers = Field(default_factory=dict)

    @field_validator("metric")
    @classmethod
    def _base_name(cls, value: str) -> str:
        """Refuse a histogram's series name: monaco reads `<base>_bucket` and `<base>_count` itself."""
        suffix = next((s for s in HISTOGRAM_SERIES_SUFFIXES if value.endswith(s) and len(value) > len(s)), None)
        if suffix is not None:
            base = value.removesuffix(suffix)
            raise PydanticCustomError(
                "histogram_series",
                "'{metric}' is one of the histogram's series ({suffix}), which monaco derives itself; "
                "write the histogram's base name: {base}",
                {"metric": value, "suffix": suffix, "base": base},
            )
        return value


PromSource = str | PromMetric
"""An alert, counter or gauge source: PromQL text (a counter's may use `{{window}}`) or a structured metric."""


def prom_source(sources: Sources | None) -> PromSource | None:
    """The Prometheus source of a place, or None when it names none."""
    value: Any = sources.get(FAMILY) if sources is not None else None
    return value if isinstance(value, str | PromMetric) else None


def prom_histogram(sources: Sources | None) -> PromHistogram | None:
    """The Prometheus histogram of a latency SLI, or None."""
    value: Any = sources.get(FAMILY) if sources is not None else None
    return value if isinstance(value, PromHistogram) else None
