"""Reading rule files back as resources, and reloading and verifying a live Prometheus server."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from monaco.backends.base import LiveState
from monaco.backends.http import HttpResponse, reload_problem, request
from monaco.backends.ownership import Claim, FileOwner, file_owner
from monaco.backends.promrules.service_rules import canonical_group
from monaco.backends.promrules.slo_notes import live_slo_notes
from monaco.diagnostics import Diagnostic, Level, Span
from monaco.parallel import map_split
from monaco.plan.model import Resource
from monaco.spec.yaml_data import YamlReadError, load_one_yaml

_VERIFY_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class KnownFiles:
    """The rule files monaco would write: the groups each holds, and how their text is written."""

    groups: Mapping[str, list[Any]]
    text: Callable[[list[Any]], str]


@dataclass(frozen=True, slots=True)
class _Verdict:
    """What one rule file is to the target: whose it is, and its text unless it is exactly monaco's own."""

    claim: Claim
    owner: FileOwner
    text: str | None
    """None when the file is owned and its text is exactly what monaco writes for it (nothing to parse)."""


_CHILD_SHARE = 0.5
"""The share of rule files a forked child reads and compares with the text monaco writes for them."""


def read_rules_dir(rules_dir: Path, target: str, own_names: set[str], known: KnownFiles | None = None) -> LiveState:
    """Every rule file in `rules_dir` and the groups of those not written by another target.

    `own_names` are the file names this target would write; a file another target wrote is one
    unowned `rule_file` resource (so a clash is refused, and it is never deleted), nothing more.
    An owned file whose text is exactly the text `known` writes for it is read as its groups, without
    parsing; half the files are read and compared in a forked child on a machine with a second core.
    """
    state = LiveState()
    if not rules_dir.is_dir():
        return state
    paths = sorted(p for p in rules_dir.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())
    verdict = partial(_verdict, target=target, own_names=own_names, known=known)
    for path, found in zip(paths, map_split(verdict, paths, _CHILD_SHARE), strict=True):
        state.calls += 1
        if found.claim is Claim.OTHER_TARGET:
            state.resources.append(Resource("rule_file", path.name, {}, owned=False, holder=found.owner.describe()))
            if found.owner.target is None:
                state.diagnostics.append(_unclaimed(path))
        elif found.text is None and known is not None:  # monaco's own text: its groups are canonical already
            _add_groups(path, known.groups[path.name], True, state, canonical=True)
        else:
            _read_rule_file(path, found.text or "", found.claim is Claim.OURS, state)
    return state


def _verdict(path: Path, target: str, own_names: set[str], known: KnownFiles | None) -> _Verdict:
    """Read one rule file and decide whose it is, and whether it holds exactly the text monaco writes."""
    text = path.read_text(encoding="utf-8", errors="replace")
    owner = file_owner(text)
    claim = owner.claim(target, path.name in own_names)
    own_text = claim is Claim.OURS and known is not None and path.name in known.groups
    if own_text and known is not None and known.text(known.groups[path.name]) == text:
        return _Verdict(claim, owner, None)
    return _Verdict(claim, owner, None if claim is Claim.OTHER_TARGET else text)


def _unclaimed(path: Path) -> Diagnostic:
    return Diagnostic(
        "MON411",
        f"{path.name} was written by an older monaco that did not record its target; no selected service of "
        "this target would write it, so it is left alone",
        Span(str(path), 1, 1),
        "delete it by hand if no target writes it any more; every file monaco writes now names its target",
        Level.WARNING,
    )


def _read_rule_file(path: Path, text: str, owned: bool, state: LiveState) -> None:
    """Append a rule file and its groups to `state`; an unparsable file is a warning."""
    try:
        data = load_one_yaml(text) or {}
    except YamlReadError as exc:
        state.diagnostics.append(
            Diagnostic(
                "MON420",
                f"cannot parse live rule file: {exc}",
                Span(str(path), exc.line or 1, exc.col or 1),
                level=Level.WARNING,
            )
        )
        data = {}
    groups = data.get("groups") if isinstance(data, dict) else None
    _add_groups(path, groups if isinstance(groups, list) else [], owned, state)


def _add_groups(path: Path, groups: list[Any], owned: bool, state: LiveState, *, canonical: bool = False) -> None:
    """Append a rule file holding `groups` (as read from it) and each of its groups, normalized unless they are
    `canonical` already, to `state`."""
    holder = "" if owned else "not monaco"
    groups = [g for g in groups if isinstance(g, dict) and "name" in g]
    names = [str(g["name"]) for g in groups]
    state.resources.append(Resource("rule_file", path.name, {"groups": names}, owned, holder=holder))
    for group in groups:
        resource = Resource("rule_group", str(group["name"]), {"file": path.name, "group": group}, owned, holder=holder)
        state.resources.append(_with_notes(resource) if canonical else normalize(resource))


def _with_notes(resource: Resource) -> Resource:
    """A canonical rule group with the notes a plan shows for it."""
    return replace(resource, notes=live_slo_notes(resource.body["group"]))


def normalize(resource: Resource) -> Resource:
    """Canonical durations, string label values, and no empty maps, exactly as the renderer writes them."""
    if resource.kind != "rule_group":
        return resource
    group = canonical_group(resource.body["group"])
    return replace(resource, body={**resource.body, "group": group}, notes=live_slo_notes(group))


def reload_and_verify(url: str, files: dict[str, str] | None) -> str | None:
    """POST /-/reload, then wait until /api/v1/rules serves every written group with exactly its rules.

    Every request ends by the verify deadline; an answer that is not the rules API (an HTML page, a
    wrong shape) fails at once, as the server will not start answering differently.
    """
    base = url.rstrip("/")
    problem = reload_problem("Prometheus", base, request("POST", f"{base}/-/reload"))
    if problem is not None or files is None:
        return problem
    wanted = {name: rules for text in files.values() for name, rules in _rule_names(text).items()}
    deadline = time.monotonic() + _VERIFY_SECONDS
    while True:
        served = request("GET", f"{base}/api/v1/rules", deadline=deadline)
        if served.status == 200:
            loaded = _served_rule_names(served)
            if loaded is None:
                return (
                    f"Prometheus at {base} answered GET /api/v1/rules with something that is not its rules API "
                    f"({served.excerpt()!r}); is the URL the server itself, not a proxy or a login page?"
                )
            differing = sorted(name for name, rules in wanted.items() if loaded.get(name) != rules)
            if not differing:
                return None
            last = f"groups {differing} are not served as written"
        else:
            last = f"GET /api/v1/rules: {served.describe()}"
        if time.monotonic() >= deadline:
            return f"Prometheus at {base} did not serve the new rules within {_VERIFY_SECONDS:g}s of the reload: {last}"
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))


def _served_rule_names(response: HttpResponse) -> dict[str, list[str]] | None:
    """Each served group's rule names, from a /api/v1/rules answer; None when it is not that API's shape."""
    data = response.json_or_none()
    groups = (
        data.get("data", {}).get("groups") if isinstance(data, dict) and isinstance(data.get("data"), dict) else None
    )
    if not isinstance(groups, list) or not all(isinstance(g, dict) and isinstance(g.get("name"), str) for g in groups):
        return None
    loaded: dict[str, list[str]] = {}
    for group in groups:
        rules = group.get("rules") or []
        if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
            return None
        loaded[group["name"]] = [str(r.get("name")) for r in rules]
    return loaded


def _rule_names(text: str) -> dict[str, list[str]]:
    """Each group's rule names (alert or record), in order, from a rule file's text."""
    data = load_one_yaml(text) or {}
    return {
        str(g["name"]): [str(r.get("alert") or r.get("record")) for r in g.get("rules") or []]
        for g in data.get("groups", [])
    }
