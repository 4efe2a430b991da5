"""Render does no I/O on any backend: what it needs (a base config) was read with the workspace."""

from __future__ import annotations

import builtins
import pathlib
from pathlib import Path
from typing import Any

import pytest

from monaco import engine
from monaco.plan.yamltext import dump_yaml

CASE = Path(__file__).resolve().parent / "golden" / "cases" / "checkout"


def _no_io(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError(f"render touched the file system: {args[:1]}")


def test_rendering_every_target_reads_no_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the file system closed after loading, every target renders exactly as before."""
    session = engine.load([CASE / "specs"], [CASE / "targets"])
    assert session.targets and not session.diagnostics.has_errors
    before = {t.name: dump_yaml([r.to_json() for r in engine.render(session, t)[1].resources]) for t in session.targets}
    for name in ("read_text", "read_bytes", "open", "exists", "is_dir", "is_file", "iterdir", "stat"):
        monkeypatch.setattr(pathlib.Path, name, _no_io)
    monkeypatch.setattr(builtins, "open", _no_io)
    after = {t.name: dump_yaml([r.to_json() for r in engine.render(session, t)[1].resources]) for t in session.targets}
    assert after == before
