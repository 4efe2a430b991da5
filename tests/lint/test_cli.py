"""`monaco lint` end to end: the three output formats, exit codes, levels from Settings, and validate's opt-in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from monaco.cli.main import main
from monaco.diagnostic_codes import CODES
from monaco.lint.registry import RULES
from monaco.lint.runner import lint_in_validate
from tests.lint.workspace import load_case, write_case

SPEC = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: api, team: web}
alerts:
  - name: Down
    severity: critical
    for: 5m
    source: {prometheus: 'rate(x[1m]) > 0'}
    summary: down
  - name: Lost
    severity: low
    for: 5m
    source: {prometheus: 'vector(1) > 2'}
    summary: "never, 100%"
"""
"""MON1100 (warning, line 5), MON1103 (warning, line 8) and MON1105 (error, line 13)."""
CLEAN = SPEC.replace("team: web}", "team: web, runbook: https://r.example.com}").replace("[1m]", "[5m]")
CLEAN = CLEAN.replace("vector(1) > 2", "up == 0")


def _run(tmp_path: Path, spec: str, *args: str, settings: str | None = None) -> int:
    case: dict[str, Any] = {"spec": spec}
    if settings is not None:
        case["settings"] = settings
    write_case(tmp_path, case)
    return main(["lint", "--specs", str(tmp_path), "--targets", str(tmp_path), *args])


def test_text_output_is_the_diagnostic_format_and_an_error_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Text findings read `file:line:col: level[CODE]: message`, with the line, a caret and a hint."""
    assert _run(tmp_path, SPEC) == 1
    out = capsys.readouterr().out
    spec = tmp_path / "spec.yaml"
    assert f"{spec}:5:5: warning[MON1100]: alert Down pages (critical) but has no runbook" in out
    assert f"{spec}:8:33: warning[MON1103]: rate() over 1m" in out
    assert f"{spec}:13:26: error[MON1105]:" in out
    assert "   8 |     source: {prometheus: 'rate(x[1m]) > 0'}\n" in out
    assert "  hint: set `runbook:`" in out
    assert out.rstrip().endswith("lint: 1 error(s), 2 warning(s), 0 note(s)")


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """JSON lists every finding with code, level, rule, message, hint and position."""
    assert _run(tmp_path, SPEC, "--format", "json") == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["code"], f["level"], f["line"], f["col"]) for f in findings] == [
        ("MON1100", "warning", 5, 5),
        ("MON1103", "warning", 8, 33),
        ("MON1105", "error", 13, 26),
    ]
    assert findings[2]["rule"] == "no alert that can never fire"
    assert findings[2]["file"] == str(tmp_path / "spec.yaml")
    assert findings[0]["hint"].startswith("set `runbook:`")


def test_github_annotations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One workflow command per finding: `::warning file=…,line=…,col=…,title=CODE::message`, `::error` for errors."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    assert _run(tmp_path, SPEC, "--format", "github") == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("::warning file=spec.yaml,line=5,col=5,title=MON1100::alert Down pages (critical)")
    assert lines[1].startswith("::warning file=spec.yaml,line=8,col=33,title=MON1103::rate() over 1m")
    assert lines[2].startswith("::error file=spec.yaml,line=13,col=26,title=MON1105::the condition compares")
    assert all("\n" not in line and "%0A" not in line.split("::", 2)[1] for line in lines)


def test_github_paths_are_relative_to_the_checkout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under Actions, `file=` is relative to $GITHUB_WORKSPACE wherever monaco runs from."""
    (tmp_path / "repo" / "monitoring").mkdir(parents=True)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path / "repo"))
    monkeypatch.chdir(tmp_path / "repo" / "monitoring")
    assert _run(Path("."), SPEC, "--format", "github") == 1
    assert capsys.readouterr().out.startswith("::warning file=monitoring/spec.yaml,line=5,col=5,title=MON1100::")


def test_github_escapes_what_workflow_commands_reserve(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A message's `%` and newlines are escaped (%25, %0A) so one finding stays one annotation."""
    from monaco.diagnostics import Diagnostic, Level, Span
    from monaco.lint.formats import github

    text = github([Diagnostic("MON1105", "50%\nnext", Span("/a,b:c.yaml", 1, 2), None, Level.ERROR)], root="/")
    assert text == "::error file=a%2Cb%3Ac.yaml,line=1,col=2,title=MON1105::50%25%0Anext\n"


def test_clean_workspace_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No finding: exit 0 and `lint: no findings`; in every format."""
    assert _run(tmp_path, CLEAN) == 0
    assert capsys.readouterr().out == "lint: no findings\n"
    assert _run(tmp_path, CLEAN, "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == {"findings": []}
    assert _run(tmp_path, CLEAN, "--format", "github") == 0
    assert capsys.readouterr().out == ""


def test_warnings_alone_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Only error-level findings fail the command."""
    assert _run(tmp_path, SPEC.replace("vector(1) > 2", "up == 0")) == 0
    assert "warning[MON1103]" in capsys.readouterr().out


def test_settings_levels_change_the_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Settings turns the error off (exit 0) or raises a warning to an error (exit 1)."""
    settings = "apiVersion: monaco/v1\nkind: Settings\nlint:\n  levels: {MON1105: 'off', MON1100: info}\n"
    assert _run(tmp_path, SPEC, "--format", "json", settings=settings) == 0
    found = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["code"], f["level"]) for f in found] == [("MON1100", "info"), ("MON1103", "warning")]
    raised = "apiVersion: monaco/v1\nkind: Settings\nlint:\n  levels: {MON1103: error}\n"
    assert _run(tmp_path, CLEAN.replace("[5m]", "[1m]"), settings=raised) == 1
    assert "error[MON1103]" in capsys.readouterr().out


def test_a_level_for_an_unknown_code_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Level keys are lint codes and values a closed set: the Settings document does not load otherwise."""
    for levels, where in (("{MON120: 'off'}", "4:12: error[MON113]"), ("{MON1100: loud}", "4:21: error[MON115]")):
        bad = f"apiVersion: monaco/v1\nkind: Settings\nlint:\n  levels: {levels}\n"
        assert _run(tmp_path, CLEAN, settings=bad) == 1
        assert f"settings.yaml:{where}" in capsys.readouterr().err


def test_a_workspace_that_does_not_load_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Lint runs on a loaded workspace only; load errors are printed as validate prints them."""
    assert _run(tmp_path, SPEC.replace("severity: low", "severity: lowest")) == 1
    assert "error[MON204]" in capsys.readouterr().err


def test_validate_lints_only_when_settings_asks(tmp_path: Path) -> None:
    """Without Settings (or without `in_validate`) validate adds nothing; with it, the findings at their levels."""
    assert lint_in_validate(*_loaded(tmp_path / "a", None)) == []
    plain = "apiVersion: monaco/v1\nkind: Settings\n"
    assert lint_in_validate(*_loaded(tmp_path / "b", plain)) == []
    opted = plain + "lint: {in_validate: true, levels: {MON1103: 'off'}}\n"
    assert [d.code for d in lint_in_validate(*_loaded(tmp_path / "c", opted))] == ["MON1100", "MON1105"]


def _loaded(directory: Path, settings: str | None) -> tuple[Any, Any]:
    directory.mkdir()
    case: dict[str, Any] = {"spec": SPEC} if settings is None else {"spec": SPEC, "settings": settings}
    session = load_case(directory, case)
    return session.workspace, session.model


def test_each_rules_level_is_its_registered_level() -> None:
    """The code table (docs/diagnostics.md) gives each rule's default level and owner module."""
    for rule in RULES:
        assert CODES[rule.code].level == rule.level.value
        assert CODES[rule.code].owner.startswith("lint.")


def test_help_names_the_formats(capsys: pytest.CaptureFixture[str]) -> None:
    """`monaco lint --help` says what it does, its formats and an example."""
    with pytest.raises(SystemExit):
        main(["lint", "--help"])
    out = capsys.readouterr().out
    assert "{text,json,github}" in out and "monaco lint --format github" in out


def test_monaco_validate_reports_lint_findings_when_settings_opts_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command itself: an error-level lint finding fails validate only with `in_validate: true`."""
    plain = "apiVersion: monaco/v1\nkind: Settings\n"
    for name, settings, code in (("off", plain, 0), ("on", plain + "lint: {in_validate: true}\n", 1)):
        directory = tmp_path / name
        directory.mkdir()
        load_case(directory, {"spec": SPEC, "settings": settings})
        capsys.readouterr()
        specs = sorted(str(p) for p in directory.rglob("*.yaml"))
        assert main(["validate", *specs]) == code, capsys.readouterr().err
        assert ("MON1105" in capsys.readouterr().err) == (code == 1)
