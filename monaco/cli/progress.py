"""Apply progress: each change printed as it completes; a Rich progress bar in a terminal, plain lines in CI."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any

from monaco.backends.base import ChangeResult


class ApplyProgress:
    """Told every change outcome (`monaco.backends.base.listening`) and every notice of an apply."""

    def __init__(self, total: int, terminal: bool) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self.terminal = terminal
        self.started = time.monotonic()
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> ApplyProgress:
        if self.terminal:
            from rich.console import Console  # imported only for an interactive apply
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            columns = (TextColumn("applying"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            self._bar = Progress(*columns, console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("apply", total=self.total)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def changed(self, result: ChangeResult) -> None:
        """One change finished (or was not applied): a line now, and the bar moves on."""
        self.done += 1
        self.failed += not result.ok
        status = "ok" if result.ok else "FAILED"
        detail = f": {result.message}" if result.message else ""
        line = f"  {status:<6} {result.action:<7} {result.key}{detail}  ({self.done}/{self.total})"
        self._print(line)
        if self._bar is not None:
            self._bar.advance(self._task)

    def notice(self, line: str) -> None:
        """A backend's or the engine's progress line (a target starting, a lock being waited for)."""
        self._print(line)

    def _print(self, line: str) -> None:
        if self._bar is not None:
            self._bar.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=sys.stderr, flush=True)
