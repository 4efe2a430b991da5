"""The default target: provisioning files in a directory; plan diffs the files, apply writes only its own."""

from __future__ import annotations

import json
from pathlib import Path

from tests.grafana_dashboards.helpers import Workspace, ws

__all__ = ["ws"]
CONFIG = {"dashboards_dir": "../live/grafana", "grafana_path": "/etc/grafana/dashboards/monaco"}


def _live(ws: Workspace) -> Path:
    return ws.root / "live" / "grafana"


def test_plan_apply_plan_is_empty_and_the_provider_points_at_grafanas_path(ws: Workspace) -> None:
    """Two files created (dashboard and provider YAML), then nothing to do; the YAML names folder and path."""
    ws.write(CONFIG)
    planned = ws.run("plan", "--detailed-exitcode", "--compact")
    assert planned.code == 2 and "Plan: 2 to add, 0 to change, 0 to destroy." in planned.output, planned.output
    ws.converge()
    assert sorted(p.name for p in _live(ws).iterdir()) == ["monaco-checkout.json", "monaco-grafana-test.provider.yaml"]
    provider = (_live(ws) / "monaco-grafana-test.provider.yaml").read_text(encoding="utf-8")
    assert provider.startswith("# managed-by: monaco\n# monaco-target: grafana-test\n")
    assert "path: /etc/grafana/dashboards/monaco" in provider and "folderUid: monaco" in provider


def test_a_spec_change_updates_the_dashboard_file_only(ws: Workspace) -> None:
    """A new CPU threshold is a one-resource update of the dashboard's threshold step."""
    ws.write(CONFIG)
    ws.converge()
    ws.edit("checkout", "when: {above: 0.9}", "when: {above: 0.75}")
    planned = ws.run("plan", "--detailed-exitcode")
    assert planned.code == 2 and "Plan: 0 to add, 1 to change, 0 to destroy." in planned.output, planned.output
    assert "0.9 -> 0.75" in planned.output, planned.output
    ws.converge()
    board = json.loads((_live(ws) / "monaco-checkout.json").read_text(encoding="utf-8"))
    cpu = next(p for p in board["panels"] if p["title"] == "HighCPU (high)")
    assert cpu["fieldConfig"]["defaults"]["thresholds"]["steps"][1]["value"] == 0.75


def test_a_hand_written_file_of_the_same_name_is_refused_and_left_alone(ws: Workspace) -> None:
    """MON410 names the file's holder; apply exits 1 and the hand-made file is byte-identical."""
    ws.write(CONFIG)
    _live(ws).mkdir(parents=True)
    mine = _live(ws) / "monaco-checkout.json"
    mine.write_text('{"title": "checkout", "uid": "monaco-checkout", "tags": ["ops"]}\n', encoding="utf-8")
    before = mine.read_bytes()
    planned = ws.run("plan")
    assert planned.code == 1 and "MON410" in planned.stderr and "not managed by monaco" in planned.stderr, (
        planned.output
    )
    assert ws.run("apply", "--auto-approve").code == 1
    assert mine.read_bytes() == before


def test_another_targets_files_are_never_touched_and_an_orphan_of_ours_is_deleted(ws: Workspace) -> None:
    """A dashboard of target `other` in the same directory stays; a service retired from the specs is deleted."""
    ws.write(CONFIG)
    ws.converge()
    other = _live(ws) / "monaco-billing.json"
    other.write_text(json.dumps({"title": "billing", "tags": ["monaco", "monaco-target:other"]}), encoding="utf-8")
    ws.edit("checkout", "name: checkout,", "name: checkout2,")
    planned = ws.run("plan", "--compact")
    assert "- dashboard.monaco-checkout" in planned.output and "+ dashboard.monaco-checkout2" in planned.output
    assert "billing" not in planned.output, planned.output
    ws.converge()
    assert sorted(p.name for p in _live(ws).iterdir()) == [
        "monaco-billing.json",
        "monaco-checkout2.json",
        "monaco-grafana-test.provider.yaml",
    ]


def test_a_file_that_is_not_json_is_a_warning_and_is_refused_if_in_the_way(ws: Workspace) -> None:
    """MON604 for a broken file; when it holds a name monaco wants, MON410 too."""
    ws.write(CONFIG)
    _live(ws).mkdir(parents=True)
    (_live(ws) / "monaco-checkout.json").write_text("{not json", encoding="utf-8")
    planned = ws.run("plan")
    assert planned.code == 1 and "MON604" in planned.stderr and "MON410" in planned.stderr, planned.output
