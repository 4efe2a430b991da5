"""Golden files: what `monaco compile` writes for each case, byte for byte.

Regenerate on purpose with `pytest tests/golden --update-golden` (or MONACO_UPDATE_GOLDEN=1) and read
the diff in review.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from monaco.cli.main import main

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if p.is_dir())


def _compile(case: Path, out: Path) -> dict[str, str]:
    code = main(["compile", "--specs", str(case / "specs"), "--targets", str(case / "targets"), "--out", str(out)])
    assert code == 0
    return {str(p.relative_to(out)): p.read_text() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_compiled_output_matches_golden_files(case: Path, tmp_path: Path, update_golden: bool) -> None:
    """Every compiled file equals its golden copy, and no file is missing or extra."""
    produced = _compile(case, tmp_path / "out")
    expected_dir = case / "expected"
    if update_golden:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for name, text in produced.items():
            (expected_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / name).write_text(text)
    expected = {str(p.relative_to(expected_dir)): p.read_text() for p in sorted(expected_dir.rglob("*")) if p.is_file()}
    assert sorted(produced) == sorted(expected)
    for name, text in produced.items():
        assert text == expected[name], f"{name} differs from its golden file; rerun with --update-golden if intended"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_compile_is_deterministic(case: Path, tmp_path: Path) -> None:
    """The same specs give the same bytes, run after run."""
    assert _compile(case, tmp_path / "a") == _compile(case, tmp_path / "b")
