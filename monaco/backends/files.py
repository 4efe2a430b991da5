"""File helpers shared by file-based backends: atomic writes, owner markers, and restore on failure."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

OWNER_MARKER = "# managed-by: monaco"
"""First line of every file monaco writes; a file without it is never changed or deleted."""


def has_owner_marker(text: str) -> bool:
    """True when `text` starts with monaco's owner marker."""
    return text.startswith(OWNER_MARKER)


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same directory and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(slots=True)
class FileTransaction:
    """Writes and deletes files, remembering old contents so a rejected reload can put them back."""

    originals: dict[Path, str | None] = field(default_factory=dict)

    def write(self, path: Path, text: str) -> None:
        """Atomically replace `path` with `text`."""
        self._remember(path)
        write_atomic(path, text)

    def delete(self, path: Path) -> None:
        """Remove `path`."""
        self._remember(path)
        path.unlink(missing_ok=True)

    def rollback(self) -> list[Path]:
        """Put every touched file back as it was; returns the restored paths."""
        for path, text in self.originals.items():
            if text is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, text)
        return sorted(self.originals)

    def _remember(self, path: Path) -> None:
        if path not in self.originals:
            self.originals[path] = path.read_text(encoding="utf-8") if path.exists() else None


def reload_or_rollback(
    transaction: FileTransaction, reload_and_verify: Callable[[], str | None], reload_previous: Callable[[], object]
) -> str | None:
    """Reload the server on the new files; if it refuses, put the old files back, reload them, and say so."""
    problem = reload_and_verify()
    if problem is None:
        return None
    restored = transaction.rollback()
    reload_previous()
    return f"{problem}; the previous {len(restored)} file(s) were put back and reloaded"
