"""MON1107: a team's estimated pages per week stay within Settings `lint.pages_per_week` (default 5).

The estimate comes from a backtest on a live Prometheus (`monaco lint --backtest`: every paging rule of
the team, replayed over the range, scaled to a week; `monaco.backtest.pages`). Without one the rule does
not run, and `monaco lint` says so once; it never guesses from the specs alone.
"""

from __future__ import annotations

from collections.abc import Iterator

from monaco.diagnostics import Level, Span
from monaco.lint.context import LintContext
from monaco.lint.rule import Finding, Rule
from monaco.spec.types import format_duration


def team_span(context: LintContext, team: str) -> Span | None:
    """The team's name in its Team document, else the `metadata.team` of its first service."""
    for located in context.workspace.teams:
        if located.spec.metadata.name == team:
            return located.doc.span(("metadata", "name"))
    for service in context.model.services:
        if service.team == team:
            return context.span(service, ("metadata", "team"))
    return None


def check(context: LintContext) -> Iterator[Finding]:
    """Teams whose paging rules would have fired more often than the budget allows, per week."""
    budget = context.settings.pages_per_week
    for team, pages in sorted((context.team_pages or {}).items()):
        if pages.per_week <= budget:
            continue
        worst = ", ".join(f"{key} {count}" for key, count in sorted(pages.by_rule.items(), key=lambda kv: -kv[1])[:3])
        yield Finding(
            f"team {team}: an estimated {pages.per_week:.1f} pages per week, over the budget of {budget:g} "
            f"({pages.firings} firings of paging rules in {format_duration(int(pages.range_seconds))} of history; "
            f"most: {worst})",
            team_span(context, team),
        )


RULE = Rule(
    "MON1107",
    Level.WARNING,
    "a team's estimated pages per week within its budget",
    "raise the noisiest alerts' thresholds or `for`, make some a ticket severity, or set `lint.pages_per_week`",
    check,
)
