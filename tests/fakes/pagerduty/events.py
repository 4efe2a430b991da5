"""Events API v2 (`POST /v2/enqueue`): trigger, acknowledge and resolve alerts on a service by routing key.

Shapes from PagerDuty's Events API v2 reference (and backends.md §4.4): the body holds `routing_key` (an
integration key), `event_action` (`trigger`, `acknowledge`, `resolve`), `dedup_key` (required to acknowledge
or resolve; made up on trigger when absent) and, on trigger, `payload` with `summary`, `source` and
`severity` (`critical`, `error`, `warning`, `info`). Success is 202 `{"status": "success", "message":
"Event processed", "dedup_key": ...}`; an invalid event is 400 `{"status": "invalid event", "message":
"Event object is invalid", "errors": [...]}`. An unknown routing key is refused the same way (the fake
knows every integration; the real API accepts the event and drops it).
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.pagerduty.errors import PdResponse
from tests.fakes.pagerduty.store import PdStore

SEVERITIES = frozenset({"critical", "error", "warning", "info"})
ACTIONS = {"trigger": "triggered", "acknowledge": "acknowledged", "resolve": "resolved"}


@dataclass(slots=True)
class Alert:
    """One alert on a service, by dedup key, with every status it went through."""

    dedup_key: str
    service_id: str
    summary: str
    severity: str
    statuses: list[str] = field(default_factory=list)
    received: list[float] = field(default_factory=list)
    """`time.monotonic()` of each event, so a drill can measure delivery."""

    @property
    def status(self) -> str:
        """The alert's current status."""
        return self.statuses[-1]


def _problems(body: Any) -> list[str]:
    """What makes an event invalid, in the Events API's words."""
    if not isinstance(body, dict):
        return ["Event object must be a JSON object"]
    problems = []
    if not isinstance(body.get("routing_key"), str) or len(body["routing_key"]) != 32:
        problems.append("'routing_key' is invalid")
    action = body.get("event_action")
    if action not in ACTIONS:
        problems.append("'event_action' is missing or blank")
    if action in ("acknowledge", "resolve") and not body.get("dedup_key"):
        problems.append("'dedup_key' is missing or blank")
    if action == "trigger":
        payload: dict[str, Any] = body["payload"] if isinstance(body.get("payload"), dict) else {}
        for name in ("summary", "source"):
            if not payload.get(name):
                problems.append(f"'payload.{name}' is missing or blank")
        if payload.get("severity") not in SEVERITIES:
            problems.append("'payload.severity' must be one of critical, error, warning, info")
    return problems


class EventsApi:
    """The alerts the fake received through Events API v2, by dedup key."""

    def __init__(self, store: PdStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self.alerts: dict[str, Alert] = {}

    def enqueue(self, body: Any) -> PdResponse:
        """Accept (202) or refuse (400) one event."""
        problems = _problems(body)
        integration = self.store.by_key(body["routing_key"]) if not problems else None
        if not problems and integration is None:
            problems = ["'routing_key' does not belong to any integration"]
        if problems or integration is None:
            return PdResponse(
                400, {"status": "invalid event", "message": "Event object is invalid", "errors": problems}
            )
        dedup = str(body.get("dedup_key") or secrets.token_hex(16))
        with self._lock:
            alert = self.alerts.get(dedup)
            if alert is None:
                payload = body.get("payload") or {}
                service = integration["service"]["id"]
                alert = Alert(dedup, service, str(payload.get("summary", "")), str(payload.get("severity", "")))
                self.alerts[dedup] = alert
            alert.statuses.append(ACTIONS[body["event_action"]])
            alert.received.append(time.monotonic())
        return PdResponse(202, {"status": "success", "message": "Event processed", "dedup_key": dedup})

    def reset(self) -> None:
        """Forget every alert."""
        with self._lock:
            self.alerts.clear()
