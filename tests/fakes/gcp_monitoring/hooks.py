"""Test hooks around the API: the call log, and faults that fail the Nth call of a method or the Nth write."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import grpc

WRITE_PREFIXES = ("Create", "Update", "Delete")


def is_write(method: str) -> bool:
    """True for the methods that change state."""
    return method.startswith(WRITE_PREFIXES)


@dataclass(frozen=True)
class Call:
    """One RPC as the server received it: the method's short name (`ListAlertPolicies`) and the proto-plus request."""

    method: str
    request: Any


@dataclass(eq=False)
class Fault:
    """A failure armed for a future call: the `countdown`-th matching call fails with `code`.

    `method` None matches every write. With `after_apply` the call takes effect and only then fails, like a response
    lost on the way back (the client sees an error, the server kept the change).
    """

    method: str | None
    countdown: int
    code: grpc.StatusCode
    message: str
    after_apply: bool

    def matches(self, method: str) -> bool:
        """Whether a call of `method` counts toward this fault."""
        return method == self.method if self.method is not None else is_write(method)


class CallLog:
    """Every call received, in arrival order (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[Call] = []

    def record(self, method: str, request: Any) -> None:
        """Append one call."""
        with self._lock:
            self._calls.append(Call(method, request))

    def calls(self, method: str | None = None) -> list[Call]:
        """The calls received so far, all or those of one method."""
        with self._lock:
            return [call for call in self._calls if method is None or call.method == method]

    def clear(self) -> None:
        """Forget every call."""
        with self._lock:
            self._calls.clear()


class FaultPlan:
    """Armed faults; each fires once, on the call its countdown reaches."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def arm(self, fault: Fault) -> None:
        """Add a fault; `countdown` 1 fails the next matching call."""
        if fault.countdown < 1:
            raise ValueError(f"the Nth call is counted from 1, not {fault.countdown}")
        with self._lock:
            self._faults.append(fault)

    def take(self, method: str) -> Fault | None:
        """Count one call of `method`; the fault that fires on it, if any (the first armed, when several do)."""
        with self._lock:
            fired: list[Fault] = []
            for fault in self._faults:
                if fault.matches(method):
                    fault.countdown -= 1
                    if fault.countdown == 0:
                        fired.append(fault)
            self._faults = [fault for fault in self._faults if fault not in fired]
            return fired[0] if fired else None

    def pending(self) -> int:
        """How many armed faults have not fired yet."""
        with self._lock:
            return len(self._faults)

    def clear(self) -> None:
        """Disarm every fault."""
        with self._lock:
            self._faults.clear()
