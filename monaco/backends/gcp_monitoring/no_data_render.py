"""An SLO's no-data alert as a policy with one `conditionAbsent` on the SLI's total (or only) series (pure).

alert.py MetricAbsence.duration: "The minimum value of this field is 120 seconds. Larger values that are a multiple
of a minute ... are supported"; a `no_data_for` Cloud Monitoring cannot hold is MON803 at the SLO.
"""

from __future__ import annotations

from typing import Any

from monaco.backends.gcp_monitoring.canonical import POLICY
from monaco.backends.gcp_monitoring.config import label_value
from monaco.backends.gcp_monitoring.context import Context, identity_labels, owner_labels
from monaco.backends.gcp_monitoring.policy_render import documentation, notifications, repeat_interval, severity_of
from monaco.backends.gcp_monitoring.sources import GcpMetric, gcp_metric
from monaco.backends.promrules.slo_rules import no_data_severity
from monaco.ir.labels import NO_DATA_ALERT, routing_labels, slo_alert_labels
from monaco.ir.nodes import Service, Slo
from monaco.ir.routing import no_data_receivers
from monaco.spec.types import format_duration

MIN_ABSENCE_SECONDS = 120


def no_data_identity(service: Service, slo: Slo) -> tuple[str, str]:
    """The monaco id and display name of an SLO's no-data policy."""
    return label_value(f"{service.name}--{slo.name}--no-data"), f"{service.name}/{slo.name} no SLI data"


def watched_series(slo: Slo) -> GcpMetric | None:
    """The series whose absence means no SLI: a ratio's total, a latency distribution, the gauge."""
    sli = slo.sli
    if sli.ratio is not None:
        return gcp_metric(sli.ratio.total)
    return gcp_metric(sli.latency if sli.latency is not None else sli.gauge)


def no_data_policy(ctx: Context, service: Service, slo: Slo) -> None:
    """The no-data policy of an SLO that asks for one (`no_data_for`), or MON803 when its duration cannot be held."""
    watched = watched_series(slo)
    if slo.no_data_seconds is None or not slo.tiers or watched is None:
        return
    what = f"SLO {service.name}/{slo.name} no-data alert"
    seconds = slo.no_data_seconds
    if seconds < MIN_ABSENCE_SECONDS or seconds % 60:
        ctx.report("MON803", f"{what}: {format_duration(seconds)} is not whole minutes of at least 2m", slo.origin)
        return
    severity = no_data_severity(slo)
    labels = slo_alert_labels(service, slo, severity)
    object_id, display_name = no_data_identity(service, slo)
    absent = {"filter": watched.render_filter(), "duration": f"{seconds}s"}
    raw: dict[str, Any] = {
        "displayName": display_name,
        "documentation": documentation(
            f"{service.name} {slo.name}: no SLI data",
            f"The source series of SLO {slo.name} of {service.name} reported nothing for "
            f"{format_duration(seconds)}; its burn-rate policies cannot fire without it.",
            f"Runbook: {service.runbook}" if service.runbook else None,
        ),
        "userLabels": {**identity_labels(labels), **owner_labels(ctx.target.name, object_id)},
        "conditions": [{"displayName": f"no data for {format_duration(seconds)}", "conditionAbsent": absent}],
        "combiner": "OR",
        "enabled": True,
        "severity": severity_of(ctx, severity),
    }
    repeat = repeat_interval(service.routes, routing_labels(labels, NO_DATA_ALERT))
    raw.update(notifications(ctx, no_data_receivers(service, slo), repeat, what, slo.origin))
    ctx.add(POLICY, object_id, raw, f"{service.name}/{slo.name}", {"no data for": format_duration(seconds)})
