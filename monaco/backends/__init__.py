"""Backend registry: kind -> implementation, imported lazily so cloud SDKs load only when used."""

from __future__ import annotations

import difflib
import functools
import importlib
from typing import TYPE_CHECKING

from monaco.spec.sources import SourceFamilies, SourceFamily

if TYPE_CHECKING:
    from monaco.backends.base import Backend

REGISTRY: dict[str, str] = {
    "prometheus": "monaco.backends.prometheus.backend:PrometheusBackend",
    "alertmanager": "monaco.backends.alertmanager.backend:AlertmanagerBackend",
    "grafana_alerting": "monaco.backends.grafana_alerting.backend:GrafanaAlertingBackend",
    "aws_cloudwatch": "monaco.backends.aws_cloudwatch.backend:CloudWatchBackend",
    "prometheus_operator": "monaco.backends.prometheus_operator.backend:OperatorBackend",
    "gcp_monitoring": "monaco.backends.gcp_monitoring.backend:GcpMonitoringBackend",
    "azure_monitor": "monaco.backends.azure_monitor.backend:AzureMonitorBackend",
    "grafana_dashboards": "monaco.backends.grafana_dashboards.backend:GrafanaDashboardsBackend",
    "mimir_ruler": "monaco.backends.mimir_ruler.backend:MimirRulerBackend",
    "pagerduty": "monaco.backends.pagerduty.backend:PagerDutyBackend",
}


SOURCE_FAMILIES: dict[str, str] = {
    "prometheus": "monaco.backends.promrules.family:SOURCES",
    "alertmanager": "",
    "grafana_alerting": "monaco.backends.grafana_alerting.sources:SOURCES",
    "aws_cloudwatch": "monaco.backends.aws_cloudwatch.sources:SOURCES",
    "prometheus_operator": "monaco.backends.promrules.family:SOURCES",
    "gcp_monitoring": "monaco.backends.gcp_monitoring.sources:SOURCES",
    "azure_monitor": "monaco.backends.azure_monitor.sources:SOURCES",
    "grafana_dashboards": "",
    "mimir_ruler": "monaco.backends.promrules.family:SOURCES",
    "pagerduty": "monaco.backends.pagerduty.sources:SOURCES",
}
"""Kind -> where its backend's `sources` family is defined ("" for none), so that loading specs imports the
families alone, not every backend; a kind not listed is asked through its backend (a test holds each entry
equal to its backend's `sources`)."""


def backend_package(kind: str) -> str:
    """The sub-package a registered kind lives in (`monaco.backends.aws_cloudwatch`)."""
    return REGISTRY[kind].partition(":")[0].rsplit(".", 1)[0]


def suggest(kind: str) -> str | None:
    """The registered kind closest to a misspelt one."""
    close = difflib.get_close_matches(kind, REGISTRY, n=1)
    return close[0] if close else None


@functools.cache
def source_families() -> SourceFamilies:
    """Every registered backend's source family (backends writing one format share one)."""
    found = (_source_family(kind) for kind in REGISTRY)
    return SourceFamilies(family for family in found if family is not None)


def _source_family(kind: str) -> SourceFamily | None:
    """A kind's source family from `SOURCE_FAMILIES`; a kind missing there is asked through its backend."""
    place = SOURCE_FAMILIES.get(kind)
    if place is None:
        return get_backend(kind).sources
    if not place:
        return None
    module_name, _, attribute = place.partition(":")
    family: SourceFamily = getattr(importlib.import_module(module_name), attribute)
    return family


def get_backend(kind: str) -> Backend:
    """An instance of the backend registered for `kind`; raises KeyError for an unknown kind."""
    module_name, _, class_name = REGISTRY[kind].partition(":")
    backend_class = getattr(importlib.import_module(module_name), class_name)
    backend: Backend = backend_class()
    return backend
