"""Route tests written in a service spec: alerts (by name, or label sets) and who must receive them per target."""

from __future__ import annotations

from pydantic import Field, model_validator

from monaco.spec.types import LabelName, SpecModel


class RouteTestSpec(SpecModel):
    """A routing test run by `monaco test`: every alert it names must reach exactly the receivers expected."""

    name: str = Field(min_length=1, description="What the test shows.")
    alerts: list[str] = Field(
        default_factory=list,
        description="Alert names of this service: a threshold alert's name, `SLOErrorBudgetBurn` (every burn tier), "
        "`SLOErrorBudgetBurn <slo>`, `SLOErrorBudgetBurn <slo>/<tier>`, `SLONoData` or `SLONoData <slo>`.",
    )
    labels: list[dict[LabelName, str]] = Field(
        default_factory=list,
        description="Label sets to route as alerts of this service (its labels, service and team are added).",
    )
    expect: dict[str, list[str]] = Field(
        min_length=1,
        description="Per target name or target kind: the receivers expected (spec receiver names, or the delivery "
        "objects the target writes: topic ARNs, channel ids, action group names). `[]` means no one.",
    )

    @model_validator(mode="after")
    def _names_something(self) -> RouteTestSpec:
        if not self.alerts and not self.labels:
            raise ValueError("a route test names at least one alert (`alerts:`) or label set (`labels:`)")
        return self
