"""Teams' on-call declarations with their spec positions, as the pagerduty family's check recorded them.

The IR (`monaco.ir.nodes.Model`) has no teams, so the backend cannot read a Team's `oncall:` from the model
render is given. The family's check hook, which every command runs on the loaded workspace just before
lowering and rendering, records them here; render and read_live look a team up by name. One process loads
one workspace at a time (the CLI, each test), so the last recorded workspace is the one being rendered.
Once the IR carries each service's on-call, this module goes away.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from monaco.diagnostics import Span
from monaco.spec.oncall import EscalationTarget, OnCallSpec

if TYPE_CHECKING:
    from monaco.spec.load import Located
    from monaco.spec.models import TeamSpec


@dataclass(frozen=True, slots=True)
class PlacedTarget:
    """One escalation target and where it was written."""

    target: EscalationTarget
    span: Span

    @property
    def kind(self) -> str:
        """`schedule` or `user`."""
        return "schedule" if self.target.schedule is not None else "user"

    @property
    def ref(self) -> str:
        """The name (or email) the spec wrote."""
        return self.target.schedule or self.target.user or ""


@dataclass(frozen=True, slots=True)
class Declaration:
    """A team's on-call, with the position of the block and of every target."""

    team: str
    oncall: OnCallSpec
    span: Span
    targets: tuple[tuple[PlacedTarget, ...], ...]
    """Per level, its targets with positions."""


def declarations(teams: Iterable[Located[TeamSpec]]) -> dict[str, Declaration]:
    """Team name -> its on-call declaration, for every Team that declares one."""
    found: dict[str, Declaration] = {}
    for located in teams:
        oncall = located.spec.oncall
        if oncall is None:
            continue
        doc = located.doc
        levels = tuple(
            tuple(
                PlacedTarget(target, doc.span(("oncall", "escalation_policy", "levels", i, "targets", j)))
                for j, target in enumerate(level.targets)
            )
            for i, level in enumerate(oncall.escalation_policy.levels)
        )
        name = located.spec.metadata.name
        found[name] = Declaration(name, oncall, doc.span(("oncall",)), levels)
    return found


class OnCallIndex:
    """The declarations of the workspace loaded last."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_team: dict[str, Declaration] = {}

    def replace(self, found: dict[str, Declaration]) -> None:
        """Forget the previous workspace's declarations and keep these."""
        with self._lock:
            self._by_team = dict(found)

    def get(self, team: str) -> Declaration | None:
        """A team's declaration, or None when it declares no on-call."""
        with self._lock:
            return self._by_team.get(team)


ONCALL = OnCallIndex()
"""The process's index (one workspace is loaded at a time)."""
