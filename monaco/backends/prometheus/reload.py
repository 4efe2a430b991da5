"""Reloading a live Prometheus server and verifying it serves the rules written (imported only by apply: the
HTTP client costs 40 ms to import, which plans of local rule files never need)."""

from __future__ import annotations

from monaco.backends.http import HttpResponse, NotTheApi, ServedAfterReload, reload_problem, request, wait_until_served
from monaco.spec.yaml_data import load_one_yaml

_VERIFY_SECONDS = 10.0


_RULES = ServedAfterReload("Prometheus", "/api/v1/rules", "rules API", "rules")


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

    def missing(answer: HttpResponse) -> str | None:
        """The written groups the answer does not serve as written."""
        loaded = _served_rule_names(answer)
        if loaded is None:
            raise NotTheApi
        differing = sorted(name for name, rules in wanted.items() if loaded.get(name) != rules)
        return f"groups {differing} are not served as written" if differing else None

    return wait_until_served(_RULES, base, _VERIFY_SECONDS, missing)


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
