"""A real Prometheus serving six hours of history made by the test, shared by the live backtest tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.backtest.history import History, make_history, prometheus_process
from tests.conftest import require_tool


@dataclass(frozen=True, slots=True)
class LiveHistory:
    """The server's URL, the rules directory it loads, and the history it holds."""

    url: str
    rules_dir: Path
    history: History


@pytest.fixture(scope="module")
def live_history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveHistory]:
    """promtool-imported history behind a Prometheus on 127.0.0.1, stopped by pid afterwards."""
    promtool, prometheus = require_tool("promtool"), require_tool("prometheus")
    root = tmp_path_factory.mktemp("backtest")
    rules_dir = root / "rules"
    rules_dir.mkdir()
    history = make_history(promtool, root)
    process, url = prometheus_process(prometheus, root, rules_dir)
    process.start()
    try:
        process.wait_ready(f"{url}/-/ready")
        yield LiveHistory(url, rules_dir, history)
    finally:
        process.stop()
