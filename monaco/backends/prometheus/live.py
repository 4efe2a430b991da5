"""Reading rule files back as resources, and reloading and verifying a live Prometheus server."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from monaco.backends.base import LiveState
from monaco.backends.files import has_owner_marker
from monaco.backends.http import request
from monaco.diagnostics import Diagnostic, Level, Span
from monaco.plan.model import Resource
from monaco.spec.types import format_duration, parse_duration

_DURATION_FIELDS = ("for", "keep_firing_for")
_VERIFY_SECONDS = 10.0


def read_rules_dir(rules_dir: Path) -> LiveState:
    """Every rule group and rule file in `rules_dir`, with ownership from each file's marker."""
    state = LiveState()
    if not rules_dir.is_dir():
        return state
    for path in sorted(p for p in rules_dir.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file()):
        state.calls += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        owned = has_owner_marker(text)
        try:
            data = YAML(typ="safe", pure=False).load(text) or {}
        except YAMLError as exc:
            state.diagnostics.append(
                Diagnostic("MON420", f"cannot parse live rule file: {exc}", Span(str(path), 1, 1), level=Level.WARNING)
            )
            data = {}
        groups = data.get("groups") if isinstance(data, dict) else None
        groups = [g for g in groups if isinstance(g, dict) and "name" in g] if isinstance(groups, list) else []
        state.resources.append(Resource("rule_file", path.name, {"groups": [str(g["name"]) for g in groups]}, owned))
        for group in groups:
            body = {"file": path.name, "group": group}
            state.resources.append(normalize(Resource("rule_group", str(group["name"]), body, owned)))
    return state


def normalize(resource: Resource) -> Resource:
    """Canonical durations, string label values, and no empty maps, exactly as the renderer writes them."""
    if resource.kind != "rule_group":
        return resource
    group = dict(resource.body["group"])
    if "interval" in group:
        group["interval"] = _duration(group["interval"])
    group["rules"] = [_normalize_rule(rule) for rule in group.get("rules") or [] if isinstance(rule, dict)]
    return Resource(resource.kind, resource.name, {**resource.body, "group": group}, resource.owned)


def _normalize_rule(rule: dict[str, Any]) -> dict[str, Any]:
    result = dict(rule)
    for key in _DURATION_FIELDS:
        if key in result:
            result[key] = _duration(result[key])
            if result[key] == "0s":
                del result[key]
    for key in ("labels", "annotations"):
        if key in result:
            if result[key]:
                result[key] = {str(k): str(v) for k, v in result[key].items()}
            else:
                del result[key]
    return result


def _duration(value: Any) -> Any:
    try:
        return format_duration(parse_duration(str(value)))
    except ValueError:
        return value


def reload_and_verify(url: str, files: dict[str, str] | None) -> str | None:
    """POST /-/reload, then wait until /api/v1/rules serves every written group with exactly its rules."""
    base = url.rstrip("/")
    response = request("POST", f"{base}/-/reload")
    if response.status != 200:
        return f"Prometheus at {base} rejected the reload (HTTP {response.status}): {response.body.strip()}"
    if files is None:
        return None
    wanted = {name: rules for text in files.values() for name, rules in _rule_names(text).items()}
    deadline = time.monotonic() + _VERIFY_SECONDS
    differing = sorted(wanted)
    while True:
        served = request("GET", f"{base}/api/v1/rules")
        if served.status == 200:
            loaded = {g["name"]: [r["name"] for r in g.get("rules", [])] for g in served.json()["data"]["groups"]}
            differing = sorted(name for name, rules in wanted.items() if loaded.get(name) != rules)
            if not differing:
                return None
        if time.monotonic() > deadline:
            return f"Prometheus at {base} does not serve groups {differing} as written after the reload"
        time.sleep(0.2)


def _rule_names(text: str) -> dict[str, list[str]]:
    """Each group's rule names (alert or record), in order, from a rule file's text."""
    data = YAML(typ="safe", pure=False).load(text) or {}
    return {
        str(g["name"]): [str(r.get("alert") or r.get("record")) for r in g.get("rules") or []]
        for g in data.get("groups", [])
    }
