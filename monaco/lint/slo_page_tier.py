"""MON1106: no SLO without a page tier (every tier disabled, or only a ticket tier)."""

from __future__ import annotations

from collections.abc import Iterator

from monaco.diagnostics import Level
from monaco.lint.context import LintContext
from monaco.lint.rule import Finding, Rule


def check(context: LintContext) -> Iterator[Finding]:
    """SLOs whose lowered tiers hold no `page` tier."""
    for service, index, slo in context.slos():
        if not any(tier.name == "page" for tier in slo.tiers):
            left = "only a ticket tier" if slo.tiers else "every tier disabled"
            yield Finding(
                f"SLO {slo.name} has no page tier ({left}): a fast burn wakes nobody",
                context.span(service, ("slos", index, "alerting")),
            )


RULE = Rule(
    "MON1106",
    Level.WARNING,
    "no SLO without a page tier",
    "remove `disabled: true` from `alerting.page`, or turn the lint off for this code if a ticket is enough",
    check,
)
