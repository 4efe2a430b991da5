"""Per-target apply locks: who holds one, for how long, and a file lock for targets that live in files.

The file lock is an advisory `flock` on a lock file next to the target. The kernel drops it when the
holding process dies, so a crashed apply never blocks the next one; the holder's record left in the
file is then reported as a stale lock taken over. Acquirers re-check that the path still names the
file they locked (a releasing holder unlinks it), so two processes never both believe they hold it.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

POLL_SECONDS = 0.1


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Who holds a target's lock: user, host, process and since when (epoch seconds)."""

    user: str
    host: str
    pid: int
    since: float
    operation: str = "apply"

    @classmethod
    def me(cls, operation: str = "apply") -> LockHolder:
        """A holder record for this process, starting now."""
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = str(os.getuid())
        return cls(user, socket.gethostname(), os.getpid(), time.time(), operation)

    def describe(self, now: float | None = None) -> str:
        """`alice@ci-1 (pid 4242, monaco apply) for 12s`."""
        held = max(0, int((now if now is not None else time.time()) - self.since))
        return f"{self.user}@{self.host} (pid {self.pid}, monaco {self.operation}) for {held}s"

    def is_alive(self) -> bool:
        """False when the holder ran on this host and its process is gone; True when unknown."""
        if self.host != socket.gethostname():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


class LockBusy(Exception):
    """The target's lock is held by someone else and the wait ran out."""

    def __init__(self, what: str, holder: LockHolder | None, waited: float) -> None:
        self.holder = holder
        who = holder.describe() if holder else "another process"
        super().__init__(
            f"{what} is locked by {who}; waited {waited:.0f}s (raise --lock-timeout to wait longer, "
            "or make sure that apply has ended)"
        )


def lock_path(place: Path) -> Path:
    """The lock file of a target that lives at `place` (a file or directory): a hidden file beside it."""
    return place.parent / f".{place.name}.monaco-lock"


def read_holder(path: Path) -> LockHolder | None:
    """The holder record in a lock file, or None when it is empty, unreadable or not monaco's."""
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "null")
        return LockHolder(**data) if isinstance(data, dict) else None
    except (OSError, ValueError, TypeError):
        return None


@contextlib.contextmanager
def file_lock(
    path: Path, timeout: float, notice: Callable[[str], None] = lambda line: None, operation: str = "apply"
) -> Iterator[LockHolder]:
    """Hold the lock file `path` for the block; wait up to `timeout` seconds, then raise LockBusy."""
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + max(0.0, timeout)
    announced = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if _try_lock(fd, path):
            break
        os.close(fd)
        holder = read_holder(path)
        if time.monotonic() >= deadline:
            raise LockBusy(f"lock {path}", holder, timeout)
        if not announced:
            notice(f"waiting for lock {path}, held by {holder.describe() if holder else 'another process'}")
            announced = True
        time.sleep(POLL_SECONDS)
    try:
        previous = read_holder(path)
        if previous is not None and not previous.is_alive():
            notice(f"took over a stale lock {path} left by {previous.describe()} (that process has ended)")
        me = LockHolder.me(operation)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(asdict(me)).encode(), 0)
        yield me
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)


def _try_lock(fd: int, path: Path) -> bool:
    """Take the flock without blocking; True only if `path` still names the locked file afterwards."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    try:
        same = os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        same = False
    if not same:
        fcntl.flock(fd, fcntl.LOCK_UN)
    return same
