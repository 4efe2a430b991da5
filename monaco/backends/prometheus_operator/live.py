"""Reading a manifests directory back: every object of the two kinds, owned when its file and its labels say so.

A file is this target's when its header names the target (`monaco/backends/ownership.py`); an
object in it is this target's when its labels do too (`config.object_holder`). Objects in any other
file are read as well, unowned, so that a same-named object anywhere in the directory is refused. A
file of this target holding an object it did not write is read as not this target's at all, so
apply never rewrites it and drops that object.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from monaco.backends.base import LiveState
from monaco.backends.ownership import Claim, file_owner
from monaco.backends.prometheus_operator.config import object_holder
from monaco.diagnostics import Diagnostic, Level, Span
from monaco.plan.model import Resource
from monaco.spec.yaml_data import YamlReadError, load_yaml_data

KINDS = {"PrometheusRule": "prometheus_rule", "AlertmanagerConfig": "alertmanager_config"}
"""Kubernetes kind -> resource kind; objects of other kinds are neither read nor written."""
MANIFEST_FILE = "manifest_file"


def object_key_name(manifest: dict[str, Any]) -> str:
    """A resource name for an object: `<namespace>/<name>` (names are unique per kind and namespace)."""
    metadata = manifest.get("metadata") or {}
    return f"{metadata.get('namespace', '')}/{metadata.get('name', '')}"


def read_manifests_dir(directory: Path, target: str, own_files: set[str]) -> LiveState:
    """Every manifest file in `directory` and the PrometheusRule and AlertmanagerConfig objects in them."""
    state = LiveState()
    if not directory.is_dir():
        return state
    objects: dict[str, Resource] = {}
    for path in sorted(p for p in directory.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file()):
        state.calls += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        holder, found = _read_file(path, text, target, own_files, state)
        state.resources.append(Resource(MANIFEST_FILE, path.name, {}, not holder, holder=holder))
        for resource in found:
            previous = objects.get(resource.key)
            objects[resource.key] = resource if previous is None or previous.owned else previous
    state.resources.extend(objects[key] for key in sorted(objects))
    return state


def file_holder(path: Path, target: str, own_files: set[str]) -> str | None:
    """Who holds an existing manifest file, when it is not this target's to rewrite; None when it is."""
    holder, _ = _read_file(path, path.read_text(encoding="utf-8", errors="replace"), target, own_files, LiveState())
    return holder or None


def _read_file(path: Path, text: str, target: str, own_files: set[str], state: LiveState) -> tuple[str, list[Resource]]:
    """Who holds the file ("" for this target) and its objects, each owned only when the file is too."""
    claim = file_owner(text).claim(target, path.name in own_files)
    outside = "" if claim is Claim.OURS else file_owner(text).describe()
    documents = _documents(path, text, state)
    found = [r for m in documents if (r := _object(path.name, m, target, outside)) is not None]
    others = [f"{m.get('kind')} {object_key_name(m)}" for m in documents if str(m.get("kind")) not in KINDS]
    foreign = [r.key for r in found if not r.owned] + others
    if outside or not foreign:
        return outside, found
    holder = f"a hand-edited {path.name} (it also holds {', '.join(foreign)})"
    return holder, [replace(r, owned=False, holder=r.holder or holder) for r in found]


def _documents(path: Path, text: str, state: LiveState) -> list[dict[str, Any]]:
    """The YAML stream's mappings; an unparsable file is a warning and reads as holding nothing."""
    try:
        documents = list(load_yaml_data(text))
    except YamlReadError as exc:
        state.diagnostics.append(
            Diagnostic(
                "MON503",
                f"cannot parse live manifest file: {exc}",
                Span(str(path), exc.line or 1, exc.col or 1),
                level=Level.WARNING,
            )
        )
        return []
    return [d for d in documents if isinstance(d, dict)]


def _object(file: str, manifest: dict[str, Any], target: str, outside: str) -> Resource | None:
    """A resource for an object of a kind this backend writes (None for any other document); owned when its
    labels name this target and its file is this target's (`outside` says who holds the file otherwise)."""
    kind = KINDS.get(str(manifest.get("kind")))
    metadata = manifest.get("metadata")
    if kind is None or not isinstance(metadata, dict) or not metadata.get("name"):
        return None
    holder = object_holder(metadata.get("labels"), target) or outside
    body = {"file": file, "object": manifest}
    return Resource(kind, object_key_name(manifest), body, owned=not holder, holder=holder)
