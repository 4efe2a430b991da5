"""The Azure family's sources: a platform metric on a resource, or a KQL query over a workspace or App Insights.

PromQL in an Azure Monitor workspace is the `prometheus:` source itself, placed in the target's
`monitor_workspace`: the rule group then holds exactly the rules the Prometheus backend renders.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from monaco.spec.sources import SourceFamily, Sources
from monaco.spec.types import Duration, SpecModel

FAMILY = "azure"
"""The key users write under `source:` for Azure Monitor."""
ARM_ID = r"^/subscriptions/[^/]+/[rR]esource[gG]roups/[^/]+/providers/.+$"
MetricAggregation = Literal["Average", "Count", "Minimum", "Maximum", "Total"]


class AzureMetric(SpecModel):
    """A platform metric of one Azure resource, aggregated over the window, checked every `frequency`."""

    scope: str = Field(pattern=ARM_ID, description="The resource's ARM id.")
    namespace: str = Field(min_length=1, description="Metric namespace, e.g. Microsoft.Web/sites.")
    metric: str = Field(min_length=1, description="Metric name, e.g. Http5xx.")
    aggregation: MetricAggregation = "Average"
    dimensions: dict[str, list[str]] = Field(default_factory=dict, description="Dimension -> values included.")
    frequency: Duration = Field(default="1m", description="evaluationFrequency: 1m, 5m, 15m, 30m or 1h.")
    window: Duration = Field(default="5m", description="windowSize: 1m, 5m, 15m, 30m, 1h, 6h, 12h or 1d.")
    dynamic: Literal["Low", "Medium", "High"] | None = Field(
        default=None, description="A dynamic threshold of this sensitivity instead of the alert's static one."
    )


class AzureLogQuery(SpecModel):
    """A KQL query over one Log Analytics workspace or Application Insights resource."""

    scope: str = Field(pattern=ARM_ID, description="The workspace's or App Insights resource's ARM id.")
    query: str = Field(min_length=1, max_length=16384, description="KQL; an SLI side's rows are its events.")
    aggregation: MetricAggregation = Field(default="Count", description="How result rows are aggregated.")
    measure_column: str | None = Field(default=None, description="The column aggregated (not for Count).")
    frequency: Duration = Field(default="5m", description="evaluationFrequency of an alert.")
    window: Duration = Field(default="5m", description="windowSize (the query's time range) of an alert.")
    time_column: str = Field(default="TimeGenerated", pattern=r"^\w+$", description="An SLI side's timestamp column.")


AzureSource = AzureMetric | AzureLogQuery

SOURCES = SourceFamily(FAMILY, alert=AzureSource, counter=AzureSource, gauge=AzureSource)
"""What Azure reads at each source place; a latency SLI has no Azure source yet (MON911)."""


def azure_source(sources: Sources | None) -> AzureSource | None:
    """The Azure source of a place, or None when it names none."""
    value: Any = sources.get(FAMILY) if sources is not None else None
    return value if isinstance(value, AzureMetric | AzureLogQuery) else None
