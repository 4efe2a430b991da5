"""File helpers shared by file-based backends: atomic writes, owner markers, and restore on failure.

File modes: a new file gets 0666 minus the umask (so a Prometheus running as another user can read
its rules), or 0600 when it is `private` (it holds a secret value). A replaced file keeps the mode
and owner it had, because operators often chmod or chown rule files and config files for the server
that reads them; a private file never keeps permissions for "other" users.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monaco.backends.base import ApplyReport, ChangeResult
from monaco.plan.model import Change


class TextsOnRead(Mapping[str, str]):
    """File name -> text, each text written by `text_of` from its file's source when it is read, and not kept: the
    files of a thousand services are written one at a time instead of all held at once."""

    def __init__(self, sources: Mapping[str, Any], text_of: Callable[[Any], str]) -> None:
        self._sources = sources
        self._text_of = text_of

    def __getitem__(self, name: str) -> str:
        return self._text_of(self._sources[name])

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)


OWNER_MARKER = "# managed-by: monaco"
"""First line of every file monaco writes; a file without it is never changed or deleted."""

PUBLIC_MODE = 0o666
"""The mode a new file is created with, before the umask: readable by the server's user."""
PRIVATE_MODE = 0o600
"""The mode of a new file that holds secret values, before the umask: owner only."""


def has_owner_marker(text: str) -> bool:
    """True when `text` starts with monaco's owner marker."""
    return text.startswith(OWNER_MARKER)


def write_atomic(path: Path, text: str, *, private: bool = False, durable: bool = True) -> None:
    """Write `text` to `path` through a temporary file in the same directory and a rename.

    The umask applies to a new file; a replaced file keeps its mode and owner (see the module notes).
    `durable` (the default) syncs the file and its directory before returning, so that what apply wrote
    survives a crash; `compile` writes output made again from the specs at will, and skips both syncs.
    """
    parent = path.parent
    if parent.exists() and not parent.is_dir():
        raise NotADirectoryError(f"{parent} is not a directory, so {path.name} cannot be written in it")
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a directory, not a file")
    parent.mkdir(parents=True, exist_ok=True)
    previous = _stat_or_none(path)
    fd, tmp = _create_temporary(path, PRIVATE_MODE if private else PUBLIC_MODE)
    try:
        if previous is not None:
            _copy_mode_and_owner(fd, previous, private)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        _sync_directory(parent)


def _stat_or_none(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def _create_temporary(path: Path, mode: int) -> tuple[int, str]:
    """A new hidden file beside `path`, created with `mode` so the kernel applies the umask."""
    for _ in range(100):
        tmp = str(path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"cannot create a temporary file beside {path}")


def _copy_mode_and_owner(fd: int, previous: os.stat_result, private: bool) -> None:
    """Give the new file the replaced file's permissions (minus "other" when private) and, if allowed, owner."""
    mode = stat.S_IMODE(previous.st_mode)
    os.fchmod(fd, mode & ~0o007 if private else mode)
    if (previous.st_uid, previous.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(PermissionError):
            os.fchown(fd, previous.st_uid, previous.st_gid)


def _sync_directory(directory: Path) -> None:
    """Flush the rename to disk, where the platform allows it."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@dataclass(slots=True)
class FileTransaction:
    """Writes and deletes files, remembering old contents so a rejected reload can put them back.

    `changed` lists the files whose new content is on disk, `failed` the one whose write or delete
    raised (and why); after `rollback`, `restored` and `unrestored` say what is on disk again.
    """

    originals: dict[Path, str | None] = field(default_factory=dict)
    changed: list[Path] = field(default_factory=list)
    failed: dict[Path, str] = field(default_factory=dict)
    restored: list[Path] = field(default_factory=list)
    unrestored: dict[Path, str] = field(default_factory=dict)
    private: set[Path] = field(default_factory=set)
    rolled_back: bool = False

    def write(self, path: Path, text: str, *, private: bool = False) -> None:
        """Atomically replace `path` with `text`; `private` files (secret values) are owner-only."""
        self._remember(path)
        if private:
            self.private.add(path)
        try:
            write_atomic(path, text, private=private)
        except OSError as exc:
            self.failed[path] = _reason(exc)
            raise
        self._changed(path)

    def delete(self, path: Path) -> None:
        """Remove `path`."""
        self._remember(path)
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            self.failed[path] = _reason(exc)
            raise
        self._changed(path)

    def rollback(self) -> list[Path]:
        """Put every changed file back as it was, never raising; returns the restored paths.

        A file that cannot be put back is recorded in `unrestored` with the reason. Calling it again
        does nothing more.
        """
        if self.rolled_back:
            return sorted(self.restored)
        self.rolled_back = True
        for path in self.changed:
            text = self.originals[path]
            try:
                if text is None:
                    path.unlink(missing_ok=True)
                else:
                    write_atomic(path, text, private=path in self.private)
            except OSError as exc:
                self.unrestored[path] = _reason(exc)
            else:
                self.restored.append(path)
        return sorted(self.restored)

    def describe_rollback(self) -> str:
        """What the rollback left on disk, file by file."""
        if not self.changed:
            return "no file was changed"
        parts = []
        put_back = [p for p in self.restored if self.originals[p] is not None]
        removed = [p for p in self.restored if self.originals[p] is None]
        if put_back:
            parts.append(f"rolled back: put the previous {_names(put_back)} back")
        if removed:
            parts.append(f"rolled back: removed the new {_names(removed)}")
        if self.unrestored:
            lost = ", ".join(f"{_show(p)} ({why})" for p, why in sorted(self.unrestored.items()))
            parts.append(f"could NOT restore {lost}: the new content is still on disk there")
        return "; ".join(parts)

    def describe_failure(self) -> str:
        """Which write or delete failed, and why; empty when none did."""
        return "; ".join(f"cannot write {_show(p)}: {why}" for p, why in sorted(self.failed.items()))

    def outcome(self, paths: Iterable[Path]) -> str:
        """What is on disk now for a change that touches `paths`, after a failure and a rollback."""
        touched = sorted(set(paths))
        left = [p for p in touched if p in self.unrestored]
        if left:
            return f"but it is still ON DISK: restoring {_names(left)} failed"
        failed = [p for p in touched if p in self.failed]
        if failed:
            return f"writing {_names(failed)} failed: {self.failed[failed[0]]}"
        if any(p in self.restored and self.originals[p] is not None for p in touched):
            return "rolled back: the previous file is on disk again"
        if any(p in self.restored for p in touched):
            return "rolled back: the file it created was removed again"
        return "its files were not written"

    def _remember(self, path: Path) -> None:
        if path not in self.originals:
            self.originals[path] = path.read_text(encoding="utf-8") if path.exists() else None

    def _changed(self, path: Path) -> None:
        if path not in self.changed:
            self.changed.append(path)


def _reason(exc: OSError) -> str:
    """An OSError as a short reason, without repeating the path when the caller names it."""
    return exc.strerror or str(exc) if exc.filename is not None else str(exc)


def _show(path: Path) -> str:
    """A path for messages, without `..` detours (`targets/../live` reads as `live`)."""
    return os.path.normpath(path)


def _names(paths: Iterable[Path]) -> str:
    return ", ".join(_show(p) for p in sorted(paths))


def failed_apply(
    changes: Sequence[Change],
    paths_of: Callable[[Change], Iterable[Path]],
    transaction: FileTransaction,
    error: str | None = None,
) -> ApplyReport:
    """The report of an apply that failed: roll back, then say per change what is on disk, and why overall.

    `error` defaults to the transaction's own failed write; the rollback is described unless the
    error already did (a message from `reload_or_rollback`).
    """
    described = transaction.rolled_back
    transaction.rollback()
    message = error or transaction.describe_failure() or "apply failed"
    if not described:
        message = f"{message}; {transaction.describe_rollback()}"
    report = ApplyReport(errors=[message])
    for change in changes:
        report.results.append(
            ChangeResult(change.key, change.action.value, False, transaction.outcome(paths_of(change)))
        )
    return report


def reload_or_rollback(
    transaction: FileTransaction,
    reload_and_verify: Callable[[], str | None],
    reload_previous: Callable[[], str | object | None],
) -> str | None:
    """Reload the server on the new files; if it refuses, put the old files back, reload them, and say exactly
    what is on disk and what the server runs.

    `reload_previous` returns a problem (text) when the server refused the rollback reload too.
    """
    problem = reload_and_verify()
    if problem is None:
        return None
    transaction.rollback()
    on_disk = transaction.describe_rollback()
    previous = reload_previous()
    if isinstance(previous, str):
        why = "the same way" if previous == problem else f"({previous})"
        server = f"the server refused the rollback reload too {why}, so what it runs now is unknown"
    elif transaction.unrestored:
        server = "the server reloaded the files as they are on disk now"
    else:
        server = "the server reloaded the previous version"
    return f"{problem}; {on_disk}; {server}"
