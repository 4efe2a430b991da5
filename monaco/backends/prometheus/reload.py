"""Reloading a live Prometheus server and verifying it serves the rules written (imported only by apply: the
HTTP client costs 40 ms to import, which plans of local rule files never need)."""

from __future__ import annotations

import time

from monaco.backends.http import HttpResponse, reload_problem, request
from monaco.spec.yaml_data import load_one_yaml

_VERIFY_SECONDS = 10.0


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
