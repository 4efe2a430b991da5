"""Fixtures for the tool checks: every workspace compiled once per test session."""

from __future__ import annotations

import pytest

from tests.tools.workspaces import Compiled, all_workspaces, compile_workspace


@pytest.fixture(scope="session")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Compiled]:
    """Workspace name -> its `monaco compile` output, in a session temporary folder."""
    root = tmp_path_factory.mktemp("compiled")
    return {ws.name: compile_workspace(ws, root / ws.name.replace("/", "-")) for ws in all_workspaces()}
