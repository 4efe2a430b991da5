"""Backend registry: kind -> implementation, imported lazily so cloud SDKs load only when used."""

from __future__ import annotations

import difflib
import functools
import importlib
from typing import TYPE_CHECKING

from monaco.spec.sources import SourceFamilies

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
    found = (get_backend(kind).sources for kind in REGISTRY)
    return SourceFamilies(family for family in found if family is not None)


def get_backend(kind: str) -> Backend:
    """An instance of the backend registered for `kind`; raises KeyError for an unknown kind."""
    module_name, _, class_name = REGISTRY[kind].partition(":")
    backend_class = getattr(importlib.import_module(module_name), class_name)
    backend: Backend = backend_class()
    return backend
