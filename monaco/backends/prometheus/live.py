"""Reading rule files back as resources."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from monaco.backends.base import LiveState
from monaco.backends.ownership import Claim, FileOwner, file_owner
from monaco.backends.promrules.service_rules import canonical_group
from monaco.backends.promrules.slo_notes import live_slo_notes
from monaco.diagnostics import Diagnostic, Level, Span
from monaco.parallel import map_split
from monaco.plan.model import Resource
from monaco.spec.yaml_data import YamlReadError, load_one_yaml


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
    notes: list[dict[str, str]] | None = None
    """Then, the notes a plan shows for each of its groups (`live_slo_notes`), found where the text was compared."""


def read_rules_dir(rules_dir: Path, target: str, own_names: set[str], known: KnownFiles | None = None) -> LiveState:
    """Every rule file in `rules_dir` and the groups of those not written by another target.

    `own_names` are the file names this target would write; a file another target wrote is one
    unowned `rule_file` resource (so a clash is refused, and it is never deleted), nothing more.
    An owned file whose text is exactly the text `known` writes for it is read as its groups, without
    parsing; about half the files are read and compared in a forked child on a machine with a second core.
    """
    state = LiveState()
    if not rules_dir.is_dir():
        return state
    paths = sorted(p for p in rules_dir.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())
    verdict = partial(_verdict, target=target, own_names=own_names, known=known)
    for path, found in zip(paths, map_split(verdict, paths), strict=True):
        state.calls += 1
        if found.claim is Claim.OTHER_TARGET:
            state.resources.append(Resource("rule_file", path.name, {}, owned=False, holder=found.owner.describe()))
            if found.owner.target is None:
                state.diagnostics.append(_unclaimed(path))
        elif found.notes is not None and known is not None:  # monaco's own text: its groups are canonical already
            _add_canonical_groups(path, known.groups[path.name], found.notes, state)
        else:
            _read_rule_file(path, found.text or "", found.claim is Claim.OURS, state)
    return state


def _verdict(path: Path, target: str, own_names: set[str], known: KnownFiles | None) -> _Verdict:
    """Read one rule file and decide whose it is, and whether it holds exactly the text monaco writes."""
    text = path.read_text(encoding="utf-8", errors="replace")
    owner = file_owner(text)
    claim = owner.claim(target, path.name in own_names)
    groups = known.groups.get(path.name) if known is not None and claim is Claim.OURS else None
    if groups is not None and known is not None and known.text(groups) == text:
        return _Verdict(claim, owner, None, [live_slo_notes(group) for group in groups])
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


def _add_groups(path: Path, groups: list[Any], owned: bool, state: LiveState) -> None:
    """Append a rule file holding `groups` (as read from it) and each of its groups, normalized, to `state`."""
    holder = "" if owned else "not monaco"
    groups = [g for g in groups if isinstance(g, dict) and "name" in g]
    names = [str(g["name"]) for g in groups]
    state.resources.append(Resource("rule_file", path.name, {"groups": names}, owned, holder=holder))
    for group in groups:
        resource = Resource("rule_group", str(group["name"]), {"file": path.name, "group": group}, owned, holder=holder)
        state.resources.append(normalize(resource))


def _add_canonical_groups(path: Path, groups: list[Any], notes: list[dict[str, str]], state: LiveState) -> None:
    """Append an owned rule file holding exactly the `groups` monaco writes, with each group's `notes`, to `state`."""
    state.resources.append(Resource("rule_file", path.name, {"groups": [str(g["name"]) for g in groups]}, True))
    for group, group_notes in zip(groups, notes, strict=True):
        body = {"file": path.name, "group": group}
        state.resources.append(Resource("rule_group", str(group["name"]), body, True, notes=group_notes))


def normalize(resource: Resource) -> Resource:
    """Canonical durations, string label values, and no empty maps, exactly as the renderer writes them."""
    if resource.kind != "rule_group":
        return resource
    group = canonical_group(resource.body["group"])
    return replace(resource, body={**resource.body, "group": group}, notes=live_slo_notes(group))
