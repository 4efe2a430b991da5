"""The drill contract between the orchestration and a backend: the alert to send, and what each receiver got."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from monaco.diagnostics import Diagnostic, Level
from monaco.drill.codes import NOT_DRILLABLE
from monaco.spec.models import SeverityLevel

DRILL_LABEL = "drill"
DRILL_ALERTNAME = "MonacoDrill"


@dataclass(frozen=True, slots=True)
class DrillAlert:
    """One synthetic alert: its labels (routing sees them), annotations, and the receivers routes expect."""

    drill_id: str
    service: str
    severity: str
    labels: dict[str, str]
    annotations: dict[str, str]
    expected: tuple[str, ...]
    """The receivers the spec's routes give an alert with these labels, in order."""
    severity_levels: tuple[SeverityLevel, ...] = ()
    """The workspace's severities, most severe first (a backend maps `severity` into its own terms with them)."""


@dataclass(frozen=True, slots=True)
class DrillWait:
    """How long to wait for deliveries, and how often to look (every wait in a drill is bounded by it)."""

    timeout: float = 60.0
    interval: float = 0.5

    def deadline(self) -> float:
        """The monotonic time at which waiting stops."""
        return time.monotonic() + self.timeout


@dataclass(frozen=True, slots=True)
class Delivery:
    """Whether one receiver got the drill alert, and how many seconds after it was sent."""

    receiver: str
    delivered: bool
    seconds: float | None = None
    expected: bool = True
    detail: str = ""


@dataclass(slots=True)
class DrillResult:
    """What a backend's drill observed: per receiver deliveries, what it cleaned up, and problems."""

    deliveries: list[Delivery] = field(default_factory=list)
    cleaned_up: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when something was expected, every expected receiver got it, and nothing went wrong."""
        expected = [d for d in self.deliveries if d.expected]
        errors = [d for d in self.diagnostics if d.level is Level.ERROR]
        return bool(expected) and all(d.delivered for d in expected) and not errors


def not_drillable(kind: str) -> DrillResult:
    """The answer of a backend with no drill: a diagnostic, no delivery."""
    return DrillResult(
        diagnostics=[
            Diagnostic(
                NOT_DRILLABLE,
                f"a {kind} target cannot be drilled: it has no pipeline monaco can send a synthetic alert through",
                hint="drill the target that delivers this service's alerts (alertmanager, aws_cloudwatch, pagerduty)",
            )
        ]
    )


def elapsed_since(started: float) -> float:
    """Seconds since the monotonic time `started`, rounded to milliseconds."""
    return round(time.monotonic() - started, 3)
