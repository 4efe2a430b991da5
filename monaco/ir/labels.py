"""The label sets of generated alerts, computed in one place for every backend and for routing (pure).

Each function returns the labels an alert carries on Prometheus and that routes are matched against
everywhere else (CloudWatch, and every later backend): the service's labels, the alert's or SLO's own
labels, then monaco's identity labels under the names the workspace's Settings choose.
"""

from __future__ import annotations

from monaco.ir.nodes import BurnTier, Service, Slo, ThresholdAlert

ALERTNAME = "alertname"
BURN_ALERT = "SLOErrorBudgetBurn"
"""The alert name of every burn-rate tier, on every backend."""
NO_DATA_ALERT = "SLONoData"
"""The alert name of an SLO's no-data alert."""


def threshold_alert_labels(service: Service, alert: ThresholdAlert) -> dict[str, str]:
    """Labels of a threshold alert: service labels, alert labels, then service, team and severity."""
    ids = service.identity
    return {
        **dict(service.labels),
        **dict(alert.labels),
        ids.service: service.name,
        ids.team: service.team,
        ids.severity: alert.severity,
    }


def slo_alert_labels(service: Service, slo: Slo, severity: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Labels of an SLO alert (burn or no-data): service and SLO labels, `extra`, then service/team/slo/severity."""
    ids = service.identity
    return {
        **dict(service.labels),
        **dict(slo.labels),
        **(extra or {}),
        ids.service: service.name,
        ids.team: service.team,
        ids.slo: slo.name,
        ids.severity: severity,
    }


def burn_alert_labels(
    service: Service, slo: Slo, tier: BurnTier, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """Labels of one burn-rate tier's alert: the SLO alert labels plus the tier."""
    return {**slo_alert_labels(service, slo, tier.severity, extra), service.identity.tier: tier.name}


def recording_labels(service: Service, slo: Slo, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Labels of an SLO's recording rules: only the identity of service and SLO (never mutable labels)."""
    ids = service.identity
    return {**(extra or {}), ids.service: service.name, ids.slo: slo.name}


def routing_labels(labels: dict[str, str], alertname: str) -> dict[str, str]:
    """What a route sees for an alert: its labels plus `alertname`."""
    return {**labels, ALERTNAME: alertname}
