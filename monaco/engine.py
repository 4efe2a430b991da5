"""Orchestration: load -> check -> lower -> render -> read_live -> diff -> apply, with diagnostics throughout."""

from __future__ import annotations

import contextlib
import difflib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from monaco.backends import REGISTRY, get_backend, source_families, suggest
from monaco.backends.base import (
    NEVER_CANCELLED,
    SECRET_NOT_SET,
    ApplyReport,
    Backend,
    LiveState,
    RenderResult,
    Target,
    duplicate_keys,
)
from monaco.backends.lock import LockBusy
from monaco.diagnostics import Diagnostic, Diagnostics, Level, Span
from monaco.ir.label_checks import check_identity_labels
from monaco.ir.lower import lower
from monaco.ir.nodes import Model, Service
from monaco.parallel import Forked
from monaco.plan.diff import diff
from monaco.plan.model import Plan, Resource, TargetPlan
from monaco.service_keys import NOT_READ, UNKNOWN, ServiceKeys, check_references, names_a_service, reference_spans
from monaco.spec.checks import check_workspace
from monaco.spec.load import Located, Workspace, load_workspace, validate_model
from monaco.spec.models import TargetSpec
from monaco.spec.secrets import fingerprint, resolve, service_key_name

SECRET_CODES = frozenset({SECRET_NOT_SET})
"""Diagnostics that say a referenced secret cannot be read (every backend reports it under one code)."""
_FORK_SERVICES = 50
"""From this many services, source checks run in a forked child beside lowering (below, a fork costs more)."""


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
    checks = Forked(partial(family_checks, workspace), worth_forking=len(workspace.services) >= _FORK_SERVICES)
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
        if not any(d.level is Level.ERROR for d in found):
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


def render(session: Session, target: Target, *, need_secrets: bool = True) -> tuple[Backend, RenderResult]:
    """The target's desired resources; a resource key rendered twice is an error.

    With `need_secrets=False` (compile), an unreadable secret is a warning: nothing is applied.
    """
    assert session.model is not None
    backend = get_backend(target.backend)
    fingerprints = session.secret_fingerprint if need_secrets else session.offline_fingerprint
    result = backend.render(session.model, target, fingerprints)
    result.diagnostics.extend(duplicate_keys(target, result.resources))
    result.diagnostics = _secret_diagnostics_once(session, result.diagnostics, need_secrets)
    session.diagnostics.extend(result.diagnostics)
    return backend, result


def check(session: Session, target: Target) -> None:
    """Record what rendering the target would report (validate), without secrets; a backend may skip rendering."""
    assert session.model is not None
    found = get_backend(target.backend).check(session.model, target, session.offline_fingerprint)
    session.diagnostics.extend(_secret_diagnostics_once(session, found, need_secrets=False))


def _secret_diagnostics_once(session: Session, found: list[Diagnostic], need_secrets: bool) -> list[Diagnostic]:
    """An unset secret is reported once per reference and place, however many targets use it; a note when
    the command needs no values (validate, compile): a note, since they check references, not values."""
    kept = []
    for diagnostic in found:
        if diagnostic.code in SECRET_CODES:
            if diagnostic in session.reported_secrets:  # every backend words it alike (fingerprint_or_report)
                continue
            session.reported_secrets.add(diagnostic)
            if not need_secrets:
                diagnostic = replace(diagnostic, level=Level.INFO, hint=_NOT_NEEDED_HINT)
        kept.append(diagnostic)
    return kept


_NOT_NEEDED_HINT = "validate and compile need no secret values; plan and apply read it: export it or create the file"


def plan(session: Session, targets: list[Target], progress: Callable[[str], None] = lambda line: None) -> Plan:
    """Render every target, read what is live, and diff; problems are recorded in the session.

    `progress` hears what is being read, and what it took, target by target."""
    result = Plan()
    for target in targets:
        backend, rendered = render(session, target)
        progress(f"Reading live state of {target.name} ({target.backend})...")
        started = time.monotonic()
        live = _read_live(backend, target, session.diagnostics, rendered.resources)
        if live is None:
            continue
        took = time.monotonic() - started
        progress(f"  {target.name}: {len(live.resources)} live resources, {live.calls} reads, {took:.1f}s")
        session.diagnostics.extend(live.diagnostics)
        target_plan, refusals = diff(
            target.name, target.backend, rendered.resources, live.resources, backend.requires_replace
        )
        session.diagnostics.extend(refusals)
        if backend.merged_config and target_plan.changes:
            target_plan.merged_diff = merged_diff(backend, target, live.resources, rendered.resources)
        result.targets.append(target_plan)
    return result


def merged_diff(
    backend: Backend, target: Target, live: list[Resource], desired: list[Resource]
) -> dict[str, list[str]]:
    """Per file, the unified diff of the whole file as it is live and as apply will write it (secrets as the
    placeholders `compile_files` writes; the live values stay in the live file). Nothing when nothing is live:
    a first plan shows each create once."""
    owned = [r for r in live if r.owned]
    if not owned:
        return {}
    before = backend.compile_files(target, owned)
    after = backend.compile_files(target, desired)
    found: dict[str, list[str]] = {}
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name, "").splitlines(), after.get(name, "").splitlines()
        lines = list(difflib.unified_diff(old, new, f"live/{name}", f"after-apply/{name}", lineterm="", n=3))
        if lines:
            found[name] = lines
    return found


def _read_live(backend: Backend, target: Target, diagnostics: Diagnostics, desired: list[Resource]) -> LiveState | None:
    """What the target holds now; a place that cannot be read (a directory where a file belongs) is MON421."""
    try:
        return backend.read_live_knowing(target, desired)
    except OSError as exc:
        diagnostics.error(
            "MON421",
            f"target {target.name}: cannot read what is live: {exc.strerror or exc} ({exc.filename or ''})",
            target.origin,
            "check the paths in the target's config and their permissions",
        )
        return None


def stale_resources(session: Session, saved: TargetPlan, target: Target) -> list[str]:
    """Keys of live resources the plan depends on that changed since it was made (added, removed or modified).

    The plan depends on what the target owns and on every key it would write; another target's
    objects elsewhere in a shared place do not make it stale.
    """
    backend = get_backend(target.backend)
    live = backend.read_live(target)
    relevant = set(saved.live_fingerprints) | {c.key for c in saved.changes}
    now = {r.key: r.fingerprint() for r in live.resources if r.owned or r.key in relevant}
    keys = set(now) | set(saved.live_fingerprints)
    return sorted(k for k in keys if now.get(k) != saved.live_fingerprints.get(k))


def apply(
    session: Session,
    plan_to_apply: Plan,
    progress: Callable[[str], None] = lambda line: None,
    lock_timeout: float = 0.0,
    cancel: threading.Event = NEVER_CANCELLED,
) -> dict[str, ApplyReport]:
    """Apply each target's changes under its lock; a failed target does not stop the others.

    Under the lock, live state is read again: a target that changed since the plan was made (another
    apply got there first) is refused, never written over. PagerDuty targets go first: receivers elsewhere
    may carry the integration key of a service they create, read after them (`service_keys`).
    """
    targets = {t.name: t for t in session.targets}
    reports: dict[str, ApplyReport] = {}
    for target_plan in sorted(plan_to_apply.targets, key=lambda p: p.backend != "pagerduty"):
        if not target_plan.changes:
            continue
        target = targets[target_plan.target]
        if cancel.is_set():
            reports[target.name] = ApplyReport().cancelled(target_plan.changes)
            continue
        progress(f"Applying {len(target_plan.changes)} changes to {target.name} ({target.backend})...")
        if any(names_a_service(c) for c in target_plan.changes):
            target_plan = _with_service_keys(session, target, target_plan)
        reports[target.name] = _apply_locked(session, target, target_plan, progress, lock_timeout, cancel)
        if target.backend == "pagerduty" and session.service_keys is not None:
            session.service_keys.forget()
    return reports


def _with_service_keys(session: Session, target: Target, target_plan: TargetPlan) -> TargetPlan:
    """The plan's changes, those carrying a PagerDuty integration key rendered again now that it can be read
    (a service the plan showed as `(created by this apply)` exists now): what is written holds its fingerprint."""
    assert session.model is not None
    rendered = get_backend(target.backend).render(session.model, target, session.secret_fingerprint)
    fresh = {r.key: r for r in rendered.resources}
    changes = [replace(c, after=fresh.get(c.key, c.after)) if names_a_service(c) else c for c in target_plan.changes]
    return replace(target_plan, changes=changes)


def _apply_locked(
    session: Session,
    target: Target,
    target_plan: TargetPlan,
    progress: Callable[[str], None],
    lock_timeout: float,
    cancel: threading.Event,
) -> ApplyReport:
    """Lock the target, re-read it, refuse if it moved since the plan, else apply exactly the plan."""
    backend = get_backend(target.backend)
    changes = target_plan.changes
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(backend.lock(target, lock_timeout, progress))
        except LockBusy as exc:
            return ApplyReport().none_applied(changes, str(exc), "not applied (target locked)")
        except OSError as exc:
            return ApplyReport().none_applied(changes, f"cannot take the apply lock: {exc}", "not applied (no lock)")
        try:
            stale = stale_resources(session, target_plan, target)
        except OSError as exc:
            return ApplyReport().none_applied(changes, f"cannot read what is live: {exc}", "not applied")
        if stale:
            return ApplyReport().none_applied(
                changes,
                f"changed since the plan was made ({', '.join(stale)}); refusing to write over it. "
                "Run `monaco plan` again",
                "not applied (stale plan)",
            )
        return backend.apply(target, changes, session.secret_value, progress, cancel)
    raise AssertionError("unreachable")


def load_plan_file(path: Path) -> Plan:
    """A saved plan; raises ValueError with a readable message when it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Plan.from_json(data)
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"{path} is not a monaco plan: {exc}") from None
