"""`monaco backtest` through the CLI on a real Prometheus whose history the test made (tests/backtest/history.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.backtest.conftest import LiveHistory
from tests.backtest.workspace import BacktestWorkspace

RANGE = ("--range", "6h")


def _end(live: LiveHistory) -> tuple[str, ...]:
    return (*RANGE, "--end", str(live.history.end))


def _durations(figures: dict[str, Any]) -> list[float]:
    return [f["seconds"] for s in figures["label_sets"] for f in s["firings"]]


@pytest.fixture()
def workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str], live_history: LiveHistory) -> BacktestWorkspace:
    """A fresh workspace whose target's rules directory is the one the server loads (emptied first)."""
    for stale in live_history.rules_dir.iterdir():
        stale.unlink()
    return BacktestWorkspace(tmp_path, capsys, live_history.url, live_history.rules_dir)


def test_new_alert_fires_twice_and_the_blip_is_shorter_than_for(
    workspace: BacktestWorkspace, live_history: LiveHistory
) -> None:
    """20 and 40 minutes above the threshold with for: 5m fire for 15 and 35 minutes; the 3-minute blip never."""
    alerts = workspace.backtest_json(*_end(live_history))
    alert = alerts["ErrorRatioHigh/critical"]
    assert alert["status"] == "new" and alert["current"] is None
    assert alert["proposed"]["firings"] == 2
    assert _durations(alert["proposed"]) == [15 * 60, 35 * 60]
    fired = alert["proposed"]["label_sets"][0]
    assert fired["labels"] == {"__name__": "api_error_ratio", "job": "api"}


def test_burn_tiers_are_replayed_from_raw_series(workspace: BacktestWorkspace, live_history: LiveHistory) -> None:
    """The page tier reads recordings never recorded in this history: inlined, it fires once per burst."""
    alerts = workspace.backtest_json(*_end(live_history))
    page = alerts["SLOErrorBudgetBurn/page"]
    assert page["proposed"]["firings"] == 2, page
    assert page["status"] == "new"


def test_a_changed_alert_is_shown_beside_its_live_version(
    workspace: BacktestWorkspace, live_history: LiveHistory
) -> None:
    """After apply, adding keep_firing_for: 10m extends each firing by 10m; the live version's figures stay."""
    applied = workspace.run("apply", "--auto-approve")
    assert applied.code == 0, applied.output
    unchanged = workspace.backtest_json(*_end(live_history))
    assert "ErrorRatioHigh/critical" not in unchanged, "an unchanged alert is not replayed"
    assert unchanged["SLOErrorBudgetBurn/page"]["status"] == "unchanged"
    every = workspace.backtest_json("--all", *_end(live_history))
    assert every["ErrorRatioHigh/critical"]["status"] == "unchanged"
    assert every["ErrorRatioHigh/critical"]["current"] is None, "an unchanged rule is queried once"
    workspace.edit("    for: 5m\n", "    for: 5m\n    keep_firing_for: 10m\n")
    alert = workspace.backtest_json(*_end(live_history))["ErrorRatioHigh/critical"]
    assert alert["status"] == "changed"
    assert _durations(alert["proposed"]) == [25 * 60, 45 * 60]
    assert _durations(alert["current"]) == [15 * 60, 35 * 60]


def test_text_table_and_progress(workspace: BacktestWorkspace, live_history: LiveHistory) -> None:
    """The text table names each rule and its figures; progress goes to stderr, one line per rule."""
    done = workspace.run("backtest", *_end(live_history))
    assert done.code == 0, done.output
    assert re.search(r"^prom +api/ErrorRatioHigh \(critical\) +new +2 x, 50m \(longest 35m\) +-$", done.out, re.M)
    assert '    {__name__="api_error_ratio", job="api"}: 2 x, 50m' in done.out
    assert "backtest [1/4]" in done.err and "backtest [4/4]" in done.err and "backtest [" not in done.out


def test_max_queries_is_refused_before_any_query(workspace: BacktestWorkspace, live_history: LiveHistory) -> None:
    """More rules than --max-queries: MON462 and exit 1, nothing queried."""
    done = workspace.run("backtest", *_end(live_history), "--max-queries", "1")
    assert done.code == 1
    assert "MON462" in done.err and "backtest [1/" not in done.err


def test_a_query_prometheus_rejects_fails_its_row(workspace: BacktestWorkspace, live_history: LiveHistory) -> None:
    """An expression the server fails at execution (duplicate label sets) is MON463 on its row; the rest run."""
    workspace.edit(
        "alerts:\n",
        "alerts:\n  - {name: Duplicates, severity: low, source: {prometheus: 'abs({job=\"api\"})'}, summary: dup}\n",
    )
    done = workspace.run("backtest", "--format", "json", *_end(live_history))
    assert done.code == 1
    assert "MON463" in done.err and "same labelset" in done.err
    rows = {a["alert"]: a for a in json.loads(done.out)["alerts"]}
    assert rows["Duplicates"]["error"] and rows["Duplicates"]["proposed"] is None
    assert rows["ErrorRatioHigh"]["proposed"]["firings"] == 2


def test_plan_markdown_includes_the_table(workspace: BacktestWorkspace, live_history: LiveHistory) -> None:
    """`plan --format markdown --backtest` appends the backtest section to the PR comment."""
    done = workspace.run("plan", "--format", "markdown", "--backtest", *_end(live_history))
    assert done.code == 0, done.output
    assert "### monaco plan" in done.out and "### Backtest" in done.out
    assert "| prom | api/ErrorRatioHigh (critical) | new | 2 x, 50m (longest 35m) | - |" in done.out


def test_lint_backtest_reports_a_team_over_its_pages_budget(
    workspace: BacktestWorkspace, live_history: LiveHistory
) -> None:
    """Four paging firings in 6h (the alert twice, the page tier twice) is 112 a week: over a budget of 20."""
    settings = "apiVersion: monaco/v1\nkind: Settings\nlint: {pages_per_week: 20}\n"
    (workspace.root / "specs" / "settings.yaml").write_text(settings, encoding="utf-8")
    done = workspace.run("lint", "--backtest", "--format", "json", *_end(live_history))
    assert done.code == 0, done.output
    (finding,) = [f for f in json.loads(done.out)["findings"] if f["code"] == "MON1107"]
    assert finding["file"].endswith("team.yaml") and (finding["line"], finding["col"]) == (3, 18)
    assert "112.0 pages per week" in finding["message"] and "4 firings" in finding["message"]
    assert "backtest [2/2]" in done.err, "only the two paging rules are replayed (not the ticket tier or no-data)"


def test_lint_without_backtest_says_once_that_the_budget_is_not_checked(workspace: BacktestWorkspace) -> None:
    """No --backtest: no MON1107 finding, one note on stderr."""
    done = workspace.run("lint", "--format", "json")
    assert "MON1107" not in done.out
    assert done.err.count("MON1107 (pages per week) not run") == 1
