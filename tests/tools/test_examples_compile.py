"""Every worked example compiles, each of its targets writes output, and every registered backend has an example.

The examples are the workspaces under `examples/` (and the repo's default one) plus the worked examples kept
beside a backend's tests (`tests/<backend>/example/`) until their routing-table rows join `tests/tools`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from monaco.backends import REGISTRY
from tests.tools.workspaces import REPO, Workspace, all_workspaces, compile_workspace


def _examples() -> list[Workspace]:
    """The repo's workspaces and every `tests/*/example/` with specs/ and targets/."""
    found = all_workspaces()
    for folder in sorted((REPO / "tests").glob("*/example")):
        if (folder / "specs").is_dir() and (folder / "targets").is_dir():
            found.append(Workspace(str(folder.relative_to(REPO)), folder / "specs", folder / "targets"))
    return found


EXAMPLES = _examples()


@pytest.mark.parametrize("workspace", EXAMPLES, ids=[ws.name for ws in EXAMPLES])
def test_example_compiles_and_every_target_writes_files(workspace: Workspace, tmp_path: Path) -> None:
    """`monaco compile` exits 0 with no error, and writes at least one file for each of the example's targets."""
    compiled = compile_workspace(workspace, tmp_path / "out")
    for target in workspace.of_kind("Target"):
        folder = compiled.out / target["metadata"]["name"]
        files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
        assert files, f"{workspace.name}: target {target['metadata']['name']} ({target['backend']}) wrote nothing"


def test_every_registered_backend_has_an_example() -> None:
    """Each backend kind in the registry is the backend of at least one example's target."""
    used = {target["backend"] for workspace in EXAMPLES for target in workspace.of_kind("Target")}
    assert set(REGISTRY) <= used, f"backends without an example: {sorted(set(REGISTRY) - used)}"
