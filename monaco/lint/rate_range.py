"""MON1103: a rate/increase/irate/delta range is at least `rate_range_factor` scrape intervals (default 4 x 1m)."""

from __future__ import annotations

from collections.abc import Iterator

from monaco.diagnostics import Level
from monaco.lint.context import LintContext
from monaco.lint.queries import RATE_FUNCTIONS, Query, range_uses, source_places
from monaco.lint.rule import Finding, Rule
from monaco.spec.types import format_duration, parse_duration


def check(context: LintContext) -> Iterator[Finding]:
    """Ranges in PromQL alert sources and SLI queries, and in structured metrics with a rate-like function."""
    shortest = context.settings.rate_range_factor * context.scrape_seconds
    need = f"{context.settings.rate_range_factor} x the {format_duration(context.scrape_seconds)} scrape interval"
    for service in context.model.services:
        located = context.located(service)
        for path, role, value in source_places(located):
            if isinstance(value, str):
                query = Query(located, path, role, value)
                for use in range_uses(query):
                    if use.seconds < shortest:
                        yield Finding(
                            f"{use.function}() over {format_duration(int(use.seconds))} is shorter than {need} "
                            f"({format_duration(shortest)}): it sees too few samples and gaps on one missed scrape",
                            query.span(use.offset),
                        )
            elif isinstance(value, dict) and value.get("function") in RATE_FUNCTIONS:
                written = value.get("range", "5m")
                seconds = parse_duration(written) if isinstance(written, str) else shortest
                if seconds < shortest:
                    yield Finding(
                        f"{value['function']}() over {written} is shorter than {need} ({format_duration(shortest)})",
                        located.doc.span((*path, "range")),
                    )


RULE = Rule(
    "MON1103",
    Level.WARNING,
    "a rate/increase range of at least four scrape intervals",
    "widen the range (e.g. [5m] for a 1m scrape), or set Settings `lint.scrape_interval` to the real interval",
    check,
)
