"""Diagnostics: stable codes, severities and source spans, rendered with the source line and a caret."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


class Level(enum.Enum):
    """How serious a diagnostic is; errors make a command fail."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Span:
    """A place in a source file: 1-based line and column."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about user input, with a stable code such as MON104."""

    code: str
    message: str
    span: Span | None = None
    hint: str | None = None
    level: Level = Level.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order by file, position and code so output is deterministic."""
        if self.span is None:
            return ("", 0, 0, self.code)
        return (self.span.file, self.span.line, self.span.col, self.code)


@dataclass(slots=True)
class Diagnostics:
    """An ordered, growable collection of diagnostics."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        """Append one diagnostic."""
        self.items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Append many diagnostics."""
        self.items.extend(diagnostics)

    def error(self, code: str, message: str, span: Span | None = None, hint: str | None = None) -> None:
        """Append an error."""
        self.items.append(Diagnostic(code, message, span, hint, Level.ERROR))

    def warning(self, code: str, message: str, span: Span | None = None, hint: str | None = None) -> None:
        """Append a warning."""
        self.items.append(Diagnostic(code, message, span, hint, Level.WARNING))

    @property
    def has_errors(self) -> bool:
        """True when at least one error-level diagnostic was recorded."""
        return any(d.level is Level.ERROR for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        """The diagnostics ordered by position, duplicates removed."""
        return sorted(dict.fromkeys(self.items), key=Diagnostic.sort_key)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


_COLOURS = {Level.ERROR: "\x1b[1;31m", Level.WARNING: "\x1b[1;33m", Level.INFO: "\x1b[1;36m"}
_RESET = "\x1b[0m"


def render(diagnostic: Diagnostic, sources: dict[str, list[str]], colour: bool = False) -> str:
    """Format a diagnostic as `file:line:col: level[CODE]: message`, the source line, a caret and a hint."""
    level = diagnostic.level.value
    if colour:
        level = f"{_COLOURS[diagnostic.level]}{level}{_RESET}"
    where = f"{diagnostic.span}: " if diagnostic.span else ""
    lines = [f"{where}{level}[{diagnostic.code}]: {diagnostic.message}"]
    span = diagnostic.span
    if span is not None:
        source_lines = sources.get(span.file, [])
        if 0 < span.line <= len(source_lines):
            text = source_lines[span.line - 1].rstrip("\n").replace("\t", " ")
            gutter = f"{span.line:>4} | "
            lines.append(f"{gutter}{text[:400]}")
            caret_col = min(max(span.col, 1), len(text) + 1)
            lines.append(" " * (len(gutter) - 2) + "| " + " " * (caret_col - 1) + "^")
    if diagnostic.hint:
        lines.append(f"  hint: {diagnostic.hint}")
    return "\n".join(lines)
