"""The text plan reviewers read: by service, a create's content once, numbers as people write them, old -> new."""

from __future__ import annotations

from pathlib import Path

import pytest

from monaco.plan.views import human_number
from tests.cli.workspace import make_workspace, run


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """The default workspace with file targets under tmp_path."""
    return make_workspace(tmp_path)


def test_a_first_plan_is_grouped_by_service_and_shows_each_create_once(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`## checkout` heads its changes; a create prints its YAML with `+`, never a diff against nothing."""
    assert run(ws, "plan") == 0
    out = capsys.readouterr().out
    assert "  ## checkout" in out
    assert "--- live" not in out and "+++ desired" not in out
    assert "      +   name: checkout" in out or "      + group:" in out


def test_an_objective_change_shows_the_live_value_and_the_new_one(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The live rule group's objective and thresholds are read back, so the plan says `99.9 → 99.5`."""
    assert run(ws, "apply", "--auto-approve") == 0
    spec = ws / "specs" / "checkout.yaml"
    spec.write_text(spec.read_text().replace("objective: 99.9\n", "objective: 99.5\n", 1))
    capsys.readouterr()
    assert run(ws, "plan") == 0
    out = capsys.readouterr().out
    assert "objective: 99.9 → 99.5" in out
    assert "page threshold error ratio (1h/5m): 0.0144 → 0.072" in out


def test_compact_prints_one_line_per_changed_resource(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--compact`: `+ key  (address)` lines and the summary, nothing else per change."""
    assert run(ws, "plan", "--compact") == 0
    out = capsys.readouterr().out
    changes = [line for line in out.splitlines() if line.startswith("  + ")]
    assert changes and all("\n" not in line for line in changes)
    assert "will be created" not in out and out.rstrip().endswith("to destroy.")


def test_long_decimals_are_rounded_for_people() -> None:
    """`0.000466666666666667` reads `0.0004667…`; short numbers and names with digits stay as written."""
    assert human_number("threshold 0.000466666666666667 over 3d") == "threshold 0.0004667… over 3d"
    assert human_number("0.0144 rate5m 99.95 v1.123456789x") == "0.0144 rate5m 99.95 v1.123456789x"
