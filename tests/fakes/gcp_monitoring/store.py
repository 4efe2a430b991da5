"""The fake's state: every resource kept as a raw protobuf message under its resource name, and its snapshot."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from google.cloud import monitoring_v3
from google.protobuf import json_format

Clock = Callable[[], datetime]
"""Where mutation records get their time from; pass a fixed clock for byte-stable snapshots across runs."""

FIRST_ID = 1_000_000_000_000_000_000
"""Server-assigned ids are 19-digit decimal strings, like the real API's policy, condition and channel ids."""
DEFAULT_CALLER = "monaco-tests@fake.iam.gserviceaccount.com"
"""The `mutated_by` of mutation records (the real API records the caller's email)."""

TABLES = ("alert_policies", "notification_channels", "services", "service_level_objectives")
"""The snapshot's top-level keys, one per resource kind."""


def utc_now() -> datetime:
    """The default clock."""
    return datetime.now(UTC)


class Store:
    """In-memory resources of every project, guarded by one lock, with deterministic id assignment."""

    def __init__(self, clock: Clock = utc_now, caller: str = DEFAULT_CALLER) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.caller = caller
        self.alert_policies: dict[str, Any] = {}
        self.notification_channels: dict[str, Any] = {}
        self.services: dict[str, Any] = {}
        self.service_level_objectives: dict[str, Any] = {}
        self._issued = 0

    def next_id(self) -> str:
        """A fresh server-assigned id."""
        self._issued += 1
        return str(FIRST_ID + self._issued * 7_919)

    def mutation_record(self) -> Any:
        """A raw MutationRecord stamped now, by the configured caller."""
        record = monitoring_v3.MutationRecord.pb()()
        record.mutate_time.FromDatetime(self.clock())
        record.mutated_by = self.caller
        return record

    def reset(self) -> None:
        """Forget every resource and restart id assignment."""
        with self.lock:
            for table in TABLES:
                getattr(self, table).clear()
            self._issued = 0

    def snapshot(self) -> bytes:
        """All state as canonical JSON bytes: kinds, then resource names, in sorted order; enums by name."""
        with self.lock:
            state = {
                table: {name: _as_dict(message) for name, message in getattr(self, table).items()} for table in TABLES
            }
        return json.dumps(state, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def in_project(table: dict[str, Any], prefix: str) -> list[Any]:
    """The messages of `table` whose names start with `prefix` (e.g. `projects/P/alertPolicies/`)."""
    return [message for name, message in table.items() if name.startswith(prefix)]


def copy_of(message: Any) -> Any:
    """A deep copy of a raw protobuf message, so stored state never aliases a request or a response."""
    duplicate = type(message)()
    duplicate.CopyFrom(message)
    return duplicate


def _as_dict(message: Any) -> dict[str, Any]:
    """A raw message as a JSON-ready dict with proto field names and enum names."""
    as_dict: dict[str, Any] = json_format.MessageToDict(
        message, preserving_proto_field_name=True, use_integers_for_enums=False
    )
    return as_dict
