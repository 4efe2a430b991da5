"""Reviewer-facing facts about IR objects, compared in words by plans ("objective: 99.9 → 99.95")."""

from __future__ import annotations

from decimal import Decimal

from monaco.ir.burnrate import pair_threshold
from monaco.ir.nodes import Slo
from monaco.spec.types import format_duration


def plain_decimal(value: Decimal) -> str:
    """A decimal in plain notation without trailing zeros: 0.0144, 14.4, 1."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def slo_notes(slo: Slo) -> dict[str, str]:
    """The SLO's objective, period and, per tier window pair, the error ratio that triggers it."""
    notes = {"objective": plain_decimal(slo.objective), "period": format_duration(slo.period_seconds)}
    for tier in slo.tiers:
        for pair in tier.windows:
            windows = f"{format_duration(pair.long_seconds)}/{format_duration(pair.short_seconds)}"
            threshold = plain_decimal(pair_threshold(slo, pair))
            notes[f"{tier.name} threshold error ratio ({windows})"] = threshold
    return notes
