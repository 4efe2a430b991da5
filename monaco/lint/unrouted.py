"""MON1104: no alert routes to nobody (no route reaches a receiver and the team has no default)."""

from __future__ import annotations

from collections.abc import Iterator

from monaco.diagnostics import Level
from monaco.ir.routing import alert_receivers, tier_receivers
from monaco.lint.context import LintContext
from monaco.lint.rule import Finding, Rule


def check(context: LintContext) -> Iterator[Finding]:
    """Threshold alerts and burn tiers that reach no receiver through their service's routes."""
    for service, index, alert in context.alerts():
        if not alert_receivers(service, alert):
            yield Finding(f"alert {alert.name} reaches no receiver", context.span(service, ("alerts", index)))
    for service, _, slo in context.slos():
        for tier in slo.tiers:
            if not tier_receivers(service, slo, tier):
                yield Finding(f"SLO {slo.name}'s {tier.name} tier reaches no receiver", tier.origin)


RULE = Rule(
    "MON1104",
    Level.ERROR,
    "no alert that routes to nobody",
    "add a route that matches it, or a `default_receiver` to the service's Team",
    check,
)
