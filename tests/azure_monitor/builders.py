"""IR objects built by hand for the Azure Monitor tests: sources, alerts, SLOs, routes, receivers, targets."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from monaco.backends import source_families
from monaco.backends.azure_monitor.config import AzureMonitorConfig
from monaco.backends.azure_monitor.sources import SOURCES as AZURE_SOURCES
from monaco.backends.base import Target
from monaco.ir.nodes import Model, Service, Slo, ThresholdAlert
from monaco.spec.models import DEFAULT_SEVERITIES
from monaco.spec.sources import (
    AlertSources,
    CounterSources,
    GaugeSli,
    RatioSli,
    SliSpec,
    SourceFamilies,
    validation_context,
)
from tests.aws import builders as aws
from tests.fakes.azure_arm import SUBSCRIPTION as FAKE_SUBSCRIPTION

M = TypeVar("M", bound=BaseModel)
SUBSCRIPTION = FAKE_SUBSCRIPTION
GROUP = "rg-monaco"
SITE = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{GROUP}/providers/Microsoft.Web/sites/checkout"
LOGS = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{GROUP}/providers/Microsoft.OperationalInsights/workspaces/logs"
AMW = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{GROUP}/providers/Microsoft.Monitor/accounts/amw"
SECRETS = aws.SECRETS
fingerprint = aws.fingerprint
resolve = aws.resolve
routes = aws.routes
span = aws.span
workbook_tiers = aws.workbook_tiers


def _validated(model: type[M], data: Any) -> M:
    """`data` validated as `model` with the registered families plus Azure's (before its registry line exists)."""
    families = SourceFamilies([*source_families(), AZURE_SOURCES])
    return model.model_validate(data, context=validation_context(families))


def metric_source(**overrides: Any) -> AlertSources:
    """A platform metric (web app 5xx, summed over 5 minutes every minute) plus a PromQL twin."""
    metric: dict[str, Any] = {"scope": SITE, "namespace": "Microsoft.Web/sites", "metric": "Http5xx"}
    metric |= {"aggregation": "Total"}
    metric |= {"dimensions": {"Instance": ["*"]}, "frequency": "1m", "window": "5m", **overrides}
    return _validated(AlertSources, {"azure": metric, "prometheus": "sum(rate(http_5xx_total[5m]))"})


def log_source(**overrides: Any) -> AlertSources:
    """A KQL count over a Log Analytics workspace."""
    query = {"scope": LOGS, "query": "AppRequests | where ResultCode startswith '5'", "window": "15m", **overrides}
    return _validated(AlertSources, {"azure": query})


def prom_source(query: str = 'avg(rate(process_cpu_seconds_total{job="checkout"}[5m]))') -> AlertSources:
    """PromQL only (placed in the target's monitor workspace)."""
    return _validated(AlertSources, {"prometheus": query})


def alert(name: str, source: AlertSources | None = None, **kw: Any) -> ThresholdAlert:
    """A threshold alert (above 10, for 0s) with a platform-metric source unless `source` is given."""
    fields: dict[str, Any] = {"source": source or metric_source(), "threshold": 10.0, "for_seconds": 0, **kw}
    return aws.alert(name, **fields)


def kql_slo(name: str = "availability", tiers: Any = None) -> Slo:
    """A 99.9% ratio SLO over App Insights requests: failed over all."""
    bad = {"scope": LOGS, "query": "AppRequests | where Success == false"}
    total = {"scope": LOGS, "query": "AppRequests"}
    ratio = RatioSli(bad=_validated(CounterSources, {"azure": bad}), total=_validated(CounterSources, {"azure": total}))
    return _slo(name, SliSpec(ratio=ratio), tiers)


def prom_slo(name: str = "latency") -> Slo:
    """A 99.9% ratio SLO in PromQL."""
    bad = _validated(CounterSources, {"prometheus": 'sum(rate(http_requests_total{code=~"5.."}[{{window}}]))'})
    total = _validated(CounterSources, {"prometheus": "sum(rate(http_requests_total[{{window}}]))"})
    return _slo(name, SliSpec(ratio=RatioSli(bad=bad, total=total)), None)


def metric_slo(name: str = "platform") -> Slo:
    """A ratio SLO on two platform metrics (not expressible as burn alerts on Azure)."""
    side = {"scope": SITE, "namespace": "Microsoft.Web/sites", "metric": "Http5xx", "aggregation": "Total"}
    total = side | {"metric": "Requests"}
    ratio = RatioSli(
        bad=_validated(CounterSources, {"azure": side}), total=_validated(CounterSources, {"azure": total})
    )
    return _slo(name, SliSpec(ratio=ratio), None)


def gauge_slo(name: str = "uptime") -> Slo:
    """A 99.9% gauge SLO on a platform metric whose average over a window is the good fraction."""
    gauge = {"scope": SITE, "namespace": "Microsoft.Web/sites", "metric": "HealthCheckStatus", "frequency": "5m"}
    return _slo(name, SliSpec(gauge=_validated(GaugeSli, {"azure": gauge})), None)


def _slo(name: str, sli: SliSpec, tiers: Any) -> Slo:
    return Slo(
        name=name,
        objective=Decimal("99.9"),
        period_seconds=30 * 86400,
        sli=sli,
        group_by=(),
        tiers=workbook_tiers() if tiers is None else tiers,
        no_data_seconds=None,
        min_events=None,
        description="Checkout answers without server errors.",
        labels=(),
        origin=span(12),
    )


def service(name: str = "checkout", alerts: tuple[ThresholdAlert, ...] = (), slos: tuple[Slo, ...] = ()) -> Service:
    """A service of team payments with the default routes (critical to PagerDuty, the rest to mail and a hook)."""
    return aws.service(name, alerts, slos)


def model(*services: Service) -> Model:
    """A workspace of `services` and the payments receivers."""
    return Model(
        services=tuple(services),
        receivers=aws.receivers(),
        severities=DEFAULT_SEVERITIES,
        paging_severities=frozenset({"critical"}),
    )


def config(**overrides: Any) -> AzureMonitorConfig:
    """A target config (no endpoint: render only)."""
    values: dict[str, Any] = {"subscription_id": SUBSCRIPTION, "resource_group": GROUP, "location": "westeurope"}
    values |= {"monitor_workspace": AMW, **overrides}
    return AzureMonitorConfig(**values)


def target(cfg: AzureMonitorConfig, *services: Service, name: str = "azure-prod") -> Target:
    """A target selecting `services`."""
    return Target(name, "azure_monitor", cfg, Path("targets"), span(1), tuple(services))
