"""A team's on-call as the backend uses it: the IR's `Service.oncall` with each escalation target placed."""

from __future__ import annotations

from dataclasses import dataclass

from monaco.diagnostics import Span
from monaco.ir.nodes import Service
from monaco.spec.oncall import EscalationTarget, OnCallSpec


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


def team_oncall(service: Service) -> Declaration | None:
    """The on-call of the service's team with the position of every target, or None when it declares none."""
    oncall = service.oncall
    if oncall is None:
        return None
    levels = tuple(
        tuple(PlacedTarget(target, span) for target, span in zip(level.targets, spans, strict=True))
        for level, spans in zip(oncall.spec.escalation_policy.levels, oncall.target_spans, strict=True)
    )
    return Declaration(oncall.team, oncall.spec, oncall.origin, levels)
