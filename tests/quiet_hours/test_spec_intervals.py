"""Bad time intervals as data: each case gives exactly the expected error codes at `line:col`; good ones load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from monaco import engine
from monaco.diagnostics import Diagnostic, Level

CASES: list[dict[str, Any]] = YAML(typ="safe").load((Path(__file__).parent / "bad_intervals.yaml").read_text())


def _errors(tmp_path: Path, case: dict[str, Any]) -> list[Diagnostic]:
    for key in ("settings", "service"):
        if key in case:
            (tmp_path / f"{key}.yaml").write_text(case[key], encoding="utf-8")
    session = engine.load([tmp_path], [])
    return [d for d in session.diagnostics.sorted() if d.level is Level.ERROR]


def _where(diagnostic: Diagnostic) -> str:
    assert diagnostic.span is not None, diagnostic
    prefix = "service:" if diagnostic.span.file.endswith("service.yaml") else ""
    return f"{prefix}{diagnostic.code}@{diagnostic.span.line}:{diagnostic.span.col}"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_interval_gives_exactly_the_expected_diagnostics(tmp_path: Path, case: dict[str, Any]) -> None:
    """Each case reports its codes at the expected positions, and nothing else; each has a hint."""
    errors = _errors(tmp_path, case)
    assert [_where(d) for d in errors] == case["expect"]
    assert all(d.hint for d in errors if d.code != "MON113"), [str(d) for d in errors]
    if "hint" in case:
        assert case["hint"] in (errors[0].hint or ""), errors[0].hint


def test_every_shape_alertmanager_takes_loads(tmp_path: Path) -> None:
    """Ranges, negative days, month numbers, ints from YAML, 24:00 and zones are all accepted, and kept."""
    (tmp_path / "settings.yaml").write_text(
        """apiVersion: monaco/v1
kind: Settings
time_intervals:
  - name: odd-hours
    intervals:
      - times: [{start_time: "00:00", end_time: "24:00"}]
        weekdays: [Monday, "wednesday:friday"]
        days_of_month: [1, "-7:-1", "1:-1"]
        months: ["1:3", july, "august:december"]
        years: [2026, "2027:2030"]
        location: America/New_York
""",
        encoding="utf-8",
    )
    session = engine.load([tmp_path], [])
    assert not _errors(tmp_path, {}), [str(d) for d in session.diagnostics]
    assert session.model is not None
    [interval] = session.model.time_intervals
    [period] = interval.spec.intervals
    assert period.weekdays == ["monday", "wednesday:friday"]
    assert period.days_of_month == ["1", "-7:-1", "1:-1"] and period.years == ["2026", "2027:2030"]
