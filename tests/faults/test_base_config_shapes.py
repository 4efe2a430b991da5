"""An Alertmanager base config whose receivers, routes or inhibit rules have the wrong type is a MON303
diagnostic at the key in the base file, with a hint, never a TypeError."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.workspace import bounded_run, workspace

BASE_HEAD = "global:\n  resolve_timeout: 5m\n"


@pytest.mark.parametrize(
    ("tail", "line", "col", "words"),
    [
        ("route:\n  receiver: ops\nreceivers: 3\n", 5, 1, "`receivers` is a number (3), not a list"),
        ("route:\n  receiver: ops\nreceivers: ops\n", 5, 1, "`receivers` is a string ('ops'), not a list"),
        ("route:\n  receiver: ops\n  routes: 7\nreceivers: [{name: ops}]\n", 5, 3, "`route.routes` is a number"),
        ("route:\n  receiver: ops\nreceivers: [{name: ops}]\ninhibit_rules: nope\n", 6, 1, "`inhibit_rules` is a"),
        ("route:\n  receiver: ops\nreceivers: [ops]\n", 5, 1, "`receivers` holds an entry that is not a mapping"),
        ("route: 12\nreceivers: [{name: ops}]\n", 3, 1, "has a `route` that is a number (12)"),
        ("route:\n  receiver: [ops]\nreceivers: [{name: ops}]\n", 4, 3, "`route.receiver` is a list"),
    ],
)
def test_a_base_config_of_the_wrong_shape_is_a_diagnostic_at_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tail: str, line: int, col: int, words: str
) -> None:
    """`monaco plan` exits 1 and names the base file, the key's line:col, the problem and a hint."""
    ws = workspace(tmp_path / "ws")
    base = ws / "targets" / "_base" / "alertmanager.yml"
    base.write_text(BASE_HEAD + tail)
    outcome = bounded_run(ws, capsys, "plan")
    assert outcome.code == 1, outcome.output
    assert f"{base}:{line}:{col}: error[MON303]" in outcome.output, outcome.output
    assert words in outcome.output, outcome.output
    assert "hint:" in outcome.output or "help:" in outcome.output, outcome.output
    assert not (ws / "live" / "alertmanager.yml").exists()


def test_a_base_config_with_a_yaml_error_points_at_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A syntax error in the base file is reported at its own line, not at the target."""
    ws = workspace(tmp_path / "ws")
    base = ws / "targets" / "_base" / "alertmanager.yml"
    base.write_text("route:\n  receiver: ops\nreceivers: [{name: ops}\n")
    outcome = bounded_run(ws, capsys, "plan")
    assert outcome.code == 1, outcome.output
    assert f"{base}:4:1: error[MON303]: cannot parse base config" in outcome.output, outcome.output
