"""Failures a test asks for: throttling (429 + Retry-After) and the Nth write failing with a 500 or 503.

Writes are counted per client request: azure-core sends every retry of one call with the same
`x-ms-client-request-id` (RequestIdPolicy keeps a header already set), so a retried write counts once, and a
failing write keeps failing through the SDK's retries unless `attempts` limits it (azure-core retries a
PUT/PATCH/DELETE answered 500/503 at once, then with backoff: feasibility §5, azure-core `RetryPolicy`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from tests.fakes.azure_arm.errors import ArmError

WRITE_METHODS = frozenset({"PUT", "PATCH", "DELETE"})
_SERVER_ERRORS = {
    500: ("InternalServerError", "Encountered internal server error. Diagnostic information: fake failure."),
    503: ("ServiceUnavailable", "The service is temporarily unavailable. Please retry later."),
}


@dataclass(slots=True)
class _Throttle:
    """The next `remaining` requests (of `method`, or any) answer 429 with `Retry-After: retry_after`."""

    remaining: int
    retry_after: int
    method: str | None


@dataclass(slots=True)
class _WriteFailure:
    """Write number `target` (counted since the fake started) fails with `status`, `attempts` times (None: all)."""

    target: int
    status: int
    attempts: int | None
    request_id: str | None = None


class Faults:
    """The failures armed on one fake, checked before every request is served."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._throttles: list[_Throttle] = []
        self._failures: list[_WriteFailure] = []
        self._writes = 0
        self._counted: set[str] = set()
        self.throttled = 0
        """How many 429s were sent: a test can show the SDK retried (calls succeeded after them)."""

    def throttle(self, times: int = 1, retry_after: int = 1, method: str | None = None) -> None:
        """Answer the next `times` requests (of `method`, or any) with 429 and `Retry-After: retry_after` seconds."""
        with self._lock:
            self._throttles.append(_Throttle(times, retry_after, method.upper() if method else None))

    def fail_nth_write(self, nth: int, status: int = 500, attempts: int | None = None) -> None:
        """Fail the `nth` write from now (1-based) with `status` (500 or 503), for `attempts` tries (None: every)."""
        if status not in _SERVER_ERRORS:
            raise ValueError(f"status must be one of {sorted(_SERVER_ERRORS)}")
        with self._lock:
            self._failures.append(_WriteFailure(self._writes + nth, status, attempts))

    def _throttle_error(self, method: str) -> ArmError | None:
        """A 429 if a throttle matches `method`."""
        for throttle in self._throttles:
            if throttle.remaining > 0 and throttle.method in (None, method):
                throttle.remaining -= 1
                self.throttled += 1
                message = f"The request is being throttled. Please try again after '{throttle.retry_after}' seconds."
                return ArmError(429, "TooManyRequests", message, {"Retry-After": str(throttle.retry_after)})
        return None

    def _write_error(self, request_id: str | None) -> ArmError | None:
        """A 500/503 if this write is (a retry of) the doomed one."""
        failure = next((f for f in self._failures if f.request_id is not None and f.request_id == request_id), None)
        if failure is None and (request_id is None or request_id not in self._counted):
            self._writes += 1
            if request_id is not None:
                self._counted.add(request_id)
            failure = next((f for f in self._failures if f.target == self._writes and f.request_id is None), None)
            if failure is not None:
                failure.request_id = request_id or f"write-{self._writes}"
        if failure is None or failure.attempts == 0:
            return None
        if failure.attempts is not None:
            failure.attempts -= 1
        code, message = _SERVER_ERRORS[failure.status]
        return ArmError(failure.status, code, message)

    def check(self, method: str, request_id: str | None) -> ArmError | None:
        """The failure this request meets, if any (throttling first: ARM refuses before the provider sees it)."""
        with self._lock:
            error = self._throttle_error(method)
            if error is None and method in WRITE_METHODS:
                error = self._write_error(request_id)
            return error

    def reset(self) -> None:
        """Disarm everything and restart the write count."""
        with self._lock:
            self._throttles.clear()
            self._failures.clear()
            self._counted.clear()
            self._writes = 0
            self.throttled = 0
