"""Plan and apply on file targets: exit codes, empty plan after apply, one-line changes, stale plans, ownership."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli.workspace import make_workspace, run


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A fresh workspace with nothing applied yet."""
    return make_workspace(tmp_path)


def _plan_json(ws: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert run(ws, "plan", "--format", "json") == 0
    return json.loads(capsys.readouterr().out)


def test_plan_reports_changes_with_exit_code_2_and_apply_makes_it_empty(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before apply there are changes (exit 2); after apply the plan is empty (exit 0)."""
    assert run(ws, "plan", "--detailed-exitcode") == 2
    assert "Plan: 13 to add, 0 to change, 0 to destroy." in capsys.readouterr().out
    assert run(ws, "apply", "--auto-approve") == 0
    assert run(ws, "plan", "--detailed-exitcode") == 0
    assert "No changes." in capsys.readouterr().out
    assert (ws / "live" / "rules" / "monaco-checkout.rules.yml").read_text().startswith("# managed-by: monaco")


def test_plan_without_the_flag_exits_0_even_with_changes(ws: Path) -> None:
    """Without --detailed-exitcode, changes are not an error."""
    assert run(ws, "plan") == 0


def test_changing_one_threshold_plans_exactly_one_update(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A threshold edit shows as one in-place update with the field's old -> new."""
    assert run(ws, "apply", "--auto-approve") == 0
    spec = ws / "specs" / "checkout.yaml"
    spec.write_text(spec.read_text().replace("when: {above: 0.9}", "when: {above: 0.95}"))
    capsys.readouterr()
    assert run(ws, "plan", "--detailed-exitcode") == 2
    text = capsys.readouterr().out
    assert "~ rule_group.checkout" in text
    assert "> 0.9" in text and "> 0.95" in text
    assert text.rstrip().endswith("Plan: 0 to add, 1 to change, 0 to destroy.")
    plan = _plan_json(ws, capsys)
    changes = [c for t in plan["targets"] for c in t["changes"]]
    assert [(c["action"], c["key"]) for c in changes] == [("update", "rule_group.checkout")]
    assert plan["format_version"] == 1 and plan["summary"] == {"add": 0, "change": 1, "destroy": 0}


def test_saved_plan_applies_exactly_and_is_refused_when_live_changed(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`apply plan.json` refuses when what the plan read has changed since, and applies it otherwise."""
    assert run(ws, "apply", "--auto-approve") == 0
    spec = ws / "specs" / "checkout.yaml"
    spec.write_text(spec.read_text().replace("for: 10m", "for: 15m"))
    plan_file = ws / "plan.json"
    assert run(ws, "plan", "--out", str(plan_file)) == 0
    rules = ws / "live" / "rules" / "monaco-checkout.rules.yml"
    original = rules.read_text()
    rules.write_text(original.replace("severity: high", "severity: low"))
    capsys.readouterr()
    assert run(ws, "apply", str(plan_file)) == 1
    assert "changed since the plan was made: rule_group.checkout" in capsys.readouterr().err
    assert "severity: low" in rules.read_text()
    rules.write_text(original)
    assert run(ws, "apply", str(plan_file)) == 0
    assert "for: 15m" in rules.read_text()
    assert run(ws, "plan", "--detailed-exitcode") == 0


def test_a_same_named_file_without_the_owner_marker_is_refused(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """monaco never overwrites a file it does not own."""
    rules = ws / "live" / "rules"
    rules.mkdir(parents=True)
    foreign = "groups:\n  - name: checkout\n    rules: []\n"
    (rules / "monaco-checkout.rules.yml").write_text(foreign)
    capsys.readouterr()
    assert run(ws, "plan", "--detailed-exitcode") == 1
    err = capsys.readouterr().err
    assert "MON410" in err and "not managed by monaco" in err
    assert run(ws, "apply", "--auto-approve") == 1
    assert (rules / "monaco-checkout.rules.yml").read_text() == foreign


def test_removing_a_service_deletes_only_what_monaco_owns(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Deleting a spec destroys its owned rule file; a foreign file beside it is never touched."""
    assert run(ws, "apply", "--auto-approve") == 0
    foreign = ws / "live" / "rules" / "team-made.rules.yml"
    foreign.write_text("groups:\n  - name: handmade\n    rules: []\n")
    (ws / "specs" / "checkout.yaml").unlink()
    capsys.readouterr()
    assert run(ws, "plan", "--detailed-exitcode") == 2
    text = capsys.readouterr().out
    assert "- rule_group.checkout" in text and "handmade" not in text
    assert run(ws, "apply", "--auto-approve") == 0
    assert not (ws / "live" / "rules" / "monaco-checkout.rules.yml").exists()
    assert foreign.exists()
    assert run(ws, "plan", "--detailed-exitcode") == 0


def test_markdown_plan_is_a_pull_request_comment(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Markdown output has a summary table and a diff block per change."""
    capsys.readouterr()
    assert run(ws, "plan", "--format", "markdown") == 0
    text = capsys.readouterr().out
    assert text.startswith("### monaco plan")
    assert "| `prom` | prometheus | 3 | 0 | 0 | 0 |" in text
    assert text.count("```diff") == 13


def test_apply_without_approval_refuses_when_not_interactive(ws: Path) -> None:
    """In CI, apply needs --auto-approve or a saved plan; nothing is written otherwise."""
    assert run(ws, "apply") == 1
    assert not (ws / "live").exists()


def test_apply_syncs_what_it_writes_and_compile_does_not(
    ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """apply's files survive a crash (each file and its directory synced); compile's output, made again from the
    specs at will, is written without a sync per file, yet whole: the same bytes apply wrote."""
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    assert run(ws, "compile", "--out", str(tmp_path / "out")) == 0
    compiled = sorted((tmp_path / "out" / "prom").iterdir())
    assert compiled and synced == []
    assert run(ws, "apply", "--auto-approve") == 0
    assert len(synced) >= 2 * len(compiled)  # each rule file and its directory
    for path in compiled:
        assert (ws / "live" / "rules" / path.name).read_text() == path.read_text()
