"""Rendering, planning and applying targets: render -> read_live -> diff -> apply, with diagnostics throughout."""

from __future__ import annotations

import contextlib
import difflib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

from monaco.backends import get_backend
from monaco.backends.base import (
    NEVER_CANCELLED,
    ApplyReport,
    Backend,
    LiveState,
    RenderResult,
    Target,
    duplicate_keys,
)
from monaco.backends.lock import LockBusy
from monaco.diagnostics import Diagnostic, Diagnostics, Level
from monaco.engine.session import FORK_SERVICES, SECRET_CODES, Session
from monaco.parallel import Forked
from monaco.plan.diff import diff
from monaco.plan.model import Plan, Resource, TargetPlan
from monaco.service_keys import names_a_service


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

    `progress` hears what is being read, and what it took, target by target. Every target is rendered
    before any is read, so a target whose read needs nothing rendered can be read by a forked child
    meanwhile (`read_beside_render`)."""
    early = _early_read(targets)
    try:
        rendered = [render(session, target) for target in targets]
        result = Plan()
        for target, (backend, desired) in zip(targets, rendered, strict=True):
            progress(f"Reading live state of {target.name} ({target.backend})...")
            read = early.pop(target.name, None)
            found = _read_live(backend, target, session.diagnostics, desired.resources, read)
            if found is None:
                continue
            live, took = found
            progress(f"  {target.name}: {len(live.resources)} live resources, {live.calls} reads, {took:.1f}s")
            result.targets.append(_target_plan(session, backend, target, desired.resources, live))
        return result
    finally:
        for read in early.values():
            read.cancel()


def _target_plan(
    session: Session, backend: Backend, target: Target, desired: list[Resource], live: LiveState
) -> TargetPlan:
    """The target's changes from what is live to what is desired; refusals and read problems go to the session."""
    session.diagnostics.extend(live.diagnostics)
    target_plan, refusals = diff(target.name, target.backend, desired, live.resources, backend.requires_replace)
    session.diagnostics.extend(refusals)
    if backend.merged_config and target_plan.changes:
        target_plan.merged_diff = merged_diff(backend, target, live.resources, desired)
    return target_plan


def _early_read(targets: list[Target]) -> dict[str, Forked[tuple[LiveState, float]]]:
    """A forked child reading the first target that `read_beside_render` while the others are rendered, when
    there are others and it is large enough to be worth a fork; keyed by target name."""
    if len(targets) < 2:
        return {}
    for target in targets:
        backend = get_backend(target.backend)
        if backend.read_beside_render and len(target.selected) >= FORK_SERVICES:
            return {target.name: Forked(partial(_timed_read, backend, target, []))}
    return {}


def _timed_read(backend: Backend, target: Target, desired: list[Resource]) -> tuple[LiveState, float]:
    """What the target holds now, and the seconds reading it took."""
    started = time.monotonic()
    live = backend.read_live_knowing(target, desired)
    return live, time.monotonic() - started


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


def _read_live(
    backend: Backend,
    target: Target,
    diagnostics: Diagnostics,
    desired: list[Resource],
    early: Forked[tuple[LiveState, float]] | None = None,
) -> tuple[LiveState, float] | None:
    """What the target holds now and the seconds it took, from `early` when a child read it; a place that cannot
    be read (a directory where a file belongs) is MON421."""
    try:
        return early.result() if early is not None else _timed_read(backend, target, desired)
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
