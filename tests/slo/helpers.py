"""Builders for SLO tests: a spec mapping to an IR service and SLO, through the real lowering."""

from __future__ import annotations

from typing import Any

from monaco.diagnostics import Diagnostics, Span
from monaco.ir.burnrate import lower_slo
from monaco.ir.nodes import Service, Slo
from monaco.spec.models import DEFAULT_SEVERITIES, SloSpec

RATIO_SLI: dict[str, Any] = {
    "ratio": {
        "bad": {"prometheus": 'sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{window}}]))'},
        "total": {"prometheus": 'sum(rate(http_requests_total{job="checkout"}[{{window}}]))'},
    }
}


def lowered(slo: dict[str, Any], diagnostics: Diagnostics | None = None) -> Slo | None:
    """The IR SLO of a spec mapping, or None when lowering reported errors."""
    spec = SloSpec.model_validate(slo)
    diags = diagnostics if diagnostics is not None else Diagnostics()
    return lower_slo(
        spec,
        service_runbook="https://runbooks.example.com/checkout",
        severities=DEFAULT_SEVERITIES,
        doc_span_for=lambda path: Span("spec.yaml", 10 + len(path), 3),
        diagnostics=diags,
    )


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
