"""Every page of `monaco docs` for a model, in a fixed order: per service, its runbooks then its postmortems (pure).

Layout: `<service>/runbooks/<alert key>.md` for a paging threshold alert,
`<service>/runbooks/SLOErrorBudgetBurn-<slo>-<tier>.md` for a paging burn-rate tier (every tier shares
one alert name, so the SLO and tier name the file), and `<service>/postmortems/<slo>.md` per SLO.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from monaco.docs_pages.postmortem import postmortem_page
from monaco.docs_pages.runbook import Links, burn_runbook, threshold_runbook
from monaco.ir.labels import BURN_ALERT
from monaco.ir.nodes import Model, Service


@dataclass(frozen=True, slots=True)
class Page:
    """One Markdown page: its path relative to the output directory, and its text."""

    path: PurePosixPath
    text: str


def service_pages(service: Service, paging: frozenset[str], dashboards: tuple[str, ...]) -> list[Page]:
    """The runbooks of the service's paging alerts and tiers, then one postmortem template per SLO."""
    base = PurePosixPath(service.name)
    pages: list[Page] = []
    for alert in service.alerts:
        if alert.severity in paging:
            links = Links(alert.runbook or service.runbook, service.runbook, dashboards)
            pages.append(
                Page(base / "runbooks" / f"{alert.key or alert.name}.md", threshold_runbook(service, alert, links))
            )
    for slo in service.slos:
        for tier in slo.tiers:
            if tier.severity in paging:
                name = f"{BURN_ALERT}-{slo.name}-{tier.name}.md"
                links = Links(service.runbook, service.runbook, dashboards)
                pages.append(Page(base / "runbooks" / name, burn_runbook(service, slo, tier, links)))
    pages += [Page(base / "postmortems" / f"{slo.name}.md", postmortem_page(service, slo)) for slo in service.slos]
    return pages


def render_pages(model: Model, dashboards: Mapping[str, tuple[str, ...]]) -> list[Page]:
    """Every page of the workspace, services in name order; `dashboards` maps a service to its dashboard URLs."""
    return [
        page
        for service in sorted(model.services, key=lambda s: s.name)
        for page in service_pages(service, model.paging_severities, dashboards.get(service.name, ()))
    ]
