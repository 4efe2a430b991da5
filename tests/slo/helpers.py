"""Builders for SLO tests: a spec mapping to an IR service and SLO, through the real lowering."""

from __future__ import annotations

from typing import Any

from monaco.backends.promrules.sli_checks import check_prometheus_sli
from monaco.diagnostics import Diagnostics, Level, Span
from monaco.ir.burnrate import lower_slo
from monaco.ir.nodes import Service, Slo
from monaco.spec.models import DEFAULT_SEVERITIES, SloSpec
from tests.sources import validated

RATIO_SLI: dict[str, Any] = {
    "ratio": {
        "bad": {"prometheus": 'sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{window}}]))'},
        "total": {"prometheus": 'sum(rate(http_requests_total{job="checkout"}[{{window}}]))'},
    }
}


def lowered(slo: dict[str, Any], diagnostics: Diagnostics | None = None) -> Slo | None:
    """The IR SLO of a spec mapping, or None when lowering reported errors."""
    spec = validated(SloSpec, slo)
    diags = diagnostics if diagnostics is not None else Diagnostics()
    start = len(diags.items)
    check_prometheus_sli(spec, _span, diags)  # the Prometheus family's check, as validate runs it
    lowered_slo = lower_slo(
        spec,
        service_runbook="https://runbooks.example.com/checkout",
        severities=DEFAULT_SEVERITIES,
        doc_span_for=_span,
        diagnostics=diags,
    )
    return None if any(d.level is Level.ERROR for d in diags.items[start:]) else lowered_slo


def _span(path: tuple[str | int, ...]) -> Span:
    return Span("spec.yaml", 10 + len(path), 3)


def service_with(
    slo: Slo, name: str = "checkout", runbook: str | None = "https://runbooks.example.com/checkout"
) -> Service:
    """An IR service holding one SLO."""
    return Service(
        name=name,
        team="payments",
        tier=1,
        labels=(("env", "prod"),),
        owners=(),
        runbook=runbook,
        alerts=(),
        slos=(slo,),
        routes=(),
        team_default_receiver=None,
        origin=Span("spec.yaml", 1, 1),
    )
