"""monaco's Alertmanager answer (a walk of the compiled route tree) equals `amtool config routes test` on that file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from monaco import engine
from monaco.ir.route_query import LABELS, RouteQuery
from tests.conftest import require_tool
from tests.routes.workspace import write_workspace

LABEL_SETS: list[dict[str, str]] = [
    {"service": "checkout", "severity": "critical", "team": "payments", "env": "prod"},
    {"service": "checkout", "severity": "high", "team": "payments", "env": "prod"},
    {"service": "checkout", "severity": "medium"},
    {"service": "checkout", "severity": "low", "env": "prod"},
    {"service": "checkout", "severity": "low", "env": "staging"},
    {"service": "checkout", "severity": "low", "env": "dev"},
    {"service": "checkout", "severity": "low"},
    {"service": "checkout", "component": "db", "severity": "high"},
    {"service": "checkout", "component": "db", "severity": "critical"},
    {"service": "checkout", "component": "db"},
    {"service": "checkout"},
    {"service": "ledger", "severity": "critical"},
    {"team": "storage", "severity": "critical"},
    {"cluster": "eu-west-1", "env": "prod"},
    {"cluster": "eu-west-1", "env": "dev", "region": "eu-1"},
    {"cluster": "eu-west-1", "env": "dev", "region": "us-east-1"},
    {"env": "prod"},
    {"env": "dev"},
    {"severity": "critical"},
    {"service": "checkout", "severity": "critical", "alertname": "SLOErrorBudgetBurn", "slo": "availability"},
]
"""Label sets through monaco's subtree, the team's routes, the team default, and the base config's own routes
(`match`, `match_re` with `continue`, `!=` and `!~` matchers) and its root receiver."""


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, ...]]]:
    """The compiled alertmanager.yml of the routing workspace, and monaco's answer for every label set."""
    root = write_workspace(tmp_path_factory.mktemp("routes"))
    session = engine.load([root / "specs"], [root / "targets"])
    assert not session.diagnostics.has_errors, list(session.diagnostics)
    assert session.model is not None
    target = next(t for t in session.targets if t.name == "am")
    backend, result = engine.render(session, target, need_secrets=False)
    config = root / "alertmanager.yml"
    config.write_text(backend.compile_files(target, result.resources)["alertmanager.yml"])
    queries = [RouteQuery("labels", LABELS, tuple(sorted(ls.items())), None, "") for ls in LABEL_SETS]
    answers = backend.route_deliveries(session.model, target, result.resources, queries)
    return config, [tuple(item.name for item in answer or ()) for answer in answers]


@pytest.mark.parametrize(
    "index", range(len(LABEL_SETS)), ids=[",".join(f"{k}={v}" for k, v in ls.items()) for ls in LABEL_SETS]
)
def test_monaco_agrees_with_amtool(index: int, compiled: tuple[Path, list[tuple[str, ...]]]) -> None:
    """One label set: amtool's receivers (comma-joined, tree order; repeats dropped as monaco drops them) are
    exactly monaco's, and `--verify.receivers` with monaco's answer exits 0."""
    amtool = require_tool("amtool")
    config, answers = compiled
    labels = [f"{k}={v}" for k, v in LABEL_SETS[index].items()]
    command = [amtool, "config", "routes", "test", f"--config.file={config}", *labels]
    found = subprocess.run(command, capture_output=True, text=True, timeout=30, check=True).stdout.strip()
    assert tuple(dict.fromkeys(found.split(","))) == answers[index]
    verify = [*command[:4], f"--verify.receivers={','.join(answers[index])}", *command[4:]]
    if len(found.split(",")) == len(answers[index]):
        assert subprocess.run(verify, capture_output=True, text=True, timeout=30).returncode == 0


def test_the_table_covers_every_kind_of_answer(compiled: tuple[Path, list[tuple[str, ...]]]) -> None:
    """The label sets reach several receivers at once, the team default, base routes and the root receiver."""
    _, answers = compiled
    reached = {name for answer in answers for name in answer}
    assert {"payments-pager", "payments-slack", "payments-email", "db-hook", "platform-default"} <= reached
    assert {"platform-db", "platform-regex", "platform-not-prod"} <= reached
    assert any(len(answer) >= 2 for answer in answers)


def test_a_wrong_answer_is_caught_by_amtool(compiled: tuple[Path, list[tuple[str, ...]]]) -> None:
    """The comparison can fail: amtool rejects a receiver list that is not the real one (exit 1)."""
    amtool = require_tool("amtool")
    config, _ = compiled
    command = [amtool, "config", "routes", "test", f"--config.file={config}", "--verify.receivers=payments-email"]
    result = subprocess.run([*command, "service=checkout", "severity=critical"], capture_output=True, timeout=30)
    assert result.returncode == 1
