"""The code stays as the standards say: ruff clean, mypy --strict clean, layers pointing one way."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_layers_point_one_way() -> None:
    """import-linter: cli > engine > backends > plan > ir > spec > diagnostics; backends independent."""
    result = _run("lint-imports")
    assert result.returncode == 0, result.stdout + result.stderr
