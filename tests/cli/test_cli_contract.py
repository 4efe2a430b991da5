"""The CLI contract CI scripts rely on: help everywhere, exit codes, `python -m monaco`, a lean import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from monaco.cli.main import main

REPO = Path(__file__).resolve().parents[2]
COMMANDS = ["validate", "compile", "plan", "apply", "schema", "test", "lint", "routes", "drill", "docs"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`monaco COMMAND --help` prints usage and exits 0."""
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert f"usage: monaco {command}" in capsys.readouterr().out


def test_python_dash_m_runs_and_does_not_import_cloud_sdks() -> None:
    """`python -m monaco --help` works, and loads neither boto3 nor the GCP/Azure SDKs nor jinja2."""
    probe = (
        "import sys, runpy; sys.argv=['monaco','--help']\n"
        "try:\n    runpy.run_module('monaco', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "heavy=[m for m in ('boto3','botocore','google.cloud','azure','jinja2','jsonschema') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True)
    assert "usage: monaco" in result.stdout
    assert "HEAVY []" in result.stdout


def test_validate_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """0 for the repo's own specs, 1 for a broken file, with a positioned diagnostic."""
    assert main(["validate", str(REPO / "specs"), str(REPO / "targets")]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: monaco/v1\nkind: Service\nmetadata: {name: x, team: y}\nalerts: 3\n")
    capsys.readouterr()
    assert main(["validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:4:9: error[MON114]" in err
    assert "   4 | alerts: 3" in err and "^" in err


def test_output_is_plain_when_not_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No ANSI colour codes when stdout is not a terminal (CI logs)."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Nope\n")
    main(["validate", str(bad)])
    captured = capsys.readouterr()
    assert "\x1b[" not in captured.err + captured.out


def test_schema_prints_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """`monaco schema` exits 0 with a JSON Schema naming every document kind."""
    assert main(["schema"]) == 0
    out = capsys.readouterr().out
    for kind in ("ServiceSpec", "TeamSpec", "SettingsSpec", "TargetSpec"):
        assert kind in out


def test_committed_schema_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    """The committed schema equals what the models generate; regenerate with `monaco schema > monaco/schema/monaco-v1.json`."""
    assert main(["schema"]) == 0
    committed = (REPO / "monaco" / "schema" / "monaco-v1.json").read_text()
    assert capsys.readouterr().out == committed


def test_unknown_target_name_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    """`--target` must name a defined target."""
    code = main(["plan", "--specs", str(REPO / "specs"), "--targets", str(REPO / "targets"), "--target", "nope"])
    assert code == 1
    assert "MON131" in capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_help_says_what_it_does_with_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`monaco X --help` has a sentence on what X does and at least one `monaco X` example."""
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and f"  monaco {command}" in out


def test_validate_takes_specs_and_targets_like_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    """`validate --specs ... --targets ...` checks exactly those, like plan and apply (and paths still work)."""
    specs, targets = str(REPO / "specs"), str(REPO / "targets")
    assert main(["validate", "--specs", specs, "--targets", targets]) == 0
    assert "Valid: 1 services, " in capsys.readouterr().err
    assert main(["validate", specs]) == 0
    assert "Valid: 1 services, 0 targets." in capsys.readouterr().err
