"""Live Grafana objects in the form monaco renders them: server-set fields and defaults dropped, durations canonical.

This is the one place live state is normalized (read_live calls it once per object), so that a plan right
after an apply is empty: `provenance`, `id`, `orgID`, `updated` are Grafana's; a query model's `hide: false`,
`intervalMs: 1000` and `maxDataPoints: 43200` are defaults the UI and API add; `continue: false` and
empty lists in routes (matchers, `group_by`, `mute_time_intervals`, `active_time_intervals`) say nothing.
A contact point's secure settings come back as `[REDACTED]`: they are shown as the fingerprint monaco
recorded beside them when it wrote them. Mute timings are normalized by `mute_timings.canonical_mute_timing`.
"""

from __future__ import annotations

from typing import Any

from monaco.backends.grafana_alerting.config import FINGERPRINTS_SETTING
from monaco.backends.grafana_alerting.contact_render import SENSITIVE
from monaco.spec.secrets import fingerprint
from monaco.spec.types import format_duration, parse_duration

REDACTED = "[REDACTED]"
RULE_KEYS = (
    "uid",
    "title",
    "folderUID",
    "ruleGroup",
    "condition",
    "data",
    "noDataState",
    "execErrState",
    "for",
    "labels",
    "annotations",
    "isPaused",
    "keep_firing_for",
)
MODEL_DEFAULTS: dict[str, Any] = {"hide": False, "intervalMs": 1000, "maxDataPoints": 43200}
ROUTE_DURATIONS = ("group_wait", "group_interval", "repeat_interval")
ROUTE_SERVER_KEYS = (
    "provenance",
    "continue",
    "routes",
    "object_matchers",
    "matchers",
    "group_by",
    "mute_time_intervals",
    "active_time_intervals",
)


def duration(value: Any) -> Any:
    """A duration in monaco's canonical spelling ("5m0s" -> "5m"), or the value unchanged when it is none."""
    try:
        return format_duration(parse_duration(str(value)))
    except ValueError:
        return value


def _query(node: dict[str, Any]) -> dict[str, Any]:
    model = {k: v for k, v in (node.get("model") or {}).items() if MODEL_DEFAULTS.get(k, ...) != v}
    span = node.get("relativeTimeRange") or {}
    return {
        "refId": node.get("refId"),
        "queryType": node.get("queryType") or "",
        "relativeTimeRange": {"from": int(span.get("from") or 0), "to": int(span.get("to") or 0)},
        "datasourceUid": node.get("datasourceUid"),
        "model": model,
    }


def canonical_rule(raw: dict[str, Any]) -> dict[str, Any]:
    """A ProvisionedAlertRule as monaco renders one."""
    rule = {k: raw[k] for k in RULE_KEYS if k in raw}
    rule["data"] = [_query(node) for node in raw.get("data") or []]
    rule["for"] = duration(raw.get("for") or "0s")
    if rule.get("keep_firing_for") in (None, "", "0s") or duration(rule.get("keep_firing_for")) == "0s":
        rule.pop("keep_firing_for", None)
    else:
        rule["keep_firing_for"] = duration(rule["keep_firing_for"])
    rule["labels"] = dict(sorted((str(k), str(v)) for k, v in (raw.get("labels") or {}).items()))
    rule["annotations"] = dict(sorted((str(k), str(v)) for k, v in (raw.get("annotations") or {}).items()))
    rule["isPaused"] = bool(raw.get("isPaused", False))
    return rule


def _secret_setting(name: str, value: Any, recorded: dict[str, Any]) -> Any:
    if value == REDACTED:
        return SENSITIVE.format(fingerprint=recorded.get(name, "unknown"))
    if name in recorded and isinstance(value, str):
        return SENSITIVE.format(fingerprint=fingerprint(value))
    return value


def canonical_contact_point(raw: dict[str, Any]) -> dict[str, Any]:
    """A contact point as monaco renders one: secret settings as fingerprints, the fingerprint record dropped."""
    settings = dict(raw.get("settings") or {})
    recorded = settings.pop(FINGERPRINTS_SETTING, None)
    recorded = recorded if isinstance(recorded, dict) else {}
    return {
        "uid": raw.get("uid"),
        "name": raw.get("name"),
        "type": raw.get("type"),
        "settings": {k: _secret_setting(k, v, recorded) for k, v in settings.items()},
        "disableResolveMessage": bool(raw.get("disableResolveMessage", False)),
    }


def canonical_route(raw: dict[str, Any]) -> dict[str, Any]:
    """A policy route (and its children) without server fields, empty lists or `continue: false`."""
    route = {k: v for k, v in raw.items() if k not in ROUTE_SERVER_KEYS and v not in (None, "")}
    for key in ROUTE_DURATIONS:
        if key in route:
            route[key] = duration(route[key])
    for key in ("object_matchers", "matchers", "group_by", "mute_time_intervals", "active_time_intervals"):
        if raw.get(key):
            route[key] = [list(m) if isinstance(m, list) else m for m in raw[key]]
    if raw.get("continue"):
        route["continue"] = True
    children = [canonical_route(child) for child in raw.get("routes") or [] if isinstance(child, dict)]
    if children:
        route["routes"] = children
    return {k: route[k] for k in _route_order(route)}


def _route_order(route: dict[str, Any]) -> list[str]:
    """The order monaco renders a route's keys in (so a diff shows only what changed)."""
    first = ["receiver", "object_matchers", "matchers", "continue", "group_by", *ROUTE_DURATIONS]
    rest = sorted(k for k in route if k not in first and k != "routes")
    return [k for k in first if k in route] + rest + (["routes"] if "routes" in route else [])
