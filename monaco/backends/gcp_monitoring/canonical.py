"""One canonical JSON form for every object, desired or live: the API's own JSON mapping, managed fields only.

Bodies go through protobuf's JSON mapping (`ParseDict` then `MessageToDict`: the REST form, camelCase, enums as
names, durations as `"600s"`, defaults omitted), so a rendered body and the same object read back compare
equal. Server-filled fields (names, condition names, creation and mutation records, validity) are dropped.
"""

from __future__ import annotations

import importlib
from typing import Any

POLICY = "alert_policy"
CHANNEL = "notification_channel"
SERVICE = "service"
SLO = "slo"

MANAGED_FIELDS: dict[str, tuple[str, ...]] = {
    POLICY: (
        "displayName",
        "documentation",
        "userLabels",
        "conditions",
        "combiner",
        "enabled",
        "notificationChannels",
        "alertStrategy",
        "severity",
    ),
    CHANNEL: ("type", "displayName", "description", "labels", "userLabels", "enabled"),
    SERVICE: ("displayName", "custom", "userLabels"),
    SLO: ("displayName", "goal", "rollingPeriod", "calendarPeriod", "serviceLevelIndicator", "userLabels"),
}
"""The fields monaco writes, per kind; everything else the API holds is left out of the comparison."""


def _json_format() -> Any:
    """protobuf's JSON mapping (imported when first used; protobuf ships no type stubs)."""
    return importlib.import_module("google.protobuf.json_format")


def message_class(kind: str) -> Any:
    """The proto-plus class of a kind's objects."""
    from google.cloud import monitoring_v3

    classes = {
        POLICY: monitoring_v3.AlertPolicy,
        CHANNEL: monitoring_v3.NotificationChannel,
        SERVICE: monitoring_v3.Service,
        SLO: monitoring_v3.ServiceLevelObjective,
    }
    return classes[kind]


def to_message(kind: str, body: dict[str, Any]) -> Any:
    """The proto-plus message of a canonical body (what the client sends)."""
    json_format = _json_format()
    cls = message_class(kind)
    return cls.wrap(json_format.ParseDict(body, cls.pb()()))


def from_message(kind: str, message: Any) -> dict[str, Any]:
    """The canonical body of a message the API returned: managed fields only, condition names dropped."""
    json_format = _json_format()
    raw = json_format.MessageToDict(type(message).pb(message))
    body = {key: raw[key] for key in MANAGED_FIELDS[kind] if key in raw}
    if kind == POLICY:
        body["conditions"] = [{k: v for k, v in c.items() if k != "name"} for c in body.get("conditions", [])]
    return body


def canonical(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    """`body` as the API would return it (through the proto), so desired and live compare field by field."""
    return from_message(kind, to_message(kind, body))
