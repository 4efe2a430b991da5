"""What a lint rule is: a stable code, a default level, a one-line purpose, a hint, and its check."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from monaco.diagnostics import Diagnostic, Level, Span
from monaco.lint.context import LintContext


@dataclass(frozen=True, slots=True)
class Finding:
    """One place a rule objects to: its message and position (the rule adds code, level and hint)."""

    message: str
    span: Span | None
    hint: str | None = None
    """A hint for this place, instead of the rule's own (one that names a configured folder)."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A lint rule: code MON1100-MON1149, its default level, what it checks, how to fix, and the check."""

    code: str
    level: Level
    purpose: str
    hint: str
    check: Callable[[LintContext], Iterator[Finding]]

    def diagnostics(self, context: LintContext, level: Level) -> list[Diagnostic]:
        """The rule's findings on the workspace as diagnostics at `level`."""
        return [Diagnostic(self.code, f.message, f.span, f.hint or self.hint, level) for f in self.check(context)]
