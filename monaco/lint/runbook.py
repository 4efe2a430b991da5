"""MON1100: every paging alert (a paging severity, or a burn tier whose severity pages) names a runbook."""

from __future__ import annotations

from collections.abc import Iterator

from monaco.diagnostics import Level
from monaco.lint.context import LintContext
from monaco.lint.rule import Finding, Rule


def check(context: LintContext) -> Iterator[Finding]:
    """A paging threshold alert with no runbook (its own or its service's), and a paging burn tier likewise."""
    for service, index, alert in context.alerts():
        if context.pages(alert.severity) and alert.runbook is None:
            yield Finding(
                f"alert {alert.name} pages ({alert.severity}) but has no runbook",
                context.span(service, ("alerts", index)),
            )
    for service, _, slo in context.slos():
        for tier in slo.tiers:
            if context.pages(tier.severity) and service.runbook is None:
                yield Finding(
                    f"SLO {slo.name}'s {tier.name} tier pages ({tier.severity}) but service {service.name} has no runbook",
                    tier.origin,
                )


RULE = Rule(
    "MON1100",
    Level.WARNING,
    "every paging alert has a runbook",
    "set `runbook:` on the alert, or `metadata.runbook` on the service (it covers its alerts and SLOs)",
    check,
)
