"""Work split across the machine's second core: a forked child computes part, the parent the rest.

A child is a fork of the parent taken when the work starts, so it sees every loaded spec and rendered
resource without copying them; only its results cross back, pickled one at a time through a pipe, so
the parent holds one of them at a time. The child has no side effects the parent depends on: whatever
goes wrong in it (an exception, a result that does not pickle, a crash, a kill), the parent computes
what it did not receive itself, so the outcome is always the serial one. Forking is used only where it
is safe: Linux, more than one usable core, no other thread running (a fork copies only the calling
thread, and a lock another thread holds would stay held), and `MONACO_JOBS` not set to 1.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, BinaryIO, Generic, NoReturn, TypeVar

R = TypeVar("R")
T = TypeVar("T")

_OK = b"+"
_PIPE_BUFFER = 1 << 20


def usable_cores() -> int:
    """The processes monaco may run at once: `MONACO_JOBS` if set, else the cores this process may use."""
    setting = os.environ.get("MONACO_JOBS", "").strip()
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    """True when a forked child may share the work: Linux, a second core, and this the only thread.

    Not on macOS, where a forked child of a process that loaded system frameworks may crash (CPython itself
    stopped forking there by default), nor on Windows, which cannot fork."""
    return sys.platform.startswith("linux") and usable_cores() > 1 and threading.active_count() == 1


class ChildFailed(Exception):
    """The child gave no result, or stopped part way through sending them."""


class _Child:
    """A forked child computing a list of results, which the parent reads back one at a time."""

    def __init__(self, compute: Callable[[], list[Any]]) -> None:
        read_end, write_end = os.pipe()
        gc.freeze()  # the child's collector then leaves inherited objects alone: fewer pages copied
        try:
            pid = os.fork()
        except OSError:
            pid = -1
        if pid == 0:
            os.close(read_end)
            _run_child(compute, write_end)
        gc.unfreeze()
        os.close(write_end)
        if pid < 0:
            os.close(read_end)
            raise ChildFailed("cannot fork")
        self.pid = pid
        self.pipe: BinaryIO | None = os.fdopen(read_end, "rb", buffering=_PIPE_BUFFER)

    def results(self, count: int) -> Iterator[Any]:
        """The child's `count` results in order; ChildFailed at the first one it did not send."""
        if self.pipe is None:
            raise ChildFailed("already read or stopped")
        try:
            if self.pipe.read(1) != _OK:
                raise ChildFailed("the child failed")
            for _ in range(count):
                yield pickle.load(self.pipe)
        except (EOFError, OSError, pickle.UnpicklingError) as exc:
            raise ChildFailed(str(exc)) from exc
        finally:
            self.stop()

    def stop(self) -> None:
        """Close the pipe, kill the child if it still runs, and reap it (idempotent)."""
        if self.pipe is not None:
            self.pipe.close()
            self.pipe = None
        if self.pid:
            pid, self.pid = self.pid, 0
            try:
                if os.waitpid(pid, os.WNOHANG) == (0, 0):
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def _run_child(compute: Callable[[], list[Any]], write_end: int) -> NoReturn:
    """In the child: compute every result, then send them one pickle each, and leave without cleanup."""
    status = 1
    try:
        with os.fdopen(write_end, "wb", buffering=_PIPE_BUFFER) as pipe:
            try:
                results = compute()
            except BaseException:
                results = None
            if results is not None:
                pipe.write(_OK)
                pickler = pickle.Pickler(pipe, protocol=pickle.HIGHEST_PROTOCOL)
                for result in results:
                    pickler.dump(result)
                    pickler.clear_memo()
                status = 0
    except BaseException:
        status = 1
    os._exit(status)  # no atexit handlers, no flushing of buffers the parent owns


def _start(compute: Callable[[], list[Any]]) -> _Child | None:
    """A child computing `compute()`, or None where forking is not possible."""
    if not can_fork():
        return None
    try:
        return _Child(compute)
    except ChildFailed:
        return None


class Forked(Generic[R]):
    """`function()` computed in a forked child while the parent goes on; `result()` joins it.

    Where forking is not possible, or the child fails in any way, `result()` computes `function()` in the
    parent, so it returns (or raises) exactly what the serial call would. `worth_forking=False` (small
    work: a fork and the pickled result cost milliseconds) computes in the parent."""

    def __init__(self, function: Callable[[], R], *, worth_forking: bool = True) -> None:
        self._function = function
        self._child = _start(lambda: [function()]) if worth_forking else None
        self.ran_in_child = False
        """Whether the result came from the child (for tests and benchmarks; the value is the same)."""

    def result(self) -> R:
        """The child's result, or the parent's own computation of it when the child could not give one."""
        if self._child is not None:
            child, self._child = self._child, None
            try:
                (value,) = child.results(1)
            except ChildFailed:
                return self._function()
            self.ran_in_child = True
            return value  # type: ignore[no-any-return]
        return self._function()

    def cancel(self) -> None:
        """Stop the child if one runs; `result()` then computes in the parent."""
        if self._child is not None:
            self._child.stop()
            self._child = None


CHILD_SHARE = 0.55
"""The share of the items a forked child takes: a little over half, as the parent also unpickles what comes back
and goes on with it (validating the child's documents, writing its text, assembling its verdicts)."""


def map_split(
    function: Callable[[T], R], items: Sequence[T], child_share: float = CHILD_SHARE, minimum: int = 32
) -> Iterator[R]:
    """`function(item)` for each item in order, the last `child_share` of the items computed in a forked child.

    The parent's own results are yielded as each is computed, so its caller works on them while the
    child computes the rest. Fewer than `minimum` items are computed in the parent alone: a fork costs a
    few milliseconds. Closing the iterator early stops the child."""
    split = len(items) - int(len(items) * child_share) if len(items) >= minimum else len(items)
    tail = items[split:]
    child = _start(lambda: [function(item) for item in tail]) if tail else None
    received = 0
    try:
        for item in items[:split]:
            yield function(item)
        if child is not None:
            for value in child.results(len(tail)):
                received += 1
                yield value
            return
    except ChildFailed:
        pass
    finally:
        if child is not None:
            child.stop()
    for item in tail[received:]:
        yield function(item)
