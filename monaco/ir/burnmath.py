"""Burn-rate arithmetic, exact in `Decimal`: workbook window pairs, burn factors and error-ratio thresholds.

For 99.9% over 30d the page thresholds are exactly 0.0144 and 0.006 and the ticket thresholds exactly
0.003 and 0.001. A quotient that does not terminate (0.1 x 28d / 3d) is rounded once, to 15
significant digits, and printed without an exponent.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal, Inexact, localcontext

from monaco.ir.nodes import BurnWindowPair, Slo

PAGE = "page"
TICKET = "ticket"
SIGNIFICANT_DIGITS = 15


@dataclass(frozen=True, slots=True)
class PairDefault:
    """One workbook window pair: budget percent consumed within the long window."""

    budget_percent: Decimal
    long_seconds: int
    short_seconds: int


DEFAULT_PAIRS: dict[str, tuple[PairDefault, ...]] = {
    PAGE: (PairDefault(Decimal(2), 3600, 300), PairDefault(Decimal(5), 21600, 1800)),
    TICKET: (PairDefault(Decimal(10), 86400, 7200), PairDefault(Decimal(10), 259200, 21600)),
}
"""The SRE workbook's four pairs: 2%/1h/5m, 5%/6h/30m (page); 10%/1d/2h, 10%/3d/6h (ticket)."""


@functools.lru_cache(maxsize=4096)  # pure; every SLO of a workspace asks the same few
def format_decimal(value: Decimal) -> str:
    """A Decimal as plain text: no exponent, no trailing zeros (`Decimal('1.440')` -> `1.44`)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


@functools.lru_cache(maxsize=4096)  # pure; every SLO of a workspace asks the same few
def exact_quotient(numerator: Decimal, denominator: Decimal) -> Decimal:
    """numerator / denominator, exact when it terminates, else rounded to 15 significant digits."""
    with localcontext() as ctx:
        ctx.prec = 60
        ctx.clear_flags()
        value = numerator / denominator
        inexact = bool(ctx.flags[Inexact])
    if inexact:
        with localcontext() as ctx:
            ctx.prec = SIGNIFICANT_DIGITS
            value = +value
    return value.normalize()


@functools.lru_cache(maxsize=4096)  # pure; every SLO of a workspace asks the same few
def burn_factor(budget_percent: Decimal, period_seconds: int, long_seconds: int) -> Decimal:
    """Burn rate that spends `budget_percent` of the period's budget in the long window."""
    return exact_quotient(budget_percent * period_seconds, Decimal(100) * long_seconds)


@functools.lru_cache(maxsize=4096)  # pure; every SLO of a workspace asks the same few
def error_ratio_threshold(
    objective: Decimal, budget_percent: Decimal, period_seconds: int, long_seconds: int
) -> Decimal:
    """Error ratio above which a pair fires: factor x (1 - objective/100), rounded once."""
    budget = Decimal(100) - objective
    return exact_quotient(budget_percent * period_seconds * budget, Decimal(10000) * long_seconds)


def pair_threshold(slo: Slo, pair: BurnWindowPair) -> Decimal:
    """The error-ratio threshold of one window pair of an IR SLO, as lowering computed it (never again)."""
    return pair.threshold


def default_pairs(kind: str, period_seconds: int, objective: Decimal) -> tuple[BurnWindowPair, ...]:
    """The workbook pairs of a tier (`page` or `ticket`) with factors and thresholds for the SLO."""
    return tuple(
        BurnWindowPair(
            d.long_seconds,
            d.short_seconds,
            d.budget_percent / 100,
            burn_factor(d.budget_percent, period_seconds, d.long_seconds),
            error_ratio_threshold(objective, d.budget_percent, period_seconds, d.long_seconds),
        )
        for d in DEFAULT_PAIRS[kind]
    )
