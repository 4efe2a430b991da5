"""Plans shown to people and machines: Terraform-like text, Markdown for pull requests, versioned JSON."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from functools import partial
from typing import Any

from monaco.parallel import map_split
from monaco.plan.diff import field_changes
from monaco.plan.model import Action, Change, Plan, TargetPlan
from monaco.plan.yamltext import dump_yaml

_VERBS = {
    Action.CREATE: "will be created",
    Action.UPDATE: "will be updated in place",
    Action.REPLACE: "must be replaced",
    Action.DELETE: "will be destroyed",
}
_COLOURS = {Action.CREATE: "\x1b[32m", Action.UPDATE: "\x1b[33m", Action.REPLACE: "\x1b[35m", Action.DELETE: "\x1b[31m"}
_RESET = "\x1b[0m"
_MAX_VALUE = 120


def summary_line(plan: Plan) -> str:
    """`Plan: A to add, C to change, D to destroy.`, or the no-changes sentence."""
    if not plan.has_changes:
        return "No changes. Live configuration matches the specs."
    add, change, destroy = plan.totals()
    return f"Plan: {add} to add, {change} to change, {destroy} to destroy."


def render_text(plan: Plan, colour: bool = False, compact: bool = False) -> str:
    """The plan as reviewers know it from Terraform, grouped by service: symbols, `old -> new`, a YAML diff.

    With `compact`, one line per changed resource (for very large plans)."""
    return "".join(text_chunks(plan, colour, compact))


def text_chunks(plan: Plan, colour: bool = False, compact: bool = False) -> Iterator[str]:
    """`render_text` in pieces, one per service, each ending in a newline: a large plan is written as it is
    made instead of held whole (the text of a first plan of 1,000 services is ~50 MB)."""
    for target in plan.targets:
        yield _target_heading(target) + "\n"
        service_text = partial(_service_text, colour=colour, compact=compact)
        yield from map_split(service_text, _by_service(target.changes))
        if not compact:
            yield from _merged_text(target)
        yield "\n"
    yield summary_line(plan) + "\n"


def _service_text(service_changes: tuple[str, list[Change]], colour: bool, compact: bool) -> str:
    """One service's changes as text, ending in a newline."""
    service, changes = service_changes
    lines = [] if compact else ["", f"  ## {service}"]
    for change in changes:
        lines.extend([_compact_line(change, colour)] if compact else _change_text(change, colour))
    return "\n".join(lines) + "\n"


def _merged_text(target: TargetPlan) -> Iterator[str]:
    """Each merged file of the target as it will be live, as a diff against what is live."""
    for name, lines in sorted(target.merged_diff.items()):
        yield f"\n  ## {name} as it will be live (whole file; secrets as placeholders)\n"
        yield "\n".join("      " + line for line in lines) + "\n"


def _by_service(changes: list[Change]) -> list[tuple[str, list[Change]]]:
    """Changes grouped by the service they come from (the first part of the address), services sorted."""
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault((change.resource.address or "(target-wide)").split("/", 1)[0], []).append(change)
    return sorted(groups.items())


def _compact_line(change: Change, colour: bool) -> str:
    symbol = f"{_COLOURS[change.action]}{change.action.symbol}{_RESET}" if colour else change.action.symbol
    about = f"  ({change.resource.address})" if change.resource.address else ""
    return f"  {symbol} {change.key}{about}"


def _target_heading(target: TargetPlan) -> str:
    if not target.changes:
        return f"Target {target.target} ({target.backend}): no changes, {target.unchanged} resources up to date."
    count = len(target.changes)
    return f"Target {target.target} ({target.backend}): {count} change{'s' if count != 1 else ''}, {target.unchanged} unchanged."


def _change_text(change: Change, colour: bool) -> list[str]:
    symbol = change.action.symbol
    if colour:
        symbol = f"{_COLOURS[change.action]}{symbol}{_RESET}"
    resource = change.resource
    about = f" ({resource.address})" if resource.address else ""
    lines = ["", f"  # {change.key}{about} {_VERBS[change.action]}", f"  {symbol} {change.key}"]
    lines.extend(f"      {note}" for note in note_changes(change))
    if change.action in (Action.UPDATE, Action.REPLACE):
        assert change.before is not None and change.after is not None
        for path, old, new in field_changes(change.before.body, change.after.body):
            lines.append(f"      ~ {path}: {_short(old)} -> {_short(new)}")
    if change.action in (Action.CREATE, Action.DELETE):  # the content once, not a diff against nothing
        sign = "+" if change.action is Action.CREATE else "-"
        lines.append(prefixed_lines(dump_yaml(change.resource.body), f"      {sign} "))
    else:
        lines.extend("      " + line for line in yaml_diff(change))
    return lines


def prefixed_lines(text: str, prefix: str) -> str:
    """Each line of `text` after `prefix`, joined by newlines without a final one (one C pass, not a loop over
    lines: the content of a first plan of 1,000 services is ~1,000,000 lines)."""
    if not text.isascii() or not text or any(c in text for c in "\r\v\f\x1c\x1d\x1e"):  # other line breaks
        return "\n".join(prefix + line for line in text.splitlines())
    return prefix + text.removesuffix("\n").replace("\n", "\n" + prefix)


def note_changes(change: Change) -> list[str]:
    """Reviewer-facing facts that changed, in words: `objective: 99.9 → 99.95`."""
    before = change.before.notes if change.before else {}
    after = change.after.notes if change.after else {}
    if change.action is Action.CREATE:
        return [f"{k}: {human_number(v)}" for k, v in sorted(after.items())]
    if change.action is Action.DELETE:
        return [f"{k}: {human_number(v)}" for k, v in sorted(before.items())]
    if not before:  # the live side carries no notes (the backend cannot recover them): say what it will be
        return [f"{k}: {human_number(v)}" for k, v in sorted(after.items())]
    return [
        f"{k}: {human_number(before.get(k, '(none)'))} → {human_number(after.get(k, '(none)'))}"
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    ]


_LONG_NUMBER = re.compile(r"(?<![\w.])(\d+\.\d{6,})(?![\w.])")


def human_number(text: str) -> str:
    """Decimals with many digits rounded as people write them (`0.000466666666666667` -> `0.0004667…`);
    the JSON plan keeps the exact value."""
    return _LONG_NUMBER.sub(lambda m: f"{float(m.group(1)):.4g}…", text)


def yaml_diff(change: Change) -> list[str]:
    """A unified diff of the resource's YAML, live before desired."""
    before = dump_yaml(change.before.body).splitlines() if change.before else []
    after = dump_yaml(change.after.body).splitlines() if change.after else []
    return list(difflib.unified_diff(before, after, "live", "desired", lineterm="", n=3))


def _short(value: Any) -> str:
    if value is ...:
        return "(absent)"
    text = human_number(json.dumps(value, sort_keys=True, ensure_ascii=False))
    if len(text) <= _MAX_VALUE:
        return text
    half = (_MAX_VALUE - 1) // 2
    return text[:half] + "…" + text[-half:]  # keep both ends: a changed threshold sits at the end


def render_json(plan: Plan) -> str:
    """The versioned JSON plan, keys sorted: stable for scripts and diffs."""
    return json.dumps(plan.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
