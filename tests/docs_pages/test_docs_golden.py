"""Golden files: the pages `monaco docs` writes for the repo's own workspace and the grafana-mimir example.

Regenerate on purpose with `pytest tests/docs_pages --update-golden` (or MONACO_UPDATE_GOLDEN=1) and
read the diff in review.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from monaco.cli.main import main

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
WORKSPACES = Path(__file__).parent / "workspaces"
CASES = {
    "repo": (REPO / "specs", REPO / "targets"),
    "grafana-mimir": (REPO / "examples/grafana-mimir/specs", REPO / "examples/grafana-mimir/targets"),
    "edge": (WORKSPACES / "edge/specs", WORKSPACES / "edge/targets"),
}


def write_docs(specs: Path, targets: Path, out: Path) -> dict[str, str]:
    """Run `monaco docs` into `out` and return every file under it (relative path -> text)."""
    assert main(["docs", "--specs", str(specs), "--targets", str(targets), "--out", str(out)]) == 0
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_pages_match_golden_files(case: str, tmp_path: Path, update_golden: bool) -> None:
    """Every page equals its golden copy, and no page is missing or extra."""
    produced = write_docs(*CASES[case], tmp_path / "out")
    expected_dir = GOLDEN / case
    if update_golden:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for name, text in produced.items():
            (expected_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / name).write_text(text, encoding="utf-8")
    expected = {
        p.relative_to(expected_dir).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(expected_dir.rglob("*"))
        if p.is_file()
    }
    assert sorted(produced) == sorted(expected)
    for name, text in produced.items():
        assert text == expected[name], f"{name} differs from its golden file; rerun with --update-golden if intended"


@pytest.mark.parametrize("case", sorted(CASES))
def test_docs_are_deterministic(case: str, tmp_path: Path) -> None:
    """The same workspace gives the same pages, byte for byte, run after run."""
    assert write_docs(*CASES[case], tmp_path / "a") == write_docs(*CASES[case], tmp_path / "b")
