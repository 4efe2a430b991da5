"""MON1101: only severities that page may page: PagerDuty reached by a non-paging severity, or a non-paging page tier."""

from __future__ import annotations

from collections.abc import Iterator

from monaco.diagnostics import Level
from monaco.ir.routing import alert_receivers, tier_receivers
from monaco.lint.context import LintContext
from monaco.lint.rule import Finding, Rule


def _pagerduty(context: LintContext, receivers: tuple[str, ...]) -> list[str]:
    """The PagerDuty receivers among `receivers`."""
    found = [context.receiver(name) for name in receivers]
    return [r.name for r in found if r is not None and r.spec.pagerduty is not None]


def check(context: LintContext) -> Iterator[Finding]:
    """Non-paging alerts and tiers whose routes reach PagerDuty, and page tiers at a non-paging severity."""
    for service, index, alert in context.alerts():
        paged = _pagerduty(context, alert_receivers(service, alert))
        if paged and not context.pages(alert.severity):
            yield Finding(
                f"alert {alert.name} has severity {alert.severity}, which does not page, "
                f"but its routes reach PagerDuty receiver {paged[0]}",
                context.span(service, ("alerts", index, "severity")),
            )
    for service, _, slo in context.slos():
        for tier in slo.tiers:
            if context.pages(tier.severity):
                continue
            paged = _pagerduty(context, tier_receivers(service, slo, tier))
            if paged:
                yield Finding(
                    f"SLO {slo.name}'s {tier.name} tier has severity {tier.severity}, which does not page, "
                    f"but its routes reach PagerDuty receiver {paged[0]}",
                    tier.origin,
                )
            elif tier.name == "page":
                yield Finding(
                    f"SLO {slo.name}'s page tier has severity {tier.severity}, which does not page", tier.origin
                )


RULE = Rule(
    "MON1101",
    Level.WARNING,
    "paging only from severities that page",
    "give it a severity with `page: true` in Settings, or route it to a receiver that does not page",
    check,
)
