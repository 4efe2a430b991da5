"""Targets sharing one rules directory keep to their own files; targets that would write the same file are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from monaco.cli.main import main
from tests.cli.workspace import make_workspace, run

TWO_TARGETS_ONE_DIR = """\
apiVersion: monaco/v1
kind: Target
metadata: {name: prod-rules}
backend: prometheus
select: {env: prod}
config: {rules_dir: ../live/rules}
---
apiVersion: monaco/v1
kind: Target
metadata: {name: staging-rules}
backend: prometheus
select: {env: staging}
config: {rules_dir: ../live/rules}
"""

STAGING_SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: search, team: payments, labels: {env: staging}}
alerts:
  - name: SearchDown
    severity: high
    source: {prometheus: 'up{job="search"} == 0'}
    summary: search is down
"""


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A workspace with a prod and a staging service and two Prometheus targets writing one directory."""
    root = make_workspace(tmp_path)
    (root / "specs" / "search.yaml").write_text(STAGING_SERVICE)
    (root / "targets" / "targets.yaml").write_text(TWO_TARGETS_ONE_DIR)
    return root


def test_two_targets_in_one_directory_converge(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each target applies its own file and deletes neither the other's; both plans are then empty."""
    assert run(ws, "apply", "--auto-approve") == 0
    files = sorted(p.name for p in (ws / "live" / "rules").iterdir())
    assert files == ["monaco-checkout.rules.yml", "monaco-search.rules.yml"]
    for _ in range(2):
        capsys.readouterr()
        assert run(ws, "plan", "--detailed-exitcode") == 0, capsys.readouterr().out
        assert run(ws, "apply", "--auto-approve") == 0
    assert sorted(p.name for p in (ws / "live" / "rules").iterdir()) == files
    assert "# monaco-target: staging-rules" in (ws / "live" / "rules" / "monaco-search.rules.yml").read_text()


def test_a_service_leaving_one_target_is_deleted_there_only(ws: Path) -> None:
    """An orphan is deleted by the target that wrote it, never by its neighbour."""
    assert run(ws, "apply", "--auto-approve") == 0
    (ws / "specs" / "search.yaml").unlink()
    assert run(ws, "apply", "--auto-approve", "--target", "prod-rules") == 0
    assert (ws / "live" / "rules" / "monaco-search.rules.yml").exists()
    assert run(ws, "apply", "--auto-approve", "--target", "staging-rules") == 0
    assert not (ws / "live" / "rules" / "monaco-search.rules.yml").exists()
    assert (ws / "live" / "rules" / "monaco-checkout.rules.yml").exists()


def test_targets_that_would_write_the_same_file_are_a_validate_error(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Overlapping selections into one directory cannot coexist: validate says so at the target."""
    targets = ws / "targets" / "targets.yaml"
    targets.write_text(targets.read_text().replace("select: {env: staging}", "select: {}"))
    assert main(["validate", str(ws / "specs"), "--targets", str(ws / "targets")]) == 1
    err = capsys.readouterr().err
    assert "MON132" in err and "targets prod-rules and staging-rules would both write" in err
    assert "targets.yaml:10:18:" in err


def test_a_file_another_target_wrote_is_refused_not_overwritten(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A same-named file written by a target no longer defined is refused with its owner named."""
    assert run(ws, "apply", "--auto-approve") == 0
    path = ws / "live" / "rules" / "monaco-checkout.rules.yml"
    path.write_text(path.read_text().replace("# monaco-target: prod-rules", "# monaco-target: old-prod"))
    before = path.read_text()
    capsys.readouterr()
    assert run(ws, "plan") == 1
    assert "belongs to target old-prod" in capsys.readouterr().err
    assert path.read_text() == before


def _as_written_by_an_older_monaco(path: Path) -> None:
    path.write_text(
        "".join(line for line in path.read_text().splitlines(True) if not line.startswith("# monaco-target:"))
    )


def test_a_file_from_an_older_monaco_is_adopted_by_the_target_that_would_write_it(ws: Path) -> None:
    """A marker without a target line is claimed by the target whose services it holds, and gets its name."""
    assert run(ws, "apply", "--auto-approve") == 0
    path = ws / "live" / "rules" / "monaco-search.rules.yml"
    _as_written_by_an_older_monaco(path)
    assert run(ws, "plan", "--detailed-exitcode") == 0
    spec = ws / "specs" / "search.yaml"
    spec.write_text(spec.read_text().replace("search is down", "search is down!"))
    assert run(ws, "apply", "--auto-approve") == 0
    assert "# monaco-target: staging-rules" in path.read_text()


def test_an_unclaimed_file_from_an_older_monaco_is_left_alone_with_a_warning(
    ws: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No target would write it, so none deletes it: the plan warns (MON411) and changes nothing."""
    assert run(ws, "apply", "--auto-approve") == 0
    path = ws / "live" / "rules" / "monaco-search.rules.yml"
    _as_written_by_an_older_monaco(path)
    (ws / "specs" / "search.yaml").unlink()
    capsys.readouterr()
    assert run(ws, "apply", "--auto-approve") == 0
    out = capsys.readouterr()
    assert "MON411" in out.err and "monaco-search.rules.yml" in out.err
    assert path.exists()
