"""Run every rule on a lowered workspace at the levels its Settings' `lint:` block sets."""

from __future__ import annotations

from collections.abc import Mapping

from monaco.backtest.pages import TeamPages
from monaco.diagnostics import Diagnostic, Level
from monaco.ir.nodes import Model
from monaco.lint.context import LintContext
from monaco.lint.registry import RULES
from monaco.spec.load import Workspace


def level_of(context: LintContext, code: str, default: Level) -> Level | None:
    """The level Settings gives a code (None: off), else the rule's own."""
    chosen = context.settings.levels.get(code)
    if chosen is None:
        return default
    return None if chosen == "off" else Level(chosen)


def lint(workspace: Workspace, model: Model, pages: Mapping[str, TeamPages] | None = None) -> list[Diagnostic]:
    """Every finding of every rule that is not off, ordered by file, position and code (`pages`: a backtest's
    estimate per team, for the pages-per-week budget; without it that rule does not run)."""
    context = LintContext.of(workspace, model, pages)
    found: list[Diagnostic] = []
    for rule in RULES:
        level = level_of(context, rule.code, rule.level)
        if level is not None:
            found.extend(rule.diagnostics(context, level))
    return sorted(dict.fromkeys(found), key=Diagnostic.sort_key)


def lint_in_validate(workspace: Workspace, model: Model) -> list[Diagnostic]:
    """What `validate` adds: the findings when Settings sets `lint.in_validate: true`, else nothing."""
    if not (workspace.settings and workspace.settings[0].spec.lint.in_validate):
        return []
    return lint(workspace, model)
