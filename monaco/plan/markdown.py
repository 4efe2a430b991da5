"""The plan as one pull-request comment: complete summaries, then details by importance until a size budget.

GitHub holds 65,536 characters in a comment. The summary (per target, then per service and target) and
the diagnostics are always complete; the per-change details follow, destroys and replaces first, until
the budget; a closing line says what was left out and where the full plan is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from monaco.diagnostics import Diagnostic, Level
from monaco.plan.model import Action, Change, Plan, TargetPlan
from monaco.plan.views import note_changes, summary_line, yaml_diff

DEFAULT_BUDGET = 60_000
"""Characters of Markdown, leaving room under GitHub's 65,536 for a bot's own header."""
_IMPORTANCE = {Action.DELETE: 0, Action.REPLACE: 1, Action.UPDATE: 2, Action.CREATE: 3}
_MAX_DIAGNOSTICS = 50


@dataclass(frozen=True, slots=True)
class _Detail:
    """One change's collapsible section, with what orders it."""

    rank: tuple[int, str, str]
    text: str
    action: Action | None
    """None for a whole merged file's diff (shown after every change)."""


def render_markdown(plan: Plan, diagnostics: Sequence[Diagnostic] = (), budget: int = DEFAULT_BUDGET) -> str:
    """The plan in at most `budget` characters (the summaries always whole), details by importance."""
    head = [*_summary(plan), *_services(plan), *_diagnostics(diagnostics)]
    text = "\n".join(head) + "\n"
    details = sorted(
        [*(_detail(t, c) for t in plan.targets for c in t.changes), *_merged_details(plan)], key=lambda d: d.rank
    )
    shown = 0
    for detail in details:
        if len(text) + len(detail.text) + 400 > budget:
            break
        text += detail.text
        shown += 1
    left = details[shown:]
    if left:
        text += _left_out(left)
    return text


def _summary(plan: Plan) -> list[str]:
    out = ["### monaco plan", "", f"**{summary_line(plan)}**", ""]
    out += ["| target | backend | add | change | destroy | unchanged |", "| --- | --- | ---: | ---: | ---: | ---: |"]
    for t in plan.targets:
        out.append(
            f"| `{t.target}` | {t.backend} | {t.count(Action.CREATE, Action.REPLACE)} | {t.count(Action.UPDATE)} "
            f"| {t.count(Action.DELETE, Action.REPLACE)} | {t.unchanged} |"
        )
    return out


def _services(plan: Plan) -> list[str]:
    """One row per service with changes: `+add ~change -destroy` per target."""
    changed = [t for t in plan.targets if t.changes]
    counts: dict[str, dict[str, Counter[str]]] = {}
    for target in changed:
        for change in target.changes:
            service = (change.resource.address or "(target-wide)").split("/", 1)[0]
            cell = counts.setdefault(service, {}).setdefault(target.target, Counter())
            for sign in _signs(change.action):
                cell[sign] += 1
    if not counts:
        return []
    out = ["", "| service | " + " | ".join(f"`{t.target}`" for t in changed) + " |"]
    out.append("| --- |" + " ---: |" * len(changed))
    for service in sorted(counts):
        cells = [_cell(counts[service].get(t.target, Counter())) for t in changed]
        out.append(f"| {service} | " + " | ".join(cells) + " |")
    return out


def _signs(action: Action) -> tuple[str, ...]:
    return {Action.CREATE: ("+",), Action.UPDATE: ("~",), Action.DELETE: ("-",), Action.REPLACE: ("+", "-")}[action]


def _cell(counter: Counter[str]) -> str:
    return " ".join(f"{sign}{counter[sign]}" for sign in "+~-" if counter[sign]) or "·"


def _diagnostics(diagnostics: Sequence[Diagnostic]) -> list[str]:
    """Warnings and notes (what a backend cannot express), each message once with how often it occurred."""
    seen = Counter((d.level.value, d.code, d.message) for d in diagnostics if d.level is not Level.ERROR)
    if not seen:
        return []
    out = ["", "<details><summary>Diagnostics: " + f"{sum(seen.values())} ({len(seen)} distinct)</summary>", ""]
    for (level, code, message), count in sorted(seen.items())[:_MAX_DIAGNOSTICS]:
        out.append(f"- **{level}[{code}]** {message}" + (f" (x{count})" if count > 1 else ""))
    if len(seen) > _MAX_DIAGNOSTICS:
        out.append(f"- … and {len(seen) - _MAX_DIAGNOSTICS} more distinct diagnostics (run `monaco validate`)")
    return [*out, "", "</details>"]


def _detail(target: TargetPlan, change: Change) -> _Detail:
    about = f" — {change.resource.address}" if change.resource.address else ""
    lines = [
        "",
        f"<details><summary><code>{change.action.symbol} {target.target}: {change.key}</code>{about}</summary>",
        "",
    ]
    lines += [f"- {note}" for note in note_changes(change)]
    lines += ["", "```diff", *yaml_diff(change), "```", "", "</details>"]
    return _Detail((_IMPORTANCE[change.action], target.target, change.key), "\n".join(lines) + "\n", change.action)


def _merged_details(plan: Plan) -> list[_Detail]:
    """One section per merged file that changes (the Alertmanager config as it will be live)."""
    found = []
    for target in plan.targets:
        for name, lines in sorted(target.merged_diff.items()):
            summary = f"<details><summary>{target.target}: <code>{name}</code> as it will be live</summary>"
            text = "\n".join(["", summary, "", "```diff", *lines, "```", "", "</details>"]) + "\n"
            found.append(_Detail((len(_IMPORTANCE), target.target, name), text, None))
    return found


def _left_out(left: Sequence[_Detail]) -> str:
    by_action = Counter(d.action.value for d in left if d.action is not None)
    changes = sum(by_action.values())
    parts = []
    if changes:
        what = ", ".join(f"{n} {action}" for action, n in sorted(by_action.items()))
        parts.append(f"{changes} more change{'s' if changes != 1 else ''} ({what})")
    if files := len(left) - changes:
        parts.append(f"the whole-file diff of {files} merged file{'s' if files != 1 else ''}")
    return (
        f"\n_Not shown: {' and '.join(parts)}, to keep this comment under "
        "GitHub's size limit; the summary above counts them. The full plan: `monaco plan --out plan.json` "
        "(or this job's plan artifact)._\n"
    )
