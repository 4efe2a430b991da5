"""One canonical form for the five resource bodies, applied to what render writes and to what Azure returns.

A body is the ARM request body (`location`, `tags`, `kind`, `properties`) in REST field names. Canonical
means: ARM ids lower-cased (ARM compares them case-insensitively), ISO-8601 durations in one form
(`PT01M00S` -> `PT1M`), and what the server adds stripped (read-only fields, empty receiver lists,
receiver `status`, nulls), so that a plan right after an apply is empty.
"""

from __future__ import annotations

from typing import Any

from monaco.backends.azure_monitor.durations import canonical_iso

METRIC_ALERT = "metric_alert"
LOG_ALERT = "log_alert"
RULE_GROUP = "rule_group"
ACTION_GROUP = "action_group"
PROCESSING_RULE = "processing_rule"
"""An alert processing rule (`Microsoft.AlertsManagement/actionRules`): a route's quiet hours."""
KINDS = (ACTION_GROUP, METRIC_ALERT, LOG_ALERT, RULE_GROUP, PROCESSING_RULE)

SERVER_FIELDS = frozenset(
    {
        "lastUpdatedTime",
        "isMigrated",
        "createdWithApiVersion",
        "isLegacyLogAnalyticsRule",
        "isWorkspaceAlertsStorageConfigured",
    }
)
"""`properties` ARM fills in (read-only in the SDK models): never part of a diff."""
RECEIVER_SERVER_FIELDS = frozenset({"status"})
"""What ARM adds to each email, SMS and voice receiver (`status: Enabled`)."""
_DURATION_KEYS = frozenset(
    {
        "evaluationFrequency",
        "windowSize",
        "interval",
        "for",
        "timeToResolve",
        "muteActionsDuration",
        "overrideQueryTimeRange",
    }
)
_ID_KEYS = frozenset({"actionGroupId", "scopes", "actionGroups"})
_LOCATIONS = {METRIC_ALERT: "global", ACTION_GROUP: "global", PROCESSING_RULE: "global"}


def _canonical(value: Any, key: str = "", dropped: frozenset[str] = SERVER_FIELDS) -> Any:
    """`value` with ids lower-cased, durations canonical, server fields (`dropped`) and empty values removed."""
    if isinstance(value, dict):
        out = {}
        for name, item in sorted(value.items()):
            if name in dropped:
                continue
            canonical = _canonical(item, name, RECEIVER_SERVER_FIELDS if name.endswith("Receivers") else frozenset())
            if canonical is None or canonical == [] or canonical == {}:
                continue
            out[name] = canonical
        return out
    if isinstance(value, list):
        return [_canonical(item, key, dropped) for item in value]
    if key in _DURATION_KEYS:
        return canonical_iso(value)
    if key in _ID_KEYS and isinstance(value, str):
        return value.lower()
    return value


def canonical_body(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    """The canonical body of a resource of `kind` (render's output or Azure's answer, alike)."""
    body: dict[str, Any] = {
        "location": str(_LOCATIONS.get(kind, raw.get("location", ""))).lower(),
        "tags": {str(k): str(v) for k, v in sorted((raw.get("tags") or {}).items())},
        "properties": _canonical(raw.get("properties") or {}),
    }
    if kind == LOG_ALERT:
        body["kind"] = raw.get("kind") or "LogAlert"
    return body
