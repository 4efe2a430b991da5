"""Loading a workspace into a session: load -> check -> lower, and the targets it selects."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from monaco.backends import REGISTRY, get_backend, source_families, suggest
from monaco.backends.base import (
    SECRET_NOT_SET,
    Target,
)
from monaco.diagnostics import Diagnostic, Diagnostics, Span
from monaco.ir.label_checks import check_identity_labels
from monaco.ir.lower import lower
from monaco.ir.nodes import Model, Service
from monaco.parallel import Forked
from monaco.service_keys import NOT_READ, UNKNOWN, ServiceKeys, check_references, reference_spans
from monaco.spec.checks import check_workspace
from monaco.spec.load import Located, Workspace, load_workspace, validate_model
from monaco.spec.models import TargetSpec
from monaco.spec.secrets import fingerprint, resolve, service_key_name

SECRET_CODES = frozenset({SECRET_NOT_SET})
"""Diagnostics that say a referenced secret cannot be read (every backend reports it under one code)."""
FORK_SERVICES = 50
"""From this many services, work runs in a forked child beside the parent's (below, a fork costs more)."""


@dataclass(slots=True)
class Session:
    """A loaded workspace: its model, its targets and every diagnostic found on the way."""

    workspace: Workspace
    diagnostics: Diagnostics
    model: Model | None = None
    targets: list[Target] = field(default_factory=list)
    secret_fingerprints: dict[str, str | None] = field(default_factory=dict)
    reported_secrets: set[Diagnostic] = field(default_factory=set)
    """Unset secrets already reported, so each is said once however many targets use it."""
    service_keys: ServiceKeys | None = None
    """The PagerDuty integration keys receivers name (`pagerduty:<service>`), read when first needed."""

    def secret_fingerprint(self, ref: str, span: Span | None) -> str | None:
        """The fingerprint of a referenced secret, or None if it cannot be read (cached per reference)."""
        name = service_key_name(ref)
        if name is not None:
            return self.service_keys.fingerprint(name) if self.service_keys is not None else UNKNOWN
        if ref not in self.secret_fingerprints:
            try:
                self.secret_fingerprints[ref] = fingerprint(resolve(ref))
            except KeyError:
                self.secret_fingerprints[ref] = None
        return self.secret_fingerprints[ref]

    def offline_fingerprint(self, ref: str, span: Span | None) -> str | None:
        """As `secret_fingerprint`, but a key PagerDuty holds is not read (validate, compile, routes)."""
        return NOT_READ if service_key_name(ref) is not None else self.secret_fingerprint(ref, span)

    def secret_value(self, ref: str) -> str:
        """A secret's value, for apply only; KeyError when it cannot be had."""
        name = service_key_name(ref)
        if name is None:
            return resolve(ref)
        if self.service_keys is None:
            raise KeyError(f"no integration key for PagerDuty service {name!r}")
        return self.service_keys.value(name)


def load_checked(paths: list[Path], diagnostics: Diagnostics) -> Workspace:
    """Load spec and target files and check them: structure, cross-references, each source family's checks."""
    workspace = _load_structure(paths, diagnostics)
    diagnostics.extend(family_checks(workspace))
    return workspace


def _load_structure(paths: list[Path], diagnostics: Diagnostics) -> Workspace:
    """Load spec and target files and check their structure and cross-references (not their sources)."""
    workspace = load_workspace(paths, diagnostics, source_families())
    check_workspace(workspace, diagnostics)
    check_identity_labels(workspace, diagnostics)
    return workspace


def family_checks(workspace: Workspace) -> list[Diagnostic]:
    """What each source family's checks find in the workspace (PromQL parses, templates); reads, never writes."""
    found = Diagnostics()
    for family in workspace.families:
        if family.check is not None:
            family.check(workspace, found)
    return found.items


def load(spec_paths: list[Path], target_paths: list[Path]) -> Session:
    """Load, check and lower specs and targets; stops short of rendering when inputs have errors."""
    diagnostics = Diagnostics()
    workspace = _load_structure([*spec_paths, *target_paths], diagnostics)
    session = Session(workspace, diagnostics)
    checks = Forked(partial(family_checks, workspace), worth_forking=len(workspace.services) >= FORK_SERVICES)
    model = _lower_beside(checks, workspace, diagnostics)
    if model is None:
        return session
    session.model = model
    for located in sorted(workspace.targets, key=lambda t: t.spec.metadata.name):
        target = _target(located, session.model, diagnostics)
        if target is not None:
            session.targets.append(target)
    _check_overlaps(session.targets, diagnostics)
    check_references(workspace, session.model, session.targets, diagnostics)
    session.service_keys = ServiceKeys(session.targets, diagnostics, reference_spans(workspace))
    return session


def _lower_beside(checks: Forked[list[Diagnostic]], workspace: Workspace, diagnostics: Diagnostics) -> Model | None:
    """The lowered model, lowered while the source checks run beside it; None when the inputs have errors.

    The outcome is the serial one: the checks' diagnostics come first, and when they hold an error the
    lowering is dropped (with its diagnostics, or its failure) as if it had never run."""
    if diagnostics.has_errors:
        diagnostics.extend(checks.result())
        return None
    lowered = Diagnostics()
    try:
        model = lower(workspace, lowered)
    except Exception:
        found = checks.result()
        if not Diagnostics(found).has_errors:
            raise
        diagnostics.extend(found)
        return None
    diagnostics.extend(checks.result())
    if diagnostics.has_errors:
        return None
    diagnostics.extend(lowered)
    return model


def _check_overlaps(targets: list[Target], diagnostics: Diagnostics) -> None:
    """MON132: two targets that would write the same file or object cannot coexist; each would undo the other."""
    claimed: dict[str, Target] = {}
    for target in targets:
        for place in sorted(get_backend(target.backend).claims(target)):
            first = claimed.setdefault(place, target)
            if first is not target:
                diagnostics.error(
                    "MON132",
                    f"targets {first.name} and {target.name} would both write {place}",
                    target.origin,
                    "give them different directories, files or prefixes, or select each service into only one",
                )
                break


def _target(located: Located[TargetSpec], model: Model, diagnostics: Diagnostics) -> Target | None:
    spec, doc = located.spec, located.doc
    if spec.backend not in REGISTRY:
        close = suggest(spec.backend)
        diagnostics.error(
            "MON130",
            f"unknown backend {spec.backend!r}",
            doc.span(("backend",)),
            f"did you mean {close!r}?" if close else f"backends: {', '.join(sorted(REGISTRY))}",
        )
        return None
    backend = get_backend(spec.backend)
    config = validate_model(backend.config_model, doc, diagnostics, ("config",))
    if config is None:
        return None
    selected = tuple(s for s in model.services if _selects(spec.select, s))
    target = Target(
        spec.metadata.name, spec.backend, config, Path(doc.file).parent, doc.span(("metadata", "name")), selected
    )
    inputs, problems = backend.load_inputs(target)
    diagnostics.extend(problems)
    return replace(target, inputs=inputs)


def _selects(selector: dict[str, str | list[str]], service: Service) -> bool:
    labels = service.selector_labels()
    return all(labels.get(k) in (v if isinstance(v, list) else [v]) for k, v in selector.items())


def choose_targets(session: Session, names: list[str]) -> list[Target]:
    """The named targets (all when `names` is empty); an unknown name is a diagnostic."""
    if not names:
        return session.targets
    known = {t.name: t for t in session.targets}
    for name in names:
        if name not in known:
            session.diagnostics.error(
                "MON131", f"no target named {name!r}", hint=f"targets: {', '.join(sorted(known))}"
            )
    return [known[n] for n in names if n in known]
