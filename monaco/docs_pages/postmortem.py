"""The postmortem template of one SLO: timeline, budget consumed, the burn alerts that fired, action items (pure).

The facts monaco knows are filled in (objective, period, budget as time at a full outage, each tier's
window pairs and the series to read the budget from); what happened is left for the author.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from monaco.backends.promrules import record_names
from monaco.backends.promrules.slo_rules import quote
from monaco.docs_pages.markdown import FILL_IN, bullets, page, section, table
from monaco.ir.burnrate import format_decimal
from monaco.ir.labels import BURN_ALERT
from monaco.ir.nodes import BurnTier, Service, Slo
from monaco.spec.types import format_duration

BLANK = "(fill in)"


def budget_seconds(slo: Slo) -> Decimal:
    """The error budget as seconds of a full outage over the period, exact."""
    return slo.error_budget * slo.period_seconds


def _facts(slo: Slo) -> str:
    period = format_duration(slo.period_seconds)
    outage = budget_seconds(slo).to_integral_value(rounding=ROUND_FLOOR)
    rows = [
        ["objective", f"{format_decimal(slo.objective)}%"],
        ["period", period],
        ["error budget", f"{format_decimal(slo.error_budget * 100)}% of events"],
        ["budget as a full outage", f"{format_duration(int(outage))} of the {period}"],
    ]
    if slo.group_by:
        rows.append(["grouped by", ", ".join(f"`{g}`" for g in slo.group_by)])
    return table(["fact", "value"], rows)


def _budget(service: Service, slo: Slo) -> str:
    ids = service.identity
    selector = f"{{{ids.service}={quote(service.name)},{ids.slo}={quote(slo.name)}}}"
    rows = [
        ["budget remaining before the incident", BLANK],
        ["budget remaining after the incident", BLANK],
        ["budget consumed by the incident", BLANK],
    ]
    return (
        f"Read `{record_names.BUDGET_REMAINING}{selector}` (1 is untouched, 0 spent) just before the first "
        "alert and after recovery; the difference is the share of the period's budget this incident spent.\n\n"
        + table(["measure", "value"], rows)
    )


def _tier_line(tier: BurnTier) -> str:
    pairs = ", ".join(
        f"{format_duration(p.long_seconds)}/{format_duration(p.short_seconds)} at {format_decimal(p.factor)}x"
        for p in tier.windows
    )
    return (
        f"[ ] `{BURN_ALERT}` {tier.name} (severity `{tier.severity}`; {pairs}): fired at {BLANK}, resolved at {BLANK}"
    )


def postmortem_page(service: Service, slo: Slo) -> str:
    """The postmortem template of one SLO."""
    timeline = table(["time (UTC)", "event"], [[BLANK, "first alert fired"], [BLANK, "mitigated"], [BLANK, "resolved"]])
    alerts = bullets([_tier_line(t) for t in slo.tiers], "This SLO has no burn-rate tier; no burn alert could fire.")
    actions = table(["action", "owner", "issue", "due"], [[BLANK, BLANK, BLANK, BLANK]])
    return page(
        f"Postmortem: {service.name} {slo.name}",
        f"The `{slo.name}` SLO of `{service.name}` (team `{service.team}`)."
        + (f" {slo.description}" if slo.description else ""),
        [
            section("Summary", FILL_IN),
            section("The SLO", _facts(slo)),
            section("Timeline", timeline),
            section("Budget consumed", _budget(service, slo)),
            section("Burn alerts that fired", "Tick each one that fired and give its times.\n\n" + alerts),
            section("Action items", actions),
        ],
    )
