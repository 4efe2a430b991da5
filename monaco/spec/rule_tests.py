"""Rule tests written in a service spec: input series in promtool notation and the alerts expected when."""

from __future__ import annotations

from pydantic import Field

from monaco.spec.types import Duration, SpecModel


class PromqlTestSeries(SpecModel):
    """An input series in promtool notation."""

    series: str
    values: str


class ExpectedAlert(SpecModel):
    """An alert expected to fire, with labels it must carry."""

    labels: dict[str, str] = Field(default_factory=dict)
    annotations: dict[str, str] | None = None


class AlertExpectation(SpecModel):
    """What alerts fire at one time."""

    at: Duration
    alert: str
    fires: list[ExpectedAlert] = Field(default_factory=list)


class RuleTestSpec(SpecModel):
    """A unit test for the service's rules, run by `promtool test rules`."""

    name: str
    interval: Duration = "1m"
    input: list[PromqlTestSeries] = Field(min_length=1)
    expect: list[AlertExpectation] = Field(min_length=1)
