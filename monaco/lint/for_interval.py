"""MON1102: an alert's `for` is not shorter than its rule group's evaluation interval."""

from __future__ import annotations

from collections.abc import Iterator

from monaco.diagnostics import Level
from monaco.lint.context import LintContext
from monaco.lint.rule import Finding, Rule
from monaco.spec.types import DEFAULT_EVALUATION_SECONDS, format_duration


def check(context: LintContext) -> Iterator[Finding]:
    """Alerts (their service's group interval) and burn tiers (the default 1m) with 0 < `for` < interval.

    `for: 0s` is left alone: it says "fire on the first evaluation", which is a choice, not a slip."""
    for service, index, alert in context.alerts():
        interval = service.group_options.interval_seconds or DEFAULT_EVALUATION_SECONDS
        if 0 < alert.for_seconds < interval:
            yield Finding(
                f"alert {alert.name}: `for: {format_duration(alert.for_seconds)}` is shorter than the rule group's "
                f"evaluation interval ({format_duration(interval)}); it acts as one evaluation",
                context.span(service, ("alerts", index, "for")),
            )
    for _, _, slo in context.slos():
        for tier in slo.tiers:
            if 0 < tier.for_seconds < DEFAULT_EVALUATION_SECONDS:
                yield Finding(
                    f"SLO {slo.name}'s {tier.name} tier: `for: {format_duration(tier.for_seconds)}` is shorter than "
                    f"the evaluation interval ({format_duration(DEFAULT_EVALUATION_SECONDS)})",
                    tier.origin,
                )


RULE = Rule(
    "MON1102",
    Level.WARNING,
    "`for` not shorter than the evaluation interval",
    "set `for` to at least the interval (or 0s to fire at once), or shorten `rule_group.interval`",
    check,
)
