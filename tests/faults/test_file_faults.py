"""Fault injection for the file backends through the real CLI: a read-only directory or file, a file or a
directory in the way, a server answering with an HTML page, and a server that trickles.

Each apply must exit 1 without a traceback, within a bounded time, report per change exactly what was
and was not applied, and leave on disk exactly what the report says.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from monaco.backends import http
from monaco.backends.alertmanager import reload as alertmanager_reload
from monaco.backends.prometheus import reload as prometheus_reload
from tests.faults.servers import FaultServer
from tests.faults.workspace import (
    bounded_run,
    change_route,
    raise_threshold,
    unwritable,
    workspace,
    write_targets,
)

RULES = Path("live") / "rules"
RULE_FILE = RULES / "monaco-checkout.rules.yml"
AM_FILE = Path("live") / "alertmanager.yml"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A fresh workspace with file targets and nothing applied."""
    return workspace(tmp_path / "ws")


@pytest.fixture
def applied(ws: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The workspace applied once, then changed: one rule group and one route differ from what is live."""
    first = bounded_run(ws, capsys, "apply", "--auto-approve")
    assert first.code == 0, first.output
    raise_threshold(ws)
    change_route(ws)
    return ws


def _snapshot(root: Path) -> dict[str, str]:
    """Every file under `live/`, by relative path, for comparing what is on disk before and after."""
    live = root / "live"
    return {str(p.relative_to(live)): p.read_text() for p in sorted(live.rglob("*")) if p.is_file()}


def _failed_apply_of_both(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, list[str], list[str]]:
    """Apply the two pending updates; both fail. Returns the output and the per-change lines of each target."""
    before = _snapshot(root)
    outcome = bounded_run(root, capsys, "apply", "--auto-approve")
    assert outcome.code == 1, outcome.output
    assert outcome.seconds < 30, outcome.seconds
    assert _snapshot(root) == before, "a rolled-back apply leaves every file as it was"
    assert "Applied: 0 added, 0 changed, 0 destroyed" in outcome.output
    return outcome.output, outcome.change_lines("prom"), outcome.change_lines("am")


def test_a_read_only_rules_directory_reports_the_write_that_failed(
    applied: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing can be written: the change says which file could not be written and why, nothing is touched."""
    before = (applied / RULE_FILE).read_text()
    with unwritable(applied / RULES):
        outcome = bounded_run(applied, capsys, "apply", "--auto-approve", "--target", "prom")
    assert outcome.code == 1, outcome.output
    [line] = outcome.change_lines("prom")
    assert line.startswith("prom: rule_group.checkout: update NOT APPLIED (writing "), line
    assert f"{RULE_FILE} failed: " in line
    assert "no file was changed" in outcome.output
    assert "apply lock" not in outcome.output
    assert (applied / RULE_FILE).read_text() == before


def test_a_rules_path_that_is_a_file_is_reported_per_change(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`rules_dir` names a regular file: every Prometheus change says so; Alertmanager still applies."""
    (ws / "live").mkdir()
    (ws / RULES).write_text("not a directory\n")
    outcome = bounded_run(ws, capsys, "apply", "--auto-approve")
    assert outcome.code == 1, outcome.output
    prom = outcome.change_lines("prom")
    assert len(prom) == 3, prom
    assert all("NOT APPLIED (writing" in line and "is not a directory" in line for line in prom), prom
    assert all(line.endswith(" ok") for line in outcome.change_lines("am")), outcome.output
    assert (ws / RULES).read_text() == "not a directory\n"
    assert "Applied: 10 added" in outcome.output


def test_a_directory_in_place_of_a_rule_file_rolls_back_the_files_written_before_it(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two rule files; the second is a directory. The first is written, then removed again, and the report
    says so change by change."""
    checkout = (ws / "specs" / "checkout.yaml").read_text()
    (ws / "specs" / "basket.yaml").write_text(checkout.replace("checkout", "basket").replace("Checkout", "Basket"))
    (ws / RULE_FILE).mkdir(parents=True)
    outcome = bounded_run(ws, capsys, "apply", "--auto-approve", "--target", "prom")
    assert outcome.code == 1, outcome.output
    lines = outcome.change_lines("prom")
    basket = [line for line in lines if "basket" in line]
    checkout_lines = [line for line in lines if "checkout" in line]
    assert basket and checkout_lines, lines
    assert all(line.endswith("(rolled back: the file it created was removed again)") for line in basket), basket
    assert all(line.endswith("(its files were not written)") for line in checkout_lines), checkout_lines
    assert "Is a directory" in outcome.output
    assert "rolled back: removed the new " in outcome.output and "monaco-basket.rules.yml" in outcome.output
    assert sorted(p.name for p in (ws / RULES).iterdir()) == ["monaco-checkout.rules.yml"]
    assert (ws / RULE_FILE).is_dir()


def test_a_read_only_alertmanager_config_is_reported_and_left_alone(
    applied: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The config file cannot be replaced: the route change is not applied and the file is unchanged."""
    before = (applied / AM_FILE).read_text()
    place = applied / AM_FILE if os.geteuid() == 0 else applied / "live"
    with unwritable(place):
        outcome = bounded_run(applied, capsys, "apply", "--auto-approve", "--target", "am")
    assert outcome.code == 1, outcome.output
    [line] = outcome.change_lines("am")
    assert line.startswith("am: route.checkout: update NOT APPLIED ("), line
    if os.geteuid() == 0:
        assert f"writing {applied / AM_FILE} failed: Operation not permitted" in line, line
    assert (applied / AM_FILE).read_text() == before


def test_a_server_answering_html_to_everything_is_a_failed_reload_rolled_back(
    applied: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A login page answers every request with 200 and HTML: both backends roll back and say the server's
    state is unknown, because the rollback reload got the same page."""
    server = FaultServer("html").start()
    try:
        write_targets(applied, server.url, server.url)
        output, prom, am = _failed_apply_of_both(applied, capsys)
    finally:
        server.stop()
    assert prom == ["prom: rule_group.checkout: update NOT APPLIED (rolled back: the previous file is on disk again)"]
    assert am == ["am: route.checkout: update NOT APPLIED (rolled back: the previous file is on disk again)"]
    for name in ("Prometheus", "Alertmanager"):
        assert f"{name} at {server.url} answered the reload with an unexpected body ('<!DOCTYPE html>" in output
    assert output.count("the server refused the rollback reload too the same way, so what it runs now is unknown") == 2
    assert "put the previous " in output and "put back and reloaded" not in output
    assert server.requests.count("POST /-/reload") == 4


def test_an_api_answering_html_fails_verification_and_rolls_back(
    applied: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reloads succeed but the rules and status APIs answer HTML: verification fails at once, the old files
    are put back and reloaded."""
    server = FaultServer("api-html").start()
    try:
        write_targets(applied, server.url, server.url)
        output, prom, am = _failed_apply_of_both(applied, capsys)
    finally:
        server.stop()
    assert prom == ["prom: rule_group.checkout: update NOT APPLIED (rolled back: the previous file is on disk again)"]
    assert am == ["am: route.checkout: update NOT APPLIED (rolled back: the previous file is on disk again)"]
    assert "answered GET /api/v1/rules with something that is not its rules API ('<!DOCTYPE html>" in output
    assert "answered GET /api/v2/status with something that is not its status API ('<!DOCTYPE html>" in output
    assert output.count("the server reloaded the previous version") == 2
    assert server.requests.count("GET /api/v1/rules") == 1 and server.requests.count("GET /api/v2/status") == 1


@pytest.fixture
def short_deadlines(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Request and verify deadlines short enough for a test, long enough for a local answer."""
    monkeypatch.setattr(http, "REQUEST_SECONDS", 1.5, raising=False)
    monkeypatch.setattr(prometheus_reload, "_VERIFY_SECONDS", 2.0)
    monkeypatch.setattr(alertmanager_reload, "_VERIFY_SECONDS", 2.0)
    yield


@pytest.mark.usefixtures("short_deadlines")
def test_a_trickling_reload_ends_at_its_deadline(applied: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Headers, then a byte a second: each reload ends at its total deadline; the rollback reload trickles
    too, so the report says the server's state is unknown."""
    server = FaultServer("trickle").start()
    try:
        write_targets(applied, server.url, server.url)
        output, prom, am = _failed_apply_of_both(applied, capsys)
    finally:
        server.stop()
    assert prom == ["prom: rule_group.checkout: update NOT APPLIED (rolled back: the previous file is on disk again)"]
    assert am == ["am: route.checkout: update NOT APPLIED (rolled back: the previous file is on disk again)"]
    assert output.count(f"no complete answer from {server.url}/-/reload within 1.5s") == 2
    assert output.count("refused the rollback reload too the same way, so what it runs now is unknown") == 2


@pytest.mark.usefixtures("short_deadlines")
def test_a_trickling_api_ends_at_the_verify_deadline(applied: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Reloads succeed, the APIs trickle: verification gives up at its deadline and the old files go back."""
    server = FaultServer("api-trickle").start()
    try:
        write_targets(applied, server.url, server.url)
        output, prom, am = _failed_apply_of_both(applied, capsys)
    finally:
        server.stop()
    assert prom and am and all("rolled back: the previous file is on disk again" in line for line in prom + am)
    assert "did not serve the new rules within 2s of the reload: GET /api/v1/rules: no complete answer" in output
    assert "did not serve the new config within 2s of the reload: GET /api/v2/status: no complete answer" in output
    assert output.count("the server reloaded the previous version") == 2
