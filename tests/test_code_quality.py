"""The code stays as the standards say: ruff clean, mypy --strict clean, layers pointing one way."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.import_contracts import backend_packages, contracts_ini

REPO = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    executable = shutil.which(command[0], path=str(Path(sys.executable).parent)) or shutil.which(command[0])
    if executable is None:
        pytest.fail(f"{command[0]} is not installed; it comes with the `test` extra")
    return subprocess.run([executable, *command[1:]], cwd=REPO, capture_output=True, text=True, check=False)


def test_ruff_is_clean() -> None:
    """`ruff check` finds nothing in the package or the tests."""
    result = _run("ruff", "check", "monaco", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean() -> None:
    """`mypy` (strict, configured in pyproject.toml) finds nothing in the package."""
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_layers_point_one_way(tmp_path: Path) -> None:
    """import-linter: cli > engine > backends > plan > ir > spec > diagnostics; registered backends independent."""
    config = tmp_path / "importlinter.ini"
    config.write_text(contracts_ini(REPO / "pyproject.toml"), encoding="utf-8")
    result = _run("lint-imports", "--no-cache", str(config))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout, result.stdout


def test_every_registered_backend_is_under_the_independence_contract() -> None:
    """The generated contract lists exactly the registry's sub-packages."""
    ini = contracts_ini(REPO / "pyproject.toml")
    independence = ini.split("type = independence", 1)[1].split("[importlinter", 1)[0]
    listed = sorted(line.strip() for line in independence.splitlines() if line.startswith("    "))
    assert listed == backend_packages() and "monaco.backends.aws_cloudwatch" in listed
