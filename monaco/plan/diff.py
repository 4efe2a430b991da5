"""Desired and live resources to an ordered list of changes; pure and backend-agnostic."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from monaco.diagnostics import Diagnostic
from monaco.plan.model import Action, Change, LiveFingerprints, Resource, TargetPlan


def diff(
    target: str,
    backend: str,
    desired: Sequence[Resource],
    live: Sequence[Resource],
    requires_replace: Callable[[Resource, Resource], bool] = lambda before, after: False,
) -> tuple[TargetPlan, list[Diagnostic]]:
    """The changes that make `live` match `desired`; unowned live resources are never touched.

    A desired resource whose key is held by an unowned live resource is refused with a diagnostic
    (writing it would overwrite something monaco did not make).
    """
    live_by_key = {r.key: r for r in live}
    desired_keys = {r.key for r in desired}
    watched = LiveFingerprints([r for r in live if r.owned or r.key in desired_keys])
    plan = TargetPlan(target, backend, live_fingerprints=watched)
    refusals: list[Diagnostic] = []
    for resource in sorted(desired, key=lambda r: r.key):
        current = live_by_key.get(resource.key)
        if current is None:
            plan.changes.append(Change(Action.CREATE, None, resource))
        elif not current.owned:
            refusals.append(_refusal(target, resource.key, current.holder))
        elif current.body == resource.body:
            plan.unchanged += 1
        elif requires_replace(current, resource):
            plan.changes.append(Change(Action.REPLACE, current, resource))
        else:
            plan.changes.append(Change(Action.UPDATE, current, resource))
    for resource in sorted(live, key=lambda r: r.key):
        if resource.owned and resource.key not in desired_keys:
            plan.changes.append(Change(Action.DELETE, resource, None))
    return plan, refusals


def _refusal(target: str, key: str, holder: str) -> Diagnostic:
    """MON410: a desired resource whose key is held by something this target does not own."""
    if holder and holder != "not monaco":
        return Diagnostic(
            "MON410",
            f"target {target}: {key} exists and belongs to {holder}; refusing to overwrite it",
            hint="two targets would write the same object: select the service into only one of them",
        )
    return Diagnostic(
        "MON410",
        f"target {target}: {key} exists and is not managed by monaco; refusing to overwrite it",
        hint="rename the spec's object, delete the existing one by hand, or add monaco's owner marker",
    )


def after_changes(live: Sequence[Resource], changes: Sequence[Change]) -> dict[str, Resource]:
    """The owned resources a target holds once `changes` are applied to `live`, by key."""
    state = {r.key: r for r in live if r.owned}
    for change in changes:
        if change.action is Action.DELETE:
            state.pop(change.key, None)
        else:
            state[change.key] = change.resource
    return state


def field_changes(before: Any, after: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """Leaf-level differences between two JSON values as (dotted path, old, new); `...` marks absence."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[tuple[str, Any, Any]] = []
        for key in sorted(set(before) | set(after), key=str):
            child = f"{path}.{key}" if path else str(key)
            changes.extend(field_changes(before.get(key, ...), after.get(key, ...), child))
        return changes
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return [
            c for i, (b, a) in enumerate(zip(before, after, strict=True)) for c in field_changes(b, a, f"{path}[{i}]")
        ]
    if before == after:
        return []
    return [(path, before, after)]
