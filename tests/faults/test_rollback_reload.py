"""A real Prometheus that refuses the reload of the new rules and, because of a broken file that is not
monaco's, the rollback reload too: the report says what is on disk and that the server's state is unknown."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require_tool
from tests.e2e.live import LOCALHOST, ManagedProcess, free_port, get_json, stopping
from tests.faults.workspace import bounded_run, raise_threshold, workspace, write_targets

BROKEN_RULES = "groups:\n  - name: someone-elses\n    rules:\n      - alert: Broken\n        expr: sum((up)\n"
"""Valid YAML, invalid PromQL: Prometheus refuses every reload while this file is in its rule_files."""


@pytest.fixture
def prometheus(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real Prometheus loading `<tmp>/ws/live/rules/*.yml`, with the lifecycle API; stopped by PID."""
    binary = require_tool("prometheus")
    rules_dir = tmp_path / "ws" / "live" / "rules"
    rules_dir.mkdir(parents=True)
    config = tmp_path / "prometheus.yml"
    config.write_text(json.dumps({"global": {"evaluation_interval": "1s"}, "rule_files": [f"{rules_dir}/*.yml"]}))
    port = free_port()
    url = f"http://{LOCALHOST}:{port}"
    server = ManagedProcess(
        "prometheus",
        [
            binary,
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address={LOCALHOST}:{port}",
            "--web.enable-lifecycle",
        ],
        tmp_path / "prometheus.log",
    )
    with stopping(server):
        server.start()
        server.wait_ready(f"{url}/-/ready")
        yield url, rules_dir


def test_a_refused_rollback_reload_is_reported_as_such(
    prometheus: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The new rules are refused, the old file is put back, the rollback reload is refused too: the report
    names the restored file, quotes the server, and does not claim the old rules were reloaded."""
    url, rules_dir = prometheus
    ws = workspace(tmp_path / "ws")
    write_targets(ws, url)
    first = bounded_run(ws, capsys, "apply", "--auto-approve", "--target", "prom")
    assert first.code == 0, first.output
    rule_file = rules_dir / "monaco-checkout.rules.yml"
    before = rule_file.read_text()
    (rules_dir / "zz-someone-elses.yml").write_text(BROKEN_RULES)
    raise_threshold(ws)

    outcome = bounded_run(ws, capsys, "apply", "--auto-approve", "--target", "prom")

    assert outcome.code == 1, outcome.output
    assert outcome.change_lines("prom") == [
        "prom: rule_group.checkout: update NOT APPLIED (rolled back: the previous file is on disk again)"
    ]
    assert f"Prometheus at {url} rejected the reload (HTTP 500): failed to reload config" in outcome.output
    assert f"rolled back: put the previous {rule_file} back" in outcome.output
    assert "the server refused the rollback reload too" in outcome.output
    assert "so what it runs now is unknown" in outcome.output
    assert "put back and reloaded" not in outcome.output
    assert rule_file.read_text() == before
    served = get_json(f"{url}/api/v1/rules")["data"]["groups"]
    assert "checkout" in {g["name"] for g in served}, "Prometheus still runs the rules it had"
