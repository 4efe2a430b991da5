"""Backtest refusals that need no history: an unreachable server, bad ranges, no prometheus target."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.backtest.workspace import BacktestWorkspace
from tests.e2e.live import free_port


@pytest.fixture()
def workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> BacktestWorkspace:
    """The backtest workspace, its target pointing at a port nothing listens on."""
    rules = tmp_path / "rules"
    rules.mkdir()
    return BacktestWorkspace(tmp_path, capsys, f"http://127.0.0.1:{free_port()}", rules)


def test_unreachable_prometheus_is_a_diagnostic_in_bounded_time(workspace: BacktestWorkspace) -> None:
    """Nothing listening: MON460 once, exit 1, no table, and no further query after the first."""
    started = time.monotonic()
    done = workspace.run("backtest", "--query-timeout", "2")
    assert time.monotonic() - started < 10
    assert done.code == 1
    assert done.err.count("MON460") == 1 and "nothing further was queried" in done.err
    assert "backtest [2/" not in done.err
    assert "Traceback" not in done.output


def test_a_server_that_never_answers_is_cut_at_the_query_timeout(workspace: BacktestWorkspace, tmp_path: Path) -> None:
    """A socket that accepts and then says nothing: the query ends at --query-timeout, MON460."""
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        workspace.write_target(f"http://127.0.0.1:{listener.getsockname()[1]}", tmp_path / "rules")
        started = time.monotonic()
        done = workspace.run("backtest", "--query-timeout", "1")
        assert time.monotonic() - started < 8
    assert done.code == 1 and "MON460" in done.err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--range", "0s"), "is empty"),
        (("--range", "seven days"), "bad backtest range"),
        (("--step", "0s"), "must be a positive duration"),
        (("--end", "yesterday"), "bad backtest range"),
        (("--end", "now-3x"), "bad backtest range"),
        (("--end", "2099-01-01T00:00:00Z"), "is in the future"),
        (("--end", "2020-01-01T00:00:00"), "has no time zone"),
        (("--max-queries", "0"), "must be positive"),
    ],
)
def test_bad_range_is_mon461(workspace: BacktestWorkspace, args: tuple[str, ...], said: str) -> None:
    """Each malformed range option is MON461 with what is wrong, before any query."""
    done = workspace.run("backtest", *args)
    assert done.code == 1
    assert "MON461" in done.err and said in done.err, done.err
    assert "backtest [" not in done.err


def test_no_prometheus_target_with_a_url_is_mon464(workspace: BacktestWorkspace, tmp_path: Path) -> None:
    """A prometheus target without `url:` and no --url: MON464 says where to set it."""
    (tmp_path / "targets" / "prom.yaml").write_text(
        '{"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": "prom"}, "backend": "prometheus",'
        f' "config": {{"rules_dir": "{tmp_path / "rules"}"}}}}',
        encoding="utf-8",
    )
    done = workspace.run("backtest")
    assert done.code == 1 and "MON464" in done.err and "--url" in done.err


def test_unknown_target_is_reported(workspace: BacktestWorkspace) -> None:
    """--target naming no target: MON131, exit 1."""
    done = workspace.run("backtest", "--target", "nope")
    assert done.code == 1 and "MON131" in done.err
