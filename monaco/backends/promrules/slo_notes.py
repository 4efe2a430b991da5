"""Reviewer-facing facts about IR objects, compared in words by plans ("objective: 99.9 → 99.95")."""

from __future__ import annotations

from monaco.ir.burnmath import format_decimal, pair_threshold
from monaco.ir.nodes import Slo
from monaco.spec.types import format_duration


def slo_notes(slo: Slo) -> dict[str, str]:
    """The SLO's objective, period and, per tier window pair, the error ratio that triggers it."""
    notes = {"objective": format_decimal(slo.objective), "period": format_duration(slo.period_seconds)}
    for tier in slo.tiers:
        for pair in tier.windows:
            windows = f"{format_duration(pair.long_seconds)}/{format_duration(pair.short_seconds)}"
            threshold = format_decimal(pair_threshold(slo, pair))
            notes[f"{tier.name} threshold error ratio ({windows})"] = threshold
    return notes
