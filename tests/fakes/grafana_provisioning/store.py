"""The state of the fake Grafana alerting provisioning API, and what it rejects (with where each rule comes from).

Shapes follow Grafana's "Alerting provisioning HTTP API" reference (docs/sources/developers/http_api/
alerting_provisioning.md: ProvisionedAlertRule, AlertRuleGroup, EmbeddedContactPoint, Route, MuteTimeInterval)
and the folder API (docs/sources/developers/http_api/folder.md). Every error raises `ApiError`, which the server
writes as Grafana does: `{"message": ..., "traceID": ""}` with the status code.
"""

from __future__ import annotations

import copy
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]
EXPRESSION_UID = "__expr__"
"""Expression nodes (reduce, threshold, math) name this datasource uid; older Grafana used "-100"."""
REDACTED = "[REDACTED]"
"""What Grafana returns in place of a contact point's secure settings (and accepts back meaning "keep it")."""
SECURE_SETTINGS: dict[str, tuple[str, ...]] = {
    "slack": ("url", "token"),
    "pagerduty": ("integrationKey",),
    "webhook": ("password", "authorization_credentials"),
    "email": (),
}
"""Per integration type, the settings Grafana stores encrypted and redacts on read (alerting notifier secure fields)."""
BASE_INTERVAL_SECONDS = 10
"""The scheduler's base interval: a group interval must be a positive multiple of it (ngalert `base_interval`)."""
DEFAULT_RECEIVER = "grafana-default-email"
NO_DATA_STATES = ("NoData", "Alerting", "OK", "KeepLast")
EXEC_ERR_STATES = ("Error", "Alerting", "OK", "KeepLast")
_DURATION = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_UID = re.compile(r"^[a-zA-Z0-9\-_]{1,40}$")
"""Grafana's uid rule: at most 40 letters, digits, `-` or `_` (util.IsValidShortUID)."""


class ApiError(Exception):
    """A rejected request: the HTTP status and Grafana's message, and for Grafana's newer (errutil) errors the
    `messageId` and the public payload (`extra`) they carry."""

    def __init__(self, status: int, message: str, message_id: str = "", extra: Json | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.message_id = message_id
        self.extra = extra or {}

    def body(self) -> Json:
        """The error as Grafana writes it."""
        answer: Json = {"message": self.message, "traceID": ""}
        if self.message_id:
            answer |= {"messageId": self.message_id, "statusCode": self.status}
        if self.extra:
            answer["extra"] = dict(self.extra)
        return answer


def duration_seconds(text: Any, what: str) -> int:
    """Seconds of a Prometheus-style duration ("5m", "1h30m", "0s"); 400 when it is not one."""
    match = _DURATION.match(str(text)) if isinstance(text, str) and text else None
    if match is None:
        raise ApiError(400, f"invalid {what}: {text!r} is not a duration")
    weeks, days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds


def check_provenance(stored: str, requested: str, what: str) -> None:
    """An object provisioned by the API or by files may only be changed with the same provenance (Grafana's
    `CanUpdateProvenance`: stored none can be taken over; otherwise the two must match), else 409."""
    if stored and stored != requested:
        raise ApiError(409, f"cannot change provenance of {what} from '{stored}' to '{requested or 'none'}'")


@dataclass
class GrafanaState:
    """Everything one Grafana organisation holds for alerting: folders, rules, groups, contact points, the tree."""

    folders: dict[str, Json] = field(default_factory=dict)
    rules: dict[str, Json] = field(default_factory=dict)
    group_intervals: dict[tuple[str, str], int] = field(default_factory=dict)
    contact_points: dict[str, Json] = field(default_factory=dict)
    secrets: dict[str, dict[str, str]] = field(default_factory=dict)
    """Contact point uid -> secure setting -> real value (never returned by reads)."""
    policies: Json = field(default_factory=dict)
    mute_timings: dict[str, Json] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    next_id: int = 1

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Back to a fresh Grafana: the default email contact point and a root policy sending to it."""
        with self.lock:
            self.folders.clear()
            self.rules.clear()
            self.group_intervals.clear()
            self.contact_points.clear()
            self.secrets.clear()
            self.mute_timings.clear()
            self.contact_points["default-email"] = {
                "uid": "default-email",
                "name": DEFAULT_RECEIVER,
                "type": "email",
                "settings": {"addresses": "<example@email.com>"},
                "disableResolveMessage": False,
                "provenance": "",
            }
            self.policies = default_tree()

    def new_id(self) -> int:
        """A fresh numeric id (rules and folders have one beside their uid)."""
        self.next_id += 1
        return self.next_id

    def receiver_names(self) -> set[str]:
        """Names the policy tree may route to: every contact point's name."""
        return {cp["name"] for cp in self.contact_points.values()}

    def used_receivers(self) -> set[str]:
        """Contact point names the policy tree routes to."""
        return {str(route["receiver"]) for route in walk(self.policies) if route.get("receiver")}

    def used_mute_timings(self) -> set[str]:
        """Mute timing names the policy tree refers to, as mute or as active time intervals."""
        keys = ("mute_time_intervals", "active_time_intervals")
        return {str(name) for route in walk(self.policies) for key in keys for name in route.get(key) or []}

    def snapshot(self) -> dict[str, bytes]:
        """Every object by a stable name, as sorted-key JSON (real secrets included: they are the live data)."""
        import json

        with self.lock:
            found: dict[str, Any] = {f"folder/{uid}": f for uid, f in self.folders.items()}
            found.update({f"rule/{uid}": r for uid, r in self.rules.items()})
            found.update({f"group/{f}/{g}": {"interval": i} for (f, g), i in self.group_intervals.items()})
            for uid, cp in self.contact_points.items():
                found[f"contact-point/{uid}"] = {**cp, "secure": self.secrets.get(uid, {})}
            found["policies"] = self.policies
            found.update({f"mute-timing/{name}": m for name, m in self.mute_timings.items()})
            return {k: json.dumps(v, sort_keys=True).encode() for k, v in sorted(found.items())}


def default_tree() -> Json:
    """Grafana's default notification policy tree."""
    return {"receiver": DEFAULT_RECEIVER, "group_by": ["grafana_folder", "alertname"], "provenance": ""}


def walk(route: Json) -> Iterator[Json]:
    """`route` and every route under it, depth first."""
    yield route
    for child in route.get("routes") or []:
        if isinstance(child, dict):
            yield from walk(child)


def new_uid(given: Any) -> str:
    """The client's uid when valid, a generated one when none was given; 400 for an invalid one."""
    if given in (None, ""):
        return uuid.uuid4().hex[:14]
    if not isinstance(given, str) or not _UID.match(given):
        raise ApiError(400, f"invalid uid {given!r}: at most 40 letters, digits, '-' or '_'")
    return given


def copied(value: Json) -> Json:
    """A deep copy, so callers never share the store's dicts."""
    return copy.deepcopy(value)
