"""Replaying an alerting rule over a range query's points, as Prometheus' rule manager would evaluate it.

At each evaluation time on the step grid a label set is *active* when the expression returned a
value for it. An active label set becomes pending; it fires once it has been active for `for`
(measured from the first of its consecutive active evaluations, so `for: 5m` at a 1m step needs six
active points); a pending label set that is inactive at one evaluation is dropped. A firing label set
that stops being active keeps firing while less than `keep_firing_for` has passed since the first
evaluation at which it was inactive, and is resolved at the first evaluation after that (Prometheus'
`KeepFiringSince`); becoming active again meanwhile cancels the countdown. A firing's duration runs
from the evaluation that fired it to the one that resolved it, or to the end of the range.

Pure: no I/O. Gaps (an evaluation at which the query returned nothing) count as inactive, as they do
for the rule manager; what was pending before the range started is not known, so it starts afresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

Labels = tuple[tuple[str, str], ...]
"""A label set, sorted by name."""


@dataclass(frozen=True, slots=True)
class Firing:
    """One firing of one label set: when it fired and when it resolved (None: still firing at the end)."""

    fired_at: float
    resolved_at: float | None
    end: float
    """The range's last evaluation time, where a firing still going is cut."""

    @property
    def seconds(self) -> float:
        """How long it fired, within the range."""
        return (self.resolved_at if self.resolved_at is not None else self.end) - self.fired_at


@dataclass(slots=True)
class _State:
    active_since: float
    firing_since: float | None = None
    inactive_since: float | None = None


@dataclass(frozen=True, slots=True)
class Replay:
    """The firings of every label set over the range, in order of firing."""

    firings: dict[Labels, list[Firing]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """How many times any label set fired."""
        return sum(len(f) for f in self.firings.values())

    @property
    def seconds(self) -> float:
        """The total firing time, summed over label sets."""
        return sum(f.seconds for fs in self.firings.values() for f in fs)

    @property
    def longest(self) -> float:
        """The longest single firing, in seconds (0 when none)."""
        return max((f.seconds for fs in self.firings.values() for f in fs), default=0.0)


def grid(start: float, end: float, step: float) -> list[float]:
    """The evaluation times `start, start+step, ... <= end` (as query_range returns them)."""
    count = int((end - start) // step) + 1 if end >= start else 0
    return [start + i * step for i in range(count)]


def replay(
    series: Mapping[Labels, Iterable[float]],
    times: Sequence[float],
    for_seconds: float,
    keep_firing_for_seconds: float = 0.0,
) -> Replay:
    """The firings over `times` of label sets active at the given timestamps (a truthy point each)."""
    active_at = {labels: set(stamps) for labels, stamps in series.items()}
    states: dict[Labels, _State] = {}
    result: dict[Labels, list[Firing]] = {}
    end = times[-1] if times else 0.0
    for t in times:
        for labels, stamps in active_at.items():
            state = states.get(labels)
            if t in stamps:
                if state is None:
                    state = states[labels] = _State(t)
                state.inactive_since = None
                if state.firing_since is None and t - state.active_since >= for_seconds:
                    state.firing_since = t
            elif state is not None and _ends(state, t, keep_firing_for_seconds):
                if state.firing_since is not None:
                    result.setdefault(labels, []).append(Firing(state.firing_since, t, end))
                del states[labels]
    for labels, state in states.items():
        if state.firing_since is not None:
            result.setdefault(labels, []).append(Firing(state.firing_since, None, end))
    return Replay({labels: result[labels] for labels in sorted(result)})


def _ends(state: _State, t: float, keep_firing_for: float) -> bool:
    """True when an inactive evaluation at `t` drops a pending label set or resolves a firing one."""
    if state.firing_since is None or keep_firing_for <= 0:
        return True
    if state.inactive_since is None:
        state.inactive_since = t
    return t - state.inactive_since >= keep_firing_for
