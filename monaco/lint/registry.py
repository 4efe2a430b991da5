"""Every lint rule, in code order: each lives in its own module under `monaco.lint`."""

from __future__ import annotations

from monaco.lint import (
    for_interval,
    never_fires,
    pages_budget,
    paging,
    rate_range,
    runbook,
    runbook_target,
    slo_page_tier,
    unrouted,
)
from monaco.lint.rule import Rule

RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            m.RULE
            for m in (
                runbook,
                paging,
                for_interval,
                rate_range,
                unrouted,
                never_fires,
                slo_page_tier,
                pages_budget,
                runbook_target,
            )
        ),
        key=lambda rule: rule.code,
    )
)
"""The rules `monaco lint` runs."""


def rule(code: str) -> Rule | None:
    """The rule with that code."""
    return next((r for r in RULES if r.code == code), None)
