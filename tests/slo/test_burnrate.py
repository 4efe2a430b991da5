"""Burn-rate math: workbook numbers exactly, other periods from the formula, overrides and diagnostics."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monaco.diagnostics import Diagnostics, Level, Span
from monaco.ir.burnmath import default_pairs, error_ratio_threshold, exact_quotient, format_decimal, pair_threshold
from monaco.ir.burnrate import lower_slo, severity_defaults
from monaco.spec.models import SeverityLevel, SloSpec
from tests.slo.helpers import RATIO_SLI, lowered
from tests.sources import validated

DAY = 86400


def _slo(**fields: Any) -> dict[str, Any]:
    return {"name": "availability", "objective": 99.9, "sli": RATIO_SLI, **fields}


def _codes(diagnostics: Diagnostics) -> list[str]:
    return [d.code for d in diagnostics]


def test_workbook_thresholds_for_999_over_30d_are_exact() -> None:
    slo = lowered(_slo())
    assert slo is not None
    got = {
        (t.name, p.long_seconds, p.short_seconds): (p.factor, pair_threshold(slo, p))
        for t in slo.tiers
        for p in t.windows
    }
    assert got == {
        ("page", 3600, 300): (Decimal("14.4"), Decimal("0.0144")),
        ("page", 21600, 1800): (Decimal("6"), Decimal("0.006")),
        ("ticket", 86400, 7200): (Decimal("3"), Decimal("0.003")),
        ("ticket", 259200, 21600): (Decimal("1"), Decimal("0.001")),
    }
    texts = [format_decimal(pair_threshold(slo, p)) for t in slo.tiers for p in t.windows]
    assert texts == ["0.0144", "0.006", "0.003", "0.001"]
    assert [t.severity for t in slo.tiers] == ["critical", "medium"]


@pytest.mark.parametrize(
    ("days", "factors"),
    [
        (28, ["13.44", "5.6", "2.8", "0.933333333333333"]),
        (7, ["3.36", "1.4", "0.7", "0.233333333333333"]),
        (90, ["43.2", "18", "9", "3"]),
    ],
)
def test_factors_follow_the_formula_for_other_periods(days: int, factors: list[str]) -> None:
    got = [
        format_decimal(p.factor)
        for kind in ("page", "ticket")
        for p in default_pairs(kind, days * DAY, Decimal("99.9"))
    ]
    assert got == factors


@given(
    days=st.integers(min_value=4, max_value=400),
    objective=st.decimals(min_value=Decimal("50"), max_value=Decimal("99.999"), places=3),
)
def test_thresholds_equal_the_exact_fraction(days: int, objective: Decimal) -> None:
    for kind in ("page", "ticket"):
        for pair in default_pairs(kind, days * DAY, objective):
            budget = pair.budget_fraction * 100
            got = error_ratio_threshold(objective, budget, days * DAY, pair.long_seconds)
            exact = Fraction(budget) / 100 * days * DAY / pair.long_seconds * (100 - Fraction(objective)) / 100
            assert abs(Fraction(got) - exact) <= exact * Fraction(1, 10**14)
            assert pair.threshold == got
            assert "E" not in format_decimal(got) and "e" not in format_decimal(got)


def test_format_decimal_is_plain() -> None:
    assert format_decimal(Decimal("1E+1")) == "10"
    assert format_decimal(Decimal("0.00000100")) == "0.000001"
    assert format_decimal(Decimal("14.400")) == "14.4"
    assert exact_quotient(Decimal(1), Decimal(3)) == Decimal("0.333333333333333")


def test_never_firing_tier_is_an_error_with_the_arithmetic() -> None:
    diagnostics = Diagnostics()
    assert lowered(_slo(objective=90), diagnostics) is None
    never = [d for d in diagnostics if d.code == "MON230"]
    assert len(never) == 1
    message = never[0].message
    assert "1h/5m" in message and "14.4x" in message and "14.4 x 10% = 144%" in message
    assert never[0].level is Level.ERROR and never[0].span is not None
    assert never[0].hint is not None and "10x" in never[0].hint


def test_disabling_the_impossible_pair_makes_90_percent_valid() -> None:
    diagnostics = Diagnostics()
    slo = lowered(_slo(objective=90, alerting={"page": [{"disabled": True}, {}]}), diagnostics)
    assert slo is not None, list(diagnostics)
    assert [(t.name, [p.long_seconds for p in t.windows]) for t in slo.tiers] == [
        ("page", [21600]),
        ("ticket", [86400, 259200]),
    ]


def test_overrides_severity_for_windows_and_budget() -> None:
    slo = lowered(
        _slo(
            alerting={
                "page": {"severity": "high", "for": "5m", "long_window": "2h", "budget_percent": 4},
                "ticket": [{"for": "1h"}, {"short_window": "12h"}, {"long_window": "7d", "budget_percent": 25}],
            }
        )
    )
    assert slo is not None
    page, ticket = slo.tiers
    assert (page.severity, page.for_seconds) == ("high", 300)
    assert [(p.long_seconds, p.short_seconds, p.factor) for p in page.windows] == [(7200, 600, Decimal("14.4"))]
    assert ticket.for_seconds == 3600
    assert [(p.long_seconds, p.short_seconds, format_decimal(p.factor)) for p in ticket.windows] == [
        (86400, 7200, "3"),
        (259200, 43200, "1"),
        (604800, 50400, "1.07142857142857"),
    ]


def test_disabled_tier_and_all_disabled_warning() -> None:
    diagnostics = Diagnostics()
    slo = lowered(_slo(alerting={"page": {"disabled": True}, "ticket": []}), diagnostics)
    assert slo is not None and slo.tiers == ()
    assert [(d.code, d.level) for d in diagnostics] == [("MON238", Level.WARNING)]


@pytest.mark.parametrize(
    ("fields", "code", "fragment"),
    [
        ({"alerting": {"page": {"long_window": "1h", "short_window": "1h"}}}, "MON231", "shorter than the long"),
        ({"period": "2d"}, "MON232", "longer than the 2d period"),
        ({"alerting": {"page": {"severity": "critcal"}}}, "MON234", "unknown severity 'critcal'"),
        ({"alerting": {"page": {"budget_percent": 0}}}, "MON235", "outside (0, 100]"),
        ({"alerting": {"page": [{"severity": "critical"}, {"severity": "high"}]}}, "MON236", "disagree on severity"),
        ({"alerting": {"page": [{}, {}, {"long_window": "12h"}]}}, "MON237", "no default"),
        ({"alerting": {"min_events": 0}}, "MON239", "min_events must be positive"),
        ({"period": "36h"}, "MON246", "whole number of days"),
        (
            {"sli": {"ratio": {"bad": {"prometheus": "sum(rate(x[5m]))"}, "total": RATIO_SLI["ratio"]["total"]}}},
            "MON240",
            "{{window}}",
        ),
        (
            {
                "sli": {
                    "ratio": {"bad": {"prometheus": "sum(rate(x[{{window}}])"}, "total": RATIO_SLI["ratio"]["total"]}
                }
            },
            "MON120",
            "does not parse",
        ),
        ({"group_by": ["route"]}, "MON242", "route"),
    ],
)
def test_bad_tiers_and_slis_are_reported(fields: dict[str, Any], code: str, fragment: str) -> None:
    diagnostics = Diagnostics()
    assert lowered(_slo(**fields), diagnostics) is None
    found = [d for d in diagnostics if d.code == code]
    assert found, list(diagnostics)
    assert fragment in found[0].message and found[0].span is not None
    if code == "MON234":
        assert found[0].hint == "did you mean 'critical'?"


def test_objective_of_100_is_refused() -> None:
    with pytest.raises(ValueError, match="no error budget"):
        validated(SloSpec, _slo(objective=100))
    spec = SloSpec.model_construct(**{**validated(SloSpec, _slo()).__dict__, "objective": Decimal(100)})
    diagnostics = Diagnostics()
    slo = lower_slo(spec, severities=["critical"], doc_span_for=lambda p: Span("f", 1, 1), diagnostics=diagnostics)
    assert slo is None and _codes(diagnostics) == ["MON233"]


def test_severity_defaults_with_custom_names() -> None:
    custom = [
        SeverityLevel(name="p1", page=True),
        SeverityLevel(name="p2", page=True),
        SeverityLevel(name="p3"),
        SeverityLevel(name="p4"),
    ]
    assert severity_defaults(custom) == (["p1", "p2", "p3", "p4"], "p1", "p3")
    assert severity_defaults(["sev1", "sev2"]) == (["sev1", "sev2"], "sev1", "sev2")
