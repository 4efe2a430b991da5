"""Lint cases as data: each spec fragment gives exactly the expected lint codes at `line:col`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from monaco.backtest.pages import WEEK_SECONDS, TeamPages
from monaco.lint.registry import RULES
from monaco.lint.runner import lint
from tests.lint.workspace import load_case

CASES: list[dict[str, Any]] = YAML(typ="safe").load((Path(__file__).parent / "cases.yaml").read_text())


def _pages(case: dict[str, Any]) -> dict[str, TeamPages] | None:
    """A case's `pages: {team: firings}`, as a backtest's estimate over one week (None when the case has none)."""
    if "pages" not in case:
        return None
    return {team: TeamPages(team, WEEK_SECONDS, n, {f"{team}/Alert": n}) for team, n in case["pages"].items()}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case_gives_exactly_the_expected_findings(tmp_path: Path, case: dict[str, Any]) -> None:
    """Each case reports its codes at the expected positions, and nothing else."""
    session = load_case(tmp_path, case)
    assert session.model is not None
    findings = lint(session.workspace, session.model, _pages(case))
    found = []
    for finding in findings:
        assert finding.span is not None, finding
        name = Path(finding.span.file).name
        where = "" if name == "spec.yaml" else f"{name}:"
        found.append(f"{finding.code}@{where}{finding.span.line}:{finding.span.col}")
    assert found == case["expect"], [f.message for f in findings]
    if "level" in case:
        assert {f.level.value for f in findings} == {case["level"]}


def test_every_rule_has_a_case_that_finds_it() -> None:
    """Each rule's code is expected by at least one case, and at least one case expects nothing."""
    expected = {entry.split("@")[0] for case in CASES for entry in case["expect"]}
    assert expected == {rule.code for rule in RULES}
    assert any(not case["expect"] for case in CASES)


def test_codes_are_stable_and_in_the_lint_block() -> None:
    """Codes are MON1100-MON1149, one rule each, each with a purpose and a hint."""
    codes = [rule.code for rule in RULES]
    assert len(set(codes)) == len(codes) == 9
    assert all(1100 <= int(code[3:]) <= 1149 for code in codes)
    assert all(rule.purpose and rule.hint for rule in RULES)
