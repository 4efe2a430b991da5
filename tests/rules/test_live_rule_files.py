"""Reading live rule files knowing what render made gives exactly what parsing them gives, parsing only what differs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from monaco import engine
from monaco.backends.base import LiveState, Target
from monaco.backends.ownership import owner_header
from monaco.backends.prometheus import live
from monaco.backends.prometheus.backend import PrometheusBackend
from monaco.plan.model import Resource

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(
    p
    for p in (REPO / "examples").iterdir()
    if any("backend: prometheus\n" in f.read_text() for f in p.glob("targets/*.yaml"))
)


def _written(root: Path) -> tuple[Target, list[Resource], Path]:
    """The workspace's first Prometheus target, what it renders, and its rules directory holding those files."""
    session = engine.load([root / "specs"], [root / "targets"])
    target = next(t for t in session.targets if t.backend == "prometheus")
    _, rendered = engine.render(session, target, need_secrets=False)
    rules_dir = target.path(target.config.rules_dir)  # type: ignore[attr-defined]
    shutil.rmtree(rules_dir, ignore_errors=True)
    rules_dir.mkdir(parents=True)
    for name, text in PrometheusBackend().compile_files(target, rendered.resources).items():
        (rules_dir / name).write_text(text, encoding="utf-8")
    return target, rendered.resources, rules_dir


def _both(target: Target, desired: list[Resource], monkeypatch: pytest.MonkeyPatch) -> tuple[LiveState, LiveState, int]:
    """(read_live, read_live_knowing, how many files the second parsed)."""
    backend = PrometheusBackend()
    plain = backend.read_live(target)
    parsed: list[str] = []
    real = live.load_one_yaml
    monkeypatch.setattr(live, "load_one_yaml", lambda text: parsed.append(text) or real(text))
    knowing = backend.read_live_knowing(target, desired)
    return plain, knowing, len(parsed)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_unchanged_files_are_not_parsed_and_read_the_same(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every example's rule files as apply writes them: the same resources, field for field, none parsed."""
    shutil.copytree(example, tmp_path / "ws")
    target, desired, _ = _written(tmp_path / "ws")
    plain, knowing, parsed = _both(target, desired, monkeypatch)
    assert plain.resources and knowing.resources == plain.resources
    assert knowing.diagnostics == plain.diagnostics and parsed == 0


def test_an_edited_a_foreign_and_a_hand_written_file_are_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file edited by hand differs from what monaco writes: it alone is parsed, and reads as it now is."""
    shutil.copytree(REPO / "examples" / "http-api", tmp_path / "ws")
    target, desired, rules_dir = _written(tmp_path / "ws")
    edited = sorted(rules_dir.iterdir())[0]
    edited.write_text(edited.read_text().replace("for: ", "for: 1", 1), encoding="utf-8")
    (rules_dir / "team.rules.yml").write_text("groups:\n  - name: mine\n    rules: []\n", encoding="utf-8")
    other = owner_header("other") + "groups:\n  - name: theirs\n    rules: []\n"
    (rules_dir / "monaco-theirs.rules.yml").write_text(other, encoding="utf-8")
    plain, knowing, parsed = _both(target, desired, monkeypatch)
    assert knowing.resources == plain.resources and parsed == 2  # the edited file and the hand-written one
    assert ("rule_file.monaco-theirs.rules.yml", False) in {(r.key, r.owned) for r in knowing.resources}
    group = next(r for r in knowing.resources if r.kind == "rule_group" and r.body["file"] == edited.name)
    assert group.body != next(r for r in desired if r.key == group.key).body
