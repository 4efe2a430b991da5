"""The gcp family's sources: a Cloud Monitoring metric filter with its aggregation, or PromQL for Managed Prometheus."""

from __future__ import annotations

import re
from typing import Any

from pydantic import Field, model_validator

from monaco.spec.sources import SourceFamily, Sources
from monaco.spec.types import Duration, SpecModel

FAMILY = "gcp"
"""The key users write under `source:` for Cloud Monitoring."""

_QUOTED = re.compile(r'^[^"\\]*$')


class GcpMetric(SpecModel):
    """A Cloud Monitoring time series: metric and resource type, label matches, and how it is aggregated."""

    metric_type: str | None = Field(
        default=None, min_length=1, max_length=512, description="e.g. run.googleapis.com/request_count."
    )
    resource_type: str | None = Field(default=None, max_length=256, description="e.g. cloud_run_revision.")
    metric_labels: dict[str, str] = Field(default_factory=dict, description="metric.labels.KEY = VALUE terms.")
    resource_labels: dict[str, str] = Field(default_factory=dict, description="resource.labels.KEY = VALUE terms.")
    filter: str | None = Field(
        default=None, min_length=1, max_length=2048, description="A raw monitoring filter instead of the fields."
    )
    aligner: str = Field(
        default="ALIGN_MEAN", pattern=r"^ALIGN_[A-Z0-9_]+$", description="Per-series aligner, e.g. ALIGN_RATE."
    )
    alignment_period: Duration = "1m"
    reducer: str | None = Field(default=None, pattern=r"^REDUCE_[A-Z0-9_]+$", description="Cross-series reducer.")
    group_by: list[str] = Field(
        default_factory=list, description="Fields kept by the reducer, e.g. resource.label.zone."
    )
    threshold_scale: float = Field(
        default=1,
        gt=0,
        description="A latency SLI's threshold times this is the boundary in this metric's unit "
        "(1000 when the threshold is in seconds and the distribution in milliseconds, as Cloud Run's).",
    )

    @model_validator(mode="after")
    def _one_way(self) -> GcpMetric:
        if (self.filter is None) == (self.metric_type is None):
            raise ValueError("a gcp metric names exactly one of `metric_type` or `filter`")
        for value in [*self.metric_labels.values(), *self.resource_labels.values(), self.resource_type or ""]:
            if not _QUOTED.match(value):
                raise ValueError(f"label value {value!r} holds a quote or backslash")
        return self

    def render_filter(self) -> str:
        """The monitoring filter text: `metric.type="…" AND resource.type="…" AND …` (or the raw filter)."""
        if self.filter is not None:
            return self.filter.strip()
        terms = [f'metric.type="{self.metric_type}"']
        if self.resource_type:
            terms.append(f'resource.type="{self.resource_type}"')
        terms += [f'metric.labels.{k}="{v}"' for k, v in sorted(self.metric_labels.items())]
        terms += [f'resource.labels.{k}="{v}"' for k, v in sorted(self.resource_labels.items())]
        return " AND ".join(terms)


class GcpPromql(SpecModel):
    """A PromQL query over Managed Service for Prometheus (an alert's comparison is appended to it)."""

    promql: str = Field(min_length=1, max_length=4096)


GcpSource = GcpMetric | GcpPromql

SOURCES = SourceFamily(FAMILY, alert=GcpSource, counter=GcpMetric, gauge=GcpMetric, latency=GcpMetric)
"""What Cloud Monitoring reads at each source place: filters everywhere, PromQL for threshold alerts."""


def gcp_source(sources: Sources | None) -> GcpSource | None:
    """The gcp source of an alert, or None when it names none."""
    value: Any = sources.get(FAMILY) if sources is not None else None
    return value if isinstance(value, GcpMetric | GcpPromql) else None


def gcp_metric(sources: Sources | None) -> GcpMetric | None:
    """The gcp metric of a ratio side, gauge or latency SLI, or None."""
    value: Any = sources.get(FAMILY) if sources is not None else None
    return value if isinstance(value, GcpMetric) else None
