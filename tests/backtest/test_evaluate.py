"""The rule manager's pending -> firing -> resolved, replayed over hand-made points (monaco.backtest.evaluate)."""

from __future__ import annotations

from monaco.backtest.evaluate import Labels, grid, replay

A: Labels = (("instance", "a"),)
B: Labels = (("instance", "b"),)
MIN = 60.0
TIMES = grid(0, 60 * MIN, MIN)


def minutes(*spans: tuple[int, int]) -> list[float]:
    """Timestamps of every minute in the half-open spans."""
    return [m * MIN for a, b in spans for m in range(a, b)]


def fired(series: dict[Labels, list[float]], for_m: int, keep_m: int = 0, times: list[float] = TIMES) -> dict:
    """Per label set, (fired minute, resolved minute or None) of each firing."""
    result = replay(series, times, for_m * MIN, keep_m * MIN)
    return {
        labels: [(f.fired_at / MIN, None if f.resolved_at is None else f.resolved_at / MIN) for f in firings]
        for labels, firings in result.firings.items()
    }


def test_for_needs_consecutive_points_from_the_first_active_one() -> None:
    """Active in minutes 10-19 with for: 5m fires at 15 and resolves at 20; 4 minutes of activity never fire."""
    assert fired({A: minutes((10, 20), (30, 34))}, 5) == {A: [(15, 20)]}
    assert fired({A: minutes((30, 35))}, 5) == {}, "active at 30..34: 34 - 30 < 5m"
    assert fired({A: minutes((30, 36))}, 5) == {A: [(35, 36)]}


def test_a_gap_resets_pending() -> None:
    """A missing point (the query returned nothing) drops a pending alert: for counts again from the next."""
    assert fired({A: minutes((0, 4), (5, 12))}, 5) == {A: [(10, 12)]}


def test_for_zero_fires_on_the_first_point() -> None:
    """for: 0s fires at once and resolves at the first inactive evaluation."""
    assert fired({A: minutes((3, 4), (7, 9))}, 0) == {A: [(3, 4), (7, 9)]}


def test_keep_firing_for_extends_and_bridges() -> None:
    """keep_firing_for: 10m resolves 10m after the first inactive point; activity meanwhile restarts the count."""
    assert fired({A: minutes((0, 10))}, 5, keep_m=10) == {A: [(5, 20)]}
    assert fired({A: minutes((0, 10), (15, 16))}, 5, keep_m=10) == {A: [(5, 26)]}


def test_keep_firing_for_does_not_keep_a_pending_alert() -> None:
    """Only a firing alert is kept: a pending one that goes inactive is dropped as without it."""
    assert fired({A: minutes((0, 3))}, 5, keep_m=10) == {}


def test_still_firing_at_the_end_is_cut_there() -> None:
    """A firing alert at the range's end has no resolution; its duration runs to the last point."""
    result = replay({A: minutes((50, 61))}, TIMES, 5 * MIN)
    (firing,) = result.firings[A]
    assert firing.resolved_at is None and firing.seconds == 5 * MIN
    assert result.count == 1 and result.longest == 5 * MIN


def test_label_sets_appear_and_disappear_independently() -> None:
    """Each label set has its own state; one appearing late fires on its own schedule."""
    assert fired({A: minutes((0, 10)), B: minutes((5, 8), (20, 40))}, 5) == {A: [(5, 10)], B: [(25, 40)]}


def test_step_larger_than_for() -> None:
    """At a 10m step with for: 5m, two consecutive points fire (the second is 10m after the first)."""
    coarse = grid(0, 60 * MIN, 10 * MIN)
    assert fired({A: [0.0, 600.0, 1200.0]}, 5, times=coarse) == {A: [(10, 30)]}
    assert fired({A: [0.0, 1800.0]}, 5, times=coarse) == {}


def test_points_off_the_grid_are_not_evaluations() -> None:
    """Only evaluation times count: a point between them is not seen (as the rule manager would not see it)."""
    assert fired({A: [30.0, 90.0]}, 0) == {}


def test_totals() -> None:
    """count, seconds and longest sum over label sets."""
    result = replay({A: minutes((0, 10)), B: minutes((20, 40))}, TIMES, 5 * MIN)
    assert (result.count, result.seconds, result.longest) == (2, 20 * MIN, 15 * MIN)
    assert replay({}, [], 0).count == 0
