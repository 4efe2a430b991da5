"""Reviewer-facing facts about IR objects, compared in words by plans ("objective: 99.9 → 99.95")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

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


_OBJECTIVE = re.compile(r"^vector\((?P<ratio>[0-9.eE+-]+)\)$")
_PERIOD = re.compile(r"ratio_rate(?P<period>\w+)\{")
_WINDOW_THRESHOLD = re.compile(r"slo:sli_error:ratio_rate(?P<window>\w+)\{[^}]*\}\s*>\s*(?P<threshold>[0-9.eE+-]+)")


def live_slo_notes(group: Mapping[str, Any]) -> dict[str, str]:
    """The notes `slo_notes` gave a live SLO rule group, read back from its rules (empty for other groups).

    So a plan says `objective: 99.9 → 99.95`, not `(none) → 99.95`, for what is live."""
    rules = [r for r in group.get("rules") or [] if isinstance(r, dict)]
    by_record = {r.get("record"): str(r.get("expr", "")) for r in rules if "record" in r}
    objective = _OBJECTIVE.match(by_record.get("slo:objective:ratio", "").strip())
    period = _PERIOD.search(by_record.get("slo:error_budget:remaining", ""))
    if objective is None or period is None:
        return {}
    notes = {"objective": format_decimal(Decimal(objective.group("ratio")) * 100), "period": period.group("period")}
    for rule in rules:
        tier = (rule.get("labels") or {}).get("tier") if "alert" in rule else None
        found = _WINDOW_THRESHOLD.findall(str(rule.get("expr", ""))) if tier else []
        for (long, threshold), (short, _) in zip(found[::2], found[1::2], strict=False):
            notes[f"{tier} threshold error ratio ({long}/{short})"] = format_decimal(Decimal(threshold))
    return notes
