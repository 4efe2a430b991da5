"""Pure: one Grafana dashboard per service, as JSON the SDK's models accept, and what it cannot draw.

A dashboard holds a row per SLO with a Prometheus SLI (SLI against objective, budget left, burn rate per
window, firing burn alerts) and a row of threshold alerts with a Prometheus source; an SLO or alert
without one is MON602/MON601, and a service with nothing to draw gets no dashboard (MON603), each at
the level the target sets. Template variables: the Prometheus data source, and one multi-value variable
per grouping label of the service's grouped SLOs. Links: the service's runbook, and every dashboard
tagged with the service (hand-made ones too, if people tag them so).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from grafana_foundation_sdk.builders import dashboard as builders
from grafana_foundation_sdk.cog.builder import Builder
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import dashboard as models

from monaco.backends.base import Target
from monaco.backends.grafana_dashboards import panels
from monaco.backends.grafana_dashboards.config import (
    SERVICE_TAG_PREFIX,
    GrafanaDashboardsConfig,
    dashboard_title,
    owner_tags,
)
from monaco.backends.promrules import record_names as names
from monaco.backends.promrules.slo_rules import has_prometheus_sli
from monaco.backends.unsupported import not_here
from monaco.diagnostics import Diagnostic
from monaco.ir.nodes import Service

MISSING_ALERT_SOURCE = "MON601"
MISSING_SLI = "MON602"
NOTHING_TO_DRAW = "MON603"
DESCRIPTION = "Generated from the service specs by monaco: edit the specs, not this dashboard."


@dataclass(frozen=True, slots=True)
class RenderedDashboard:
    """One service's dashboard JSON and where it goes."""

    uid: str
    service: str
    model: dict[str, Any]


def render_service(
    service: Service, target: Target, config: GrafanaDashboardsConfig
) -> tuple[RenderedDashboard | None, list[Diagnostic]]:
    """The service's dashboard (None when there is nothing to draw) and what it leaves out."""
    problems: list[Diagnostic] = []
    layout = panels.Layout()
    board = _board(service, target, config)
    drawn = _slo_rows(service, target, board, layout, problems)
    drawn += _alert_row(service, target, board, layout, problems)
    if not drawn:
        problems.append(
            not_here(
                target,
                NOTHING_TO_DRAW,
                f"service {service.name} has no SLO or alert with a Prometheus source; no dashboard for it",
                service.origin,
                "add `prometheus:` sources, or select this service out of the target",
            )
        )
        return None, problems
    model = to_json(board.build())
    return RenderedDashboard(config.dashboard_uid(service.name), service.name, model), problems


def to_json(dashboard: models.Dashboard) -> dict[str, Any]:
    """The SDK model as plain JSON data (what Grafana stores and the files hold)."""
    data: dict[str, Any] = json.loads(json.dumps(dashboard, cls=JSONEncoder, sort_keys=True))
    return data


def _board(service: Service, target: Target, config: GrafanaDashboardsConfig) -> builders.Dashboard:
    """The dashboard's identity, tags, time, variables and links, before panels."""
    board = (
        builders.Dashboard(dashboard_title(service.name))
        .uid(config.dashboard_uid(service.name))
        .description(DESCRIPTION)
        .tags(owner_tags(target.name, service.name))
        .readonly()
        .time("now-24h", "now")
        .refresh("1m")
        .timezone("browser")
        .with_variable(
            builders.DatasourceVariable(panels.DATASOURCE_VARIABLE)
            .label("Prometheus")
            .type("prometheus")
            .current(models.VariableOption(selected=True, text=config.datasource, value=config.datasource))
        )
    )
    for label in _grouping_labels(service):
        board = board.with_variable(_label_variable(service, label))
    links: list[Builder[models.DashboardLink]] = [
        builders.DashboardLink(f"{service.name} dashboards")
        .type(models.DashboardLinkType.DASHBOARDS)
        .tags([f"{SERVICE_TAG_PREFIX}{service.name}"])
        .as_dropdown(True)
        .include_vars(True)
        .keep_time(True)
    ]
    if service.runbook:
        links.append(
            builders.DashboardLink("Runbook")
            .type(models.DashboardLinkType.LINK)
            .url(service.runbook)
            .icon("doc")
            .target_blank(True)
        )
    return board.links(links)


def _grouping_labels(service: Service) -> list[str]:
    """Every grouping label of the service's Prometheus SLOs, in first-seen order."""
    seen: dict[str, None] = {}
    for slo in service.slos:
        if has_prometheus_sli(slo):
            seen.update(dict.fromkeys(slo.group_by))
    return list(seen)


def _label_variable(service: Service, label: str) -> builders.QueryVariable:
    """A multi-value variable over the values a grouping label takes in the service's SLO series."""
    selector = f"{names.BURN_RATE_CURRENT}{{{service.identity.service}={panels.quote(service.name)}}}"
    return (
        builders.QueryVariable(label)
        .label(label)
        .datasource(panels.DATASOURCE)
        .query(f"label_values({selector}, {label})")
        .refresh(models.VariableRefresh.ON_TIME_RANGE_CHANGED)
        .sort(models.VariableSort.ALPHABETICAL_ASC)
        .multi(True)
        .include_all(True)
        .all_value(".*")
        .current(models.VariableOption(selected=True, text="All", value="$__all"))
    )


def _slo_rows(
    service: Service, target: Target, board: builders.Dashboard, layout: panels.Layout, problems: list[Diagnostic]
) -> int:
    """A row of four panels per SLO with a Prometheus SLI; how many SLOs were drawn."""
    drawn = 0
    for slo in service.slos:
        if not has_prometheus_sli(slo):
            problems.append(
                not_here(
                    target,
                    MISSING_SLI,
                    f"SLO {service.name}/{slo.name} has no Prometheus SLI; its panels are left out",
                    slo.origin,
                    "the dashboards read the series the Prometheus backend records from a `prometheus:` SLI",
                )
            )
            continue
        board.with_row(builders.Row(f"SLO {slo.name}").id(layout.take()))
        board.with_panel(panels.sli_panel(service, slo, layout))
        board.with_panel(panels.budget_panel(service, slo, layout))
        board.with_panel(panels.burn_panel(service, slo, layout))
        board.with_panel(panels.firing_panel(service, slo, layout))
        drawn += 1
    return drawn


def _alert_row(
    service: Service, target: Target, board: builders.Dashboard, layout: panels.Layout, problems: list[Diagnostic]
) -> int:
    """A row with a panel per threshold alert with a Prometheus source; how many alerts were drawn."""
    drawable = []
    for alert in service.alerts:
        query = panels.alert_query(alert)
        if query is None:
            problems.append(
                not_here(
                    target,
                    MISSING_ALERT_SOURCE,
                    f"alert {service.name}/{alert.name} has no Prometheus source; no panel for it",
                    alert.origin,
                )
            )
            continue
        drawable.append((alert, query))
    if drawable:
        board.with_row(builders.Row("Alerts").id(layout.take()))
        for alert, query in drawable:
            board.with_panel(panels.alert_panel(alert, query, layout, alert.runbook or service.runbook))
    return len(drawable)
