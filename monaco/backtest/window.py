"""The past range a backtest replays: `--range`, `--end` and `--step` read into an aligned evaluation grid."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from monaco.backtest.client import step_for
from monaco.spec.types import DEFAULT_EVALUATION_SECONDS, format_duration, parse_duration


@dataclass(frozen=True, slots=True)
class Window:
    """Evaluation times `start, start+step, ..., end` (end aligned down to the step)."""

    start: float
    end: float
    step: float
    raised_from: float | None = None
    """The step asked for, when it was raised to keep a query within MAX_POINTS points."""

    @property
    def seconds(self) -> float:
        """The length of the range."""
        return self.end - self.start

    def describe(self) -> str:
        """`2026-12-01T10:00:00Z .. 2026-12-02T10:00:00Z (1d, step 1m)`."""
        return f"{iso(self.start)} .. {iso(self.end)} ({format_duration(int(self.seconds))}, step {format_duration(int(self.step))})"


def iso(stamp: float) -> str:
    """A Unix time as `YYYY-MM-DDTHH:MM:SSZ`."""
    return dt.datetime.fromtimestamp(stamp, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_end(text: str, now: float) -> float:
    """`now`, `now-3h`, a Unix time in seconds, or an RFC 3339 time; raises ValueError otherwise."""
    value = text.strip()
    if value == "now":
        return now
    if value.startswith("now-"):
        return now - parse_duration(value[4:])
    try:
        return float(value)
    except ValueError:
        pass
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone; end it with Z or +00:00")
    return parsed.timestamp()


def window(range_text: str, end_text: str, step_text: str | None, now: float) -> Window:
    """The grid for a range ending at `end`; raises ValueError with what is wrong."""
    seconds = parse_duration(range_text)
    if seconds <= 0:
        raise ValueError(f"--range {range_text} is empty; give a positive duration such as 7d")
    # without --step, the grid the rule manager evaluates a group on
    wanted = parse_duration(step_text) if step_text else DEFAULT_EVALUATION_SECONDS
    if wanted <= 0:
        raise ValueError(f"--step {step_text} must be a positive duration such as 1m")
    end = parse_end(end_text, now)
    if end > now + 60:
        raise ValueError(f"--end {end_text} is in the future ({iso(end)}); a backtest reads the past")
    step = step_for(seconds, wanted)
    end = math.floor(end / step) * step
    raised = float(wanted) if step != wanted else None
    return Window(end - seconds, end, step, raised)
