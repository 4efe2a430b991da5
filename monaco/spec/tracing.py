"""The `tracing:` block of a Service's metadata or a Team: which tracing system alerts link to."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, HttpUrl, model_validator

from monaco.spec.types import SpecModel


class TracingSpec(SpecModel):
    """A tracing system (Jaeger, Zipkin, or Tempo through Grafana Explore) whose error traces every alert links to."""

    kind: Literal["jaeger", "zipkin", "tempo"] = Field(description="Which tracing UI the links open.")
    url: HttpUrl = Field(
        description="Base URL of the UI: Jaeger's query UI, Zipkin's server (its UI is under /zipkin/), or Grafana."
    )
    datasource: str | None = Field(
        default=None, min_length=1, description="Tempo only: the uid of the Grafana Tempo data source."
    )

    @model_validator(mode="after")
    def _datasource_only_for_tempo(self) -> TracingSpec:
        if self.kind == "tempo" and self.datasource is None:
            raise ValueError("tracing of kind tempo needs `datasource`: the uid of the Grafana Tempo data source")
        if self.kind != "tempo" and self.datasource is not None:
            raise ValueError(f"`datasource` is for tempo only; a {self.kind} link needs just `url`")
        return self
