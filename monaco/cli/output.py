"""Terminal output: results on stdout, diagnostics and progress on stderr, colour only in a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass

from monaco.diagnostics import Diagnostic, render

REPEATS_SHOWN = 3
"""How many places of one repeated warning (or note) code are shown in full."""


@dataclass(slots=True)
class Output:
    """Where the CLI writes, and whether it may colour."""

    colour: bool = False
    interactive: bool = False
    """stderr is a terminal a person watches (not CI): progress may redraw a bar."""

    def result(self, text: str) -> None:
        """Write command output (a plan, a schema) to stdout."""
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()

    def result_chunks(self, chunks: Iterable[str]) -> None:
        """Write command output made in pieces (each ending in a newline) to stdout as each is made."""
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()

    def info(self, text: str) -> None:
        """Write a progress or status line to stderr."""
        print(text, file=sys.stderr, flush=True)

    def error(self, text: str) -> None:
        """Write an error line to stderr."""
        prefix = "\x1b[1;31merror\x1b[0m" if self.colour else "error"
        print(f"{prefix}: {text}", file=sys.stderr, flush=True)

    def diagnostics(self, items: list[Diagnostic], sources: dict[str, list[str]]) -> None:
        """Write each diagnostic with its source line and caret, then a count.

        Errors are all shown. A warning or note repeated under one code is shown in full for its first
        `REPEATS_SHOWN` places, then said once more with how many further places it has, and where."""
        shown: dict[tuple[str, str], int] = {}
        for diagnostic in items:
            key = (diagnostic.level.value, diagnostic.code)
            shown[key] = shown.get(key, 0) + 1
            if diagnostic.level.value == "error" or shown[key] <= REPEATS_SHOWN:
                print(render(diagnostic, sources, self.colour), file=sys.stderr)
                print(file=sys.stderr)
        for (level, code), count in sorted(shown.items()):
            if level != "error" and count > REPEATS_SHOWN:
                rest = [d for d in items if (d.level.value, d.code) == (level, code)][REPEATS_SHOWN:]
                places = ", ".join(f"{d.span.file}:{d.span.line}" for d in rest[:8] if d.span is not None)
                more = ", ..." if len(rest) > 8 else ""
                print(f"{level}[{code}]: {len(rest)} more like the above ({places}{more})", file=sys.stderr)
                print(file=sys.stderr)
        errors = sum(1 for d in items if d.level.value == "error")
        warnings = sum(1 for d in items if d.level.value == "warning")
        notes = len(items) - errors - warnings
        if errors or warnings:
            print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr, flush=True)
        elif notes:
            print(f"{notes} note(s)", file=sys.stderr, flush=True)
