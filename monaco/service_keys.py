"""PagerDuty integration keys that receivers name (`pagerduty: {service: X}`), for plans and applies.

A receiver that names a PagerDuty service carries the secret reference `pagerduty:X`. `validate` checks only
that X is a PagerDuty service monaco makes (MON1004, with a did-you-mean), never calling PagerDuty. `plan`
reads the key from the pagerduty target that makes X, once per plan, and shows it as a fingerprint like any
secret; a service that does not exist yet shows `(created by this apply)`. `apply` applies pagerduty
targets first, then reads the (new) key and re-renders the changes that carry it, so what is written holds
the real key and the next plan is empty. No pagerduty target making X is MON1005, two are MON1006; a
PagerDuty that cannot be read is MON1002.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, cast

from monaco.backends import get_backend
from monaco.backends.base import Target
from monaco.diagnostics import Diagnostic, Diagnostics, Span
from monaco.ir.nodes import Model, Service
from monaco.plan.model import Change
from monaco.spec.load import Workspace
from monaco.spec.secrets import fingerprint, service_key_name

PENDING = "(created by this apply)"
"""How a key shows in a plan while its PagerDuty service does not exist yet: never written anywhere."""
NOT_READ = "(read from PagerDuty at plan time)"
"""How a key shows where no PagerDuty access is wanted (validate, compile, routes)."""
UNKNOWN = "(unknown: see the diagnostic)"
"""How a key shows when it cannot be known (no pagerduty target makes the service, or PagerDuty is unreadable)."""
KIND = "pagerduty"
"""The backend whose targets make the PagerDuty services receivers name."""


class KeySource(Protocol):
    """What the pagerduty backend answers about the services it makes (the engine imports no backend)."""

    def service_names(self, services: Sequence[Service], targets: Iterable[Target]) -> set[str]:
        """Every name a receiver may give."""
        ...

    def makes(self, target: Target) -> set[str]:
        """The names one pagerduty target makes."""
        ...

    def integration_keys(self, target: Target, names: Iterable[str]) -> dict[str, str | None]:
        """name -> key (None: not made yet)."""
        ...

    def unknown_service(self, name: str, span: Span, known: Iterable[str]) -> Diagnostic:
        """MON1004."""
        ...

    def owners_problem(self, name: str, owners: Sequence[Target], span: Span | None) -> Diagnostic:
        """MON1005 or MON1006."""
        ...

    def unreadable(self, target: Target, name: str, exc: Exception) -> Diagnostic | None:
        """MON1002, or None for an exception that is not PagerDuty's."""
        ...


def source() -> KeySource:
    """The pagerduty backend, as the source of keys."""
    return cast(KeySource, get_backend(KIND))


def reference_spans(workspace: Workspace) -> dict[str, list[Span]]:
    """Service name -> where receivers name it (the `service:` value), in file order."""
    spans: dict[str, list[Span]] = {}
    documents = [(t.spec.receivers, t.doc) for t in workspace.teams]
    documents += [(s.spec.receivers, s.doc) for s in workspace.services]
    for receivers, doc in documents:
        for i, receiver in enumerate(receivers):
            name = receiver.pagerduty.service if receiver.pagerduty is not None else None
            if name is not None:
                spans.setdefault(name, []).append(doc.span(("receivers", i, "pagerduty", "service")))
    return spans


def check_references(workspace: Workspace, model: Model, targets: Iterable[Target], diagnostics: Diagnostics) -> None:
    """MON1004 for each `service:` that names no PagerDuty service monaco makes (no PagerDuty call)."""
    spans = reference_spans(workspace)
    if not spans:
        return
    keys = source()
    known = keys.service_names(model.services, targets)
    for name, places in sorted(spans.items()):
        if name not in known:
            diagnostics.extend(keys.unknown_service(name, span, known) for span in places)


def names_a_service(change: Change) -> bool:
    """True when the change's desired resource carries a key read from PagerDuty."""
    return change.after is not None and any(service_key_name(ref) for ref in change.after.secrets.values())


@dataclass(slots=True)
class ServiceKeys:
    """The keys one plan or apply reads: each owning target read once, until `forget`."""

    targets: list[Target]
    diagnostics: Diagnostics
    spans: dict[str, list[Span]]
    keys: dict[str, str | None] = field(default_factory=dict)
    """name -> its key, or None while its PagerDuty service does not exist."""
    failed: set[str] = field(default_factory=set)
    """Names whose key cannot be known (already reported)."""

    def fingerprint(self, name: str) -> str:
        """The key's fingerprint for a plan, `(created by this apply)`, or UNKNOWN (reported once)."""
        self._ensure(name)
        if name in self.failed:
            return UNKNOWN
        key = self.keys[name]
        return PENDING if key is None else fingerprint(key)

    def value(self, name: str) -> str:
        """The key itself, for apply; KeyError when there is none (yet)."""
        self._ensure(name)
        key = self.keys.get(name)
        if key is None:
            why = "it cannot be read" if name in self.failed else "its PagerDuty service does not exist yet"
            raise KeyError(f"no integration key for PagerDuty service {name!r}: {why} (apply its pagerduty target)")
        return key

    def forget(self) -> None:
        """Read again next time (after a pagerduty target was applied)."""
        self.keys.clear()
        self.failed.clear()

    def _ensure(self, name: str) -> None:
        if name in self.keys or name in self.failed:
            return
        keys = source()
        owners = [t for t in self.targets if t.backend == KIND and name in keys.makes(t)]
        if len(owners) != 1:
            places: list[Span | None] = [*self.spans.get(name, [])] or [None]
            self.diagnostics.extend(keys.owners_problem(name, owners, span) for span in places)
            self.failed.add(name)
            return
        wanted = {n for n in self.spans if n in keys.makes(owners[0])} | {name}
        try:
            self.keys.update(keys.integration_keys(owners[0], wanted))
        except Exception as exc:  # PagerDuty's errors and an unset token are reported, anything else raised
            problem = keys.unreadable(owners[0], name, exc)
            if problem is None:
                raise
            self.diagnostics.add(problem)
            self.failed.update(wanted)
