"""Work split with a forked child: the results are the serial ones, whatever the child does."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from monaco import parallel
from monaco.parallel import Forked, map_split

PARENT = os.getpid()


def in_child() -> bool:
    """True in a forked child of the test process."""
    return os.getpid() != PARENT


@pytest.fixture(autouse=True)
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork as on a two-core machine, whatever this one has, even with a daemon thread an earlier test in this
    worker left running (the children here compute pure functions and take no lock)."""
    monkeypatch.setenv("MONACO_JOBS", "2")
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)


def no_children_left() -> bool:
    """True when every child of this process was reaped."""
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_a_result_comes_from_the_child() -> None:
    forked = Forked(os.getpid)
    assert forked.result() != PARENT
    assert forked.ran_in_child
    assert no_children_left()


def test_one_job_computes_in_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONACO_JOBS", "1")
    forked = Forked(os.getpid)
    assert forked.result() == PARENT
    assert not forked.ran_in_child


def test_small_work_is_not_forked() -> None:
    forked = Forked(os.getpid, worth_forking=False)
    assert forked.result() == PARENT


def test_another_thread_running_means_no_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)  # undoes the fixture's
    assert not parallel.can_fork()
    assert Forked(os.getpid).result() == PARENT


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_only_linux_forks(monkeypatch: pytest.MonkeyPatch, platform: str) -> None:
    monkeypatch.setattr(parallel.sys, "platform", platform)
    assert not parallel.can_fork()
    assert Forked(os.getpid).result() == PARENT


def test_a_failing_child_is_computed_again_and_raises_as_serial_code_would() -> None:
    def fails() -> int:
        raise ValueError("bad input")

    forked = Forked(fails)
    with pytest.raises(ValueError, match="bad input"):
        forked.result()
    assert not forked.ran_in_child
    assert no_children_left()


@pytest.mark.parametrize(
    "misbehave",
    [
        pytest.param(lambda: lambda: None, id="result does not pickle"),
        pytest.param(lambda: os._exit(3), id="child exits"),
        pytest.param(lambda: os.kill(os.getpid(), 9), id="child killed"),
    ],
)
def test_a_child_that_gives_nothing_leaves_the_parent_to_compute(misbehave: Callable[[], Any]) -> None:
    def work() -> Any:
        return misbehave() if in_child() else "serial"

    forked = Forked(work)
    assert forked.result() == "serial"
    assert not forked.ran_in_child
    assert no_children_left()


def test_map_split_keeps_order_and_splits_the_work() -> None:
    results = list(map_split(lambda item: (item * item, in_child()), list(range(100)), 0.5))
    assert [value for value, _ in results] == [i * i for i in range(100)]
    assert [child for _, child in results] == [False] * 50 + [True] * 50
    assert no_children_left()


def test_map_split_below_the_minimum_stays_in_the_parent() -> None:
    results = list(map_split(lambda item: in_child(), list(range(10)), 0.5, minimum=32))
    assert results == [False] * 10


@pytest.mark.parametrize("broken_at", [50, 75, 99])
def test_a_child_failing_part_way_through_sending_is_completed_by_the_parent(broken_at: int) -> None:
    def square(item: int) -> Any:
        if item == broken_at and in_child():
            return lambda: item  # cannot be pickled: the child stops sending here
        return item * item

    assert list(map_split(square, list(range(100)), 0.5)) == [i * i for i in range(100)]
    assert no_children_left()


def test_a_child_raising_is_completed_by_the_parent() -> None:
    def square(item: int) -> int:
        if item == 80 and in_child():
            raise RuntimeError("only in the child")
        return item * item

    assert list(map_split(square, list(range(100)), 0.5)) == [i * i for i in range(100)]


def test_an_error_in_the_parent_stops_the_child() -> None:
    def square(item: int) -> int:
        if item == 10 and not in_child():
            raise KeyError(item)
        return item * item

    with pytest.raises(KeyError):
        list(map_split(square, list(range(100)), 0.5))
    assert no_children_left()


def test_closing_early_stops_the_child() -> None:
    results = map_split(lambda item: item, list(range(100)), 0.5)
    assert next(results) == 0
    results.close()
    assert no_children_left()


def test_usable_cores_reads_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONACO_JOBS", "3")
    assert parallel.usable_cores() == 3
    monkeypatch.setenv("MONACO_JOBS", "none")
    assert parallel.usable_cores() >= 1
