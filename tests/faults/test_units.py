"""The pieces under the fault tests: a request's total deadline, and a rollback that never raises."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from monaco.backends.files import FileTransaction, reload_or_rollback
from monaco.backends.http import HttpResponse, request
from tests.faults.servers import FaultServer
from tests.faults.workspace import unwritable


def _within(seconds: float, send: Callable[[], HttpResponse]) -> tuple[HttpResponse, float]:
    """The response of `send()` and how long it took; fails (instead of hanging) after `seconds`."""
    result: list[HttpResponse] = []
    started = time.monotonic()
    worker = threading.Thread(target=lambda: result.append(send()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert result, f"the request was still running after {seconds:g}s"
    return result[0], time.monotonic() - started


@pytest.fixture
def trickle() -> Iterator[FaultServer]:
    """A server that sends headers, then one byte a second."""
    server = FaultServer("trickle").start()
    yield server
    server.stop()


def test_a_trickling_answer_ends_at_the_requests_total_deadline(trickle: FaultServer) -> None:
    """A socket timeout would never fire (a byte arrives every second); the total deadline does."""
    response, elapsed = _within(10, lambda: request("GET", f"{trickle.url}/api/v1/rules", timeout=1.5))
    assert response.status == 0
    assert response.body == f"no complete answer from {trickle.url}/api/v1/rules within 1.5s"
    assert 1.4 < elapsed < 3.0, elapsed
    unreachable = request("POST", "http://127.0.0.1:1/-/reload", timeout=2)
    assert unreachable.status == 0 and "refused" in unreachable.body.lower()


def test_a_callers_deadline_shortens_the_request(trickle: FaultServer) -> None:
    """A verify loop's deadline bounds each request inside it."""
    response, elapsed = _within(
        10, lambda: request("GET", f"{trickle.url}/x", timeout=30, deadline=time.monotonic() + 1)
    )
    assert response.status == 0 and elapsed < 2.5, elapsed


def test_a_rollback_that_cannot_restore_says_so_and_does_not_raise(tmp_path: Path) -> None:
    """One file updated and one created, then the directory turns read-only: rollback restores nothing,
    raises nothing, and names both files and why."""
    old, new = tmp_path / "old.yml", tmp_path / "new.yml"
    old.write_text("before\n")
    transaction = FileTransaction()
    transaction.write(old, "after\n")
    transaction.write(new, "created\n")
    with unwritable(tmp_path):
        restored = transaction.rollback()
    assert restored == []
    assert sorted(transaction.unrestored) == [new, old]
    text = transaction.describe_rollback()
    assert f"could NOT restore {new} (" in text and f"{old} (" in text and "still on disk" in text
    assert transaction.outcome([old]) == f"but it is still ON DISK: restoring {old} failed"
    assert old.read_text() == "after\n" and new.exists()


def test_a_failed_reload_whose_rollback_reload_fails_says_what_is_on_disk_and_that_the_server_is_unknown(
    tmp_path: Path,
) -> None:
    """Never "put back and reloaded" when the server refused the rollback reload."""
    path = tmp_path / "rules.yml"
    path.write_text("before\n")
    transaction = FileTransaction()
    transaction.write(path, "after\n")
    message = reload_or_rollback(transaction, lambda: "new rules refused", lambda: "old rules refused")
    assert message == (
        f"new rules refused; rolled back: put the previous {path} back; "
        "the server refused the rollback reload too (old rules refused), so what it runs now is unknown"
    )
    assert path.read_text() == "before\n"
