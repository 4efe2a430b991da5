"""What every lint rule reads: the lowered model, each service's spec document, and the lint settings."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path as FilePath

from monaco.backtest.pages import TeamPages
from monaco.diagnostics import Span
from monaco.ir.nodes import Model, Receiver, Service, Slo, ThresholdAlert
from monaco.spec.lint_settings import LintSettings
from monaco.spec.load import Located, Workspace
from monaco.spec.models import ServiceSpec
from monaco.spec.types import parse_duration
from monaco.spec.yaml_loader import Path


@dataclass(frozen=True, slots=True)
class LintContext:
    """A loaded, lowered workspace as the rules see it."""

    workspace: Workspace
    model: Model
    settings: LintSettings
    documents: dict[str, Located[ServiceSpec]]
    """Service name -> the spec document it came from."""
    receivers: dict[str, Receiver]
    """Receiver name -> the workspace's receiver (names are unique: MON206)."""
    team_pages: Mapping[str, TeamPages] | None = field(default=None)
    """Team -> pages estimated by a backtest; None when no live Prometheus was asked (the budget rule is off)."""

    @classmethod
    def of(cls, workspace: Workspace, model: Model, pages: Mapping[str, TeamPages] | None = None) -> LintContext:
        """The context of a workspace, with its Settings' `lint:` block (defaults without Settings)."""
        settings = workspace.settings[0].spec.lint if workspace.settings else LintSettings()
        documents = {s.spec.metadata.name: s for s in workspace.services}
        return cls(workspace, model, settings, documents, {r.name: r for r in model.receivers}, pages)

    def settings_dir(self) -> FilePath:
        """The directory of the Settings file (the working directory without one): Settings paths are relative to it."""
        return FilePath(self.workspace.settings[0].doc.file).parent if self.workspace.settings else FilePath()

    @property
    def scrape_seconds(self) -> int:
        """The configured scrape interval, in seconds."""
        return parse_duration(self.settings.scrape_interval)

    def located(self, service: Service) -> Located[ServiceSpec]:
        """The spec document a lowered service came from."""
        return self.documents[service.name]

    def span(self, service: Service, path: Path) -> Span:
        """The position of `path` in the service's document (its nearest written ancestor)."""
        return self.located(service).doc.span(path)

    def alerts(self) -> Iterator[tuple[Service, int, ThresholdAlert]]:
        """Every threshold alert with its service and its index under `alerts:`."""
        for service in self.model.services:
            for index, alert in enumerate(service.alerts):
                yield service, index, alert

    def slos(self) -> Iterator[tuple[Service, int, Slo]]:
        """Every SLO with its service and its index under `slos:`."""
        for service in self.model.services:
            names = [s.name for s in self.located(service).spec.slos]
            for slo in service.slos:
                yield service, names.index(slo.name), slo

    def receiver(self, name: str) -> Receiver | None:
        """The workspace's receiver of that name."""
        return self.receivers.get(name)

    def pages(self, severity: str) -> bool:
        """True when the severity is one Settings marks `page: true`."""
        return severity in self.model.paging_severities
