"""validate accepts what the workspace's Prometheus accepts (issue 7): names, ladders, versions, arbitration."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from monaco import engine
from monaco.backends.promrules import promtool_check
from monaco.backends.promrules.promql import parse_query
from monaco.backends.promrules.promql_versions import FUNCTIONS, availability
from monaco.cli.main import main
from monaco.diagnostics import Level
from tests.conftest import require_tool

SETTINGS = "apiVersion: monaco/v1\nkind: Settings\nprometheus_version: '{version}'\n---\n"
SERVICE = """apiVersion: monaco/v1
kind: Service
metadata: {{name: api, team: web}}
alerts:
{alerts}
"""
TARGET = """apiVersion: monaco/v1
kind: Target
metadata: {name: prom}
backend: prometheus
config: {rules_dir: live}
"""


def _promtool() -> str:
    return require_tool("promtool")


def _workspace(tmp_path: Path, alerts: str, version: str | None = None) -> engine.Session:
    (tmp_path / "specs").mkdir(parents=True)
    (tmp_path / "targets").mkdir()
    settings = SETTINGS.format(version=version) if version else ""
    (tmp_path / "specs" / "api.yaml").write_text(settings + SERVICE.format(alerts=alerts))
    (tmp_path / "targets" / "prom.yaml").write_text(TARGET)
    return engine.load([tmp_path / "specs"], [tmp_path / "targets"])


def _errors(session: engine.Session) -> list[str]:
    return [f"{d.code}: {d.message}" for d in session.diagnostics if d.level is Level.ERROR]


def _compiled_rules_pass_promtool(session: engine.Session, tmp_path: Path) -> str:
    """Compile the Prometheus target, run `promtool check rules` on it, return the rules text."""
    target = session.targets[0]
    backend, result = engine.render(session, target, need_secrets=False)
    assert not _errors(session)
    files = backend.compile_files(target, result.resources)
    texts = []
    for name, text in files.items():
        path = tmp_path / "out" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        checked = subprocess.run([_promtool(), "check", "rules", str(path)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        texts.append(text)
    return "\n".join(texts)


def test_any_alert_name_prometheus_allows_validates_and_compiles(tmp_path: Path) -> None:
    """`( ) - / % > <` and spaces were refused (MON113); promtool accepts them."""
    name = "HostDiskFull (>90%) - /data <root>"
    session = _workspace(
        tmp_path, f'  - {{name: "{name}", severity: high, source: {{prometheus: up == 0}}, summary: s}}'
    )
    assert _errors(session) == []
    assert f"alert: {name}" in _compiled_rules_pass_promtool(session, tmp_path)


def test_a_severity_ladder_validates_and_compiles_into_one_group(tmp_path: Path) -> None:
    """The same name at two severities is the warning/critical ladder, not a duplicate (was MON202)."""
    alerts = (
        "  - {name: DiskFull, severity: medium, when: {above: 80}, source: {prometheus: disk_used}, summary: s}\n"
        "  - {name: DiskFull, severity: critical, when: {above: 95}, source: {prometheus: disk_used}, summary: s}"
    )
    session = _workspace(tmp_path, alerts)
    assert _errors(session) == []
    assert session.model is not None
    assert [a.key for a in session.model.services[0].alerts] == ["DiskFull.medium", "DiskFull.critical"]
    text = _compiled_rules_pass_promtool(session, tmp_path)
    assert text.count("alert: DiskFull") == 2 and text.count("- name:") == 1


def test_an_explicit_id_tells_same_name_same_severity_alerts_apart(tmp_path: Path) -> None:
    """With `id:` two alerts may share name and severity; the id is their key."""
    alerts = (
        "  - {name: Down, id: down-eu, severity: high, source: {prometheus: 'up{region=\"eu\"} == 0'}, summary: s}\n"
        "  - {name: Down, id: down-us, severity: high, source: {prometheus: 'up{region=\"us\"} == 0'}, summary: s}"
    )
    session = _workspace(tmp_path, alerts)
    assert _errors(session) == []
    assert session.model is not None
    assert [a.key for a in session.model.services[0].alerts] == ["down-eu", "down-us"]


def test_holt_winters_validates_and_compiles_for_2_42(tmp_path: Path) -> None:
    """holt_winters is 2.x PromQL: the in-process (3.x) parser refused it."""
    query = "holt_winters(node_load1[1h], 0.5, 0.5) > 4"
    session = _workspace(
        tmp_path, f"  - {{name: Trend, severity: high, source: {{prometheus: '{query}'}}, summary: s}}"
    )
    assert _errors(session) == []
    assert query in _compiled_rules_pass_promtool(session, tmp_path)


def test_functions_3x_added_are_refused_for_2_42_and_accepted_for_3x(tmp_path: Path) -> None:
    """A 2.42 workspace refuses what promtool 2.42 refuses; a 3.5 one accepts it (with a flag warning)."""
    alerts = "  - {name: Top, severity: high, source: {prometheus: 'limitk(2, up) == 0'}, summary: s}"
    assert [e.split(":")[0] for e in _errors(_workspace(tmp_path / "a", alerts))] == ["MON123"]
    session = _workspace(tmp_path / "b", alerts, version="3.5")
    assert _errors(session) == []
    assert [d.code for d in session.diagnostics if d.level is Level.WARNING] == ["MON124"]


def test_function_table_agrees_with_promtool_2_42() -> None:
    """Every function the table says 2.42 lacks is unknown to promtool 2.42, and every other one is known."""
    promtool = promtool_check.arbiter_for((2, 42))
    assert promtool is not None, "the toolchain here is promtool 2.42"
    verdicts = promtool_check._run(promtool, [f"{name}()" for name in FUNCTIONS])
    assert verdicts is not None
    for name, feature in FUNCTIONS.items():
        unknown = "unknown function with name" in verdicts[f"{name}()"].message
        assert unknown == (availability(feature, (2, 42)) in ("missing", "removed")), name


def test_promtool_overrules_the_in_process_parser(tmp_path: Path) -> None:
    """RE2's `\\Q...\\E` is valid in Prometheus; the in-process (Rust regex) parser refuses it."""
    query = 'up{job=~"\\\\Qapi.v1\\\\E"} == 0'
    assert parse_query(query).tree is None
    session = _workspace(tmp_path, f"  - {{name: Down, severity: high, source: {{prometheus: '{query}'}}, summary: s}}")
    assert _errors(session) == []
    _compiled_rules_pass_promtool(session, tmp_path)


def test_a_condition_without_a_number_is_a_diagnostic_not_a_crash(tmp_path: Path) -> None:
    """`when: {above: null}` passed validation and failed lowering with an AssertionError."""
    session = _workspace(
        tmp_path, "  - {name: A, severity: high, when: {above: null}, source: {prometheus: up}, summary: s}"
    )
    assert _errors(session) == ["MON114: alerts.0.when.above: a condition needs a number, not null"]


@pytest.mark.parametrize("command", ["validate", "plan"])
def test_an_empty_spec_file_named_on_the_command_line_is_reported(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A named file with no documents was accepted silently."""
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing here yet\n")
    (tmp_path / "targets").mkdir()
    (tmp_path / "targets" / "prom.yaml").write_text(TARGET)
    if command == "validate":
        assert main(["validate", str(empty)]) == 0
    else:
        assert main(["plan", "--specs", str(empty), "--targets", str(tmp_path / "targets")]) == 0
    err = capsys.readouterr().err
    assert f"{empty}:1:1: warning[MON106]: file holds no documents" in err
