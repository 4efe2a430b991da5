"""Reading the platform's Alertmanager base config, and checking the shape of the parts monaco merges into.

monaco adds its routes under `route.routes`, its receivers to `receivers` and its inhibit rules to
`inhibit_rules`; when one of those (or `route` itself) has the wrong type, that is a diagnostic at
the key in the base file, with a hint, not a TypeError later.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from monaco.diagnostics import Diagnostic, Diagnostics, Span
from monaco.spec.yaml_data import YamlReadError, load_one_yaml
from monaco.spec.yaml_loader import load_documents

_LIST_OF_MAPPINGS: dict[tuple[str, ...], str] = {
    ("receivers",): "`receivers:` must be a list of receivers, e.g. `receivers: [{name: default}]`",
    ("route", "routes"): "`route.routes:` must be a list of routes, e.g. `routes: [{receiver: ops, matchers: [...]}]`",
    ("inhibit_rules",): "`inhibit_rules:` must be a list of rules, e.g. `inhibit_rules: [{source_matchers: [...]}]`",
    ("time_intervals",): "`time_intervals:` must be a list of intervals, e.g. `[{name: x, time_intervals: [...]}]`",
}


def load_base_config(path: Path, origin: Span | None, code: str) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """The base config at `path` as plain data, or None with the diagnostics (all `code`, the caller's) saying why."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Diagnostic(code, f"cannot read base config {path}: {exc}", origin)]
    try:
        data = load_one_yaml(text)
    except YamlReadError as exc:
        return None, [_syntax_error(path, exc, code)]
    problems = shape_problems(data)
    if not problems:
        return data, []
    return None, [_diagnostic(path, text, key, message, hint, code) for key, message, hint in problems]


def shape_problems(data: Any) -> list[tuple[tuple[str, ...], str, str]]:
    """(key path, message, hint) for each part of a base config whose type monaco cannot merge into."""
    if not isinstance(data, dict):
        return [((), "is not a mapping", "a base config is an Alertmanager config: `route:`, `receivers:`, ...")]
    route = data.get("route")
    if not isinstance(route, dict):
        what = "has no root `route`" if route is None else f"has a `route` that is a {_kind(route)}, not a mapping"
        return [(("route",), what, "add `route: {receiver: <name>}`: monaco adds its routes under it")]
    problems: list[tuple[tuple[str, ...], str, str]] = []
    if "receiver" in route and not isinstance(route["receiver"], str):
        hint = "name the default receiver, e.g. `receiver: platform-default`"
        problems.append((("route", "receiver"), f"`route.receiver` is a {_kind(route['receiver'])}", hint))
    for key, hint in _LIST_OF_MAPPINGS.items():
        holder = route if key[0] == "route" else data
        value = holder.get(key[-1])
        if value is None:
            continue
        if not isinstance(value, list):
            problems.append((key, f"`{'.'.join(key)}` is a {_kind(value)}, not a list", hint))
        elif not all(isinstance(item, dict) for item in value):
            problems.append((key, f"`{'.'.join(key)}` holds an entry that is not a mapping", hint))
    return problems


def _kind(value: Any) -> str:
    """A YAML type name for messages: number, string, list, mapping."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return f"number ({value})"
    if isinstance(value, str):
        return f"string ({value!r})"
    return "list" if isinstance(value, list) else "mapping" if isinstance(value, dict) else type(value).__name__


def _diagnostic(path: Path, text: str, key: tuple[str, ...], message: str, hint: str, code: str) -> Diagnostic:
    """A diagnostic at the line and column of `key` in the base file (the file's start when not found)."""
    documents = load_documents(text, str(path), Diagnostics())
    span = documents[0].span(key, key=True) if documents else Span(str(path), 1, 1)
    return Diagnostic(code, f"base config {path} {message}", span, hint)


def _syntax_error(path: Path, exc: YamlReadError, code: str) -> Diagnostic:
    """A YAML syntax error in the base file, at its position when the parser gives one."""
    span = Span(str(path), exc.line, exc.col or 1) if exc.line is not None else Span(str(path), 1, 1)
    return Diagnostic(code, f"cannot parse base config {path}: {exc.problem}", span, "fix the YAML syntax")
