"""Route tests written in specs run in `monaco test`: passing ones pass, failing ones fail at their spec line."""

from __future__ import annotations

from pathlib import Path

import pytest

from monaco.cli.main import main
from tests.routes.workspace import SERVICE, TEAM, write_workspace

PASSING = """\
route_tests:
  - name: critical pages and posts
    alerts: [CheckoutErrors, SLOErrorBudgetBurn availability/page]
    expect:
      alertmanager: [payments-pager, payments-slack]
      prom: [payments-pager, payments-slack]
  - name: db alerts reach the hook too
    labels: [{component: db, severity: critical}]
    expect:
      am: [db-hook, payments-slack, payments-pager]
  - name: a slow db posts to slack
    alerts: [CheckoutDbSlow]
    expect:
      am: [db-hook, payments-slack]
  - name: low goes to email
    labels: [{severity: low}]
    expect:
      am: [payments-email]
"""

FAILING = """\
route_tests:
  - name: ticket tier pages
    alerts: [SLOErrorBudgetBurn availability/ticket]
    expect:
      am: [payments-pager]
"""


def _run(root: Path, *rest: str) -> int:
    """`monaco test` on the workspace."""
    return main(["test", "--specs", str(root / "specs"), "--targets", str(root / "targets"), *rest])


def _line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of the service spec containing `needle`."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_passing_route_tests_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Four tests over alerts, label sets, a target kind and target names: exit 0, each reported ok."""
    write_workspace(tmp_path, SERVICE + PASSING)
    assert _run(tmp_path) == 0
    err = capsys.readouterr().err
    assert "4 route tests, 0 failed." in err
    assert "ok   checkout: db alerts reach the hook too" in err


def test_a_failing_route_test_names_its_line_and_both_receiver_lists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """MON265 at the `am:` key of the test, with what was expected and what the compiled tree gives."""
    text = SERVICE + FAILING
    write_workspace(tmp_path, text)
    assert _run(tmp_path) == 1
    err = capsys.readouterr().err
    line = _line_of(text, "am: [payments-pager]")
    assert f"checkout.yaml:{line}:7: error[MON265]" in err
    assert "expected ['payments-pager'], got ['payments-slack']" in err
    assert "1 route tests, 1 failed." in err


@pytest.mark.parametrize(
    ("test", "needle", "message"),
    [
        ("alerts: [CheckoutError]\n    expect: {am: []}", "CheckoutError]", "has no alert 'CheckoutError'"),
        ("alerts: [CheckoutErrors]\n    expect: {amm: []}", "amm:", "no target or target kind 'amm'"),
        (
            "alerts: [CheckoutErrors]\n    expect: {am: [payments-pagr]}",
            "payments-pagr",
            "'payments-pagr' is no receiver",
        ),
    ],
    ids=["unknown alert", "unknown target", "unknown receiver"],
)
def test_unknown_names_in_a_route_test_are_diagnostics(
    test: str, needle: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """MON266 at the test's line for an alert, a target or a receiver nothing knows; exit 1."""
    text = SERVICE + f"route_tests:\n  - name: bad\n    {test}\n"
    write_workspace(tmp_path, text)
    assert _run(tmp_path) == 1
    err = capsys.readouterr().err
    assert f"checkout.yaml:{_line_of(text, needle)}:" in err
    assert "error[MON266]" in err and message in err


def test_a_route_test_naming_nothing_is_a_schema_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A test without `alerts:` or `labels:` is refused when the spec loads."""
    write_workspace(tmp_path, SERVICE + "route_tests:\n  - name: empty\n    expect: {am: []}\n")
    assert _run(tmp_path) == 1
    assert "names at least one alert" in capsys.readouterr().err


def test_expecting_no_one_passes_for_an_alert_that_reaches_no_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`[]` is "no one": without a team default, a low alert outside prod and staging reaches no receiver on the
    IR-answered target, while Alertmanager's tree still gives it the base config's root receiver."""
    text = SERVICE + (
        "route_tests:\n  - name: dev low\n    labels: [{severity: low, env: dev}]\n"
        "    expect: {prom: [], am: [platform-default]}\n"
    )
    write_workspace(tmp_path, text, team=TEAM.replace("default_receiver: payments-email\n", ""))
    assert _run(tmp_path) == 0, capsys.readouterr().err
