"""The repository's own workspaces (default and every example) lint clean: the rules give no false findings there."""

from __future__ import annotations

import pytest

from monaco import engine
from monaco.lint.runner import lint
from tests.tools.workspaces import Workspace, all_workspaces

WORKSPACES = all_workspaces()


@pytest.mark.parametrize("workspace", WORKSPACES, ids=[w.name for w in WORKSPACES])
def test_workspace_lints_clean(workspace: Workspace) -> None:
    """Each example is written the way the docs recommend, so every rule passes on it."""
    session = engine.load([workspace.specs], [workspace.targets])
    assert session.model is not None, [str(d) for d in session.diagnostics if d.level.value == "error"]
    findings = lint(session.workspace, session.model)
    assert [f"{f.code} {f.span} {f.message}" for f in findings] == []


def test_there_are_examples_with_paging_slos_and_pagerduty() -> None:
    """The clean run covers what the rules look at: SLOs, paging severities, PagerDuty receivers, PromQL ranges."""
    documents = [doc for w in WORKSPACES for _, doc in w.documents()]
    assert any(doc.get("slos") for doc in documents)
    assert any("pagerduty" in r for doc in documents for r in doc.get("receivers", []))
    assert sum("rate(" in str(doc.get("alerts", "")) for doc in documents) >= 5
