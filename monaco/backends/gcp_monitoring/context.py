"""What rendering one gcp_monitoring target accumulates, and the labels every object carries (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from monaco.backends.base import Target
from monaco.backends.gcp_monitoring.canonical import canonical
from monaco.backends.gcp_monitoring.config import (
    ID_LABEL,
    OWNER_LABEL,
    OWNER_VALUE,
    TARGET_LABEL,
    GcpConfig,
    label_value,
)
from monaco.backends.unsupported import not_here
from monaco.diagnostics import Diagnostic, Level, Span
from monaco.ir.nodes import Receiver
from monaco.plan.model import Resource

MISSING_SOURCE = "MON801"


def owner_labels(target: str, object_id: str) -> dict[str, str]:
    """monaco's marker, the owning target and the object's stable id, as user labels."""
    return {OWNER_LABEL: OWNER_VALUE, TARGET_LABEL: label_value(target), ID_LABEL: object_id}


def identity_labels(labels: dict[str, str]) -> dict[str, str]:
    """`labels` (service, team, severity, ...) as valid user labels: keys and values made label-safe."""
    safe: dict[str, str] = {}
    for key, value in sorted(labels.items()):
        safe_key = label_value(key if key[:1].isalpha() else f"l_{key}")
        safe[safe_key] = label_value(value) if value else ""
    return safe


@dataclass(slots=True)
class Context:
    """Resources, diagnostics and receivers used while rendering one target."""

    config: GcpConfig
    target: Target
    receivers: dict[str, Receiver]
    paging: frozenset[str] = frozenset()
    """The workspace's paging severities (CRITICAL policies)."""
    resources: list[Resource] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    def report(
        self, code: str, message: str, span: Span | None, hint: str | None = None, lvl: Level = Level.ERROR
    ) -> None:
        """Record a diagnostic, prefixed with the target's name."""
        self.diagnostics.append(Diagnostic(code, f"target {self.target.name}: {message}", span, hint, lvl))

    def not_here(self, code: str, message: str, span: Span | None, hint: str | None = None) -> None:
        """Record that this target cannot express something, at the level the target sets for `code`."""
        self.diagnostics.append(not_here(self.target, code, message, span, hint))

    def missing_source(self, what: str, span: Span) -> None:
        """An alert or SLO with no gcp source: not rendered here (MON801, at the target's level)."""
        self.not_here(
            MISSING_SOURCE,
            f"{what} has no gcp source; it is not rendered on this target",
            span,
            "add `gcp: {metric_type, resource_type, ...}` (or `gcp: {promql: ...}`) next to its other sources",
        )

    def add(self, kind: str, name: str, raw: dict[str, Any], address: str, notes: dict[str, str]) -> None:
        """Add one object in canonical form."""
        body = canonical(kind, raw)
        self.resources.append(Resource(kind, name, body, notes=notes, address=address))
