"""The fake PagerDuty server: HTTPS on 127.0.0.1 (ephemeral port) in a daemon thread, with the test hooks.

Every REST request must carry `Authorization: Token token=<token>` (the header `RestApiV2Client` sends);
anything else is 401. Every response carries the rate-limit headers PagerDuty documents (`ratelimit-limit`,
`ratelimit-remaining`, `ratelimit-reset`); a throttled request is 429 with `Retry-After` as well. Events API
requests (`/v2/enqueue`) authenticate by routing key instead. HTTP/1.1 keep-alive with TCP_NODELAY, as the
Azure fake does (httpx reuses one TLS connection; without NODELAY each reply waits on delayed ACKs).
"""

from __future__ import annotations

import json
import threading
import traceback
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from tests.fakes.pagerduty.api import PdApi
from tests.fakes.pagerduty.errors import RATE_LIMITED, UNAUTHORIZED, PdError, PdResponse
from tests.fakes.pagerduty.events import EventsApi
from tests.fakes.pagerduty.store import Document, PdStore
from tests.fakes.tls_connections import TlsConnections, TlsHandler
from tests.threaded_server import LOCALHOST, ThreadedServer

TOKEN = "fake-pagerduty-token"
"""The API token the fake accepts unless told otherwise."""
RATE_LIMIT = 960
"""Requests per minute per REST API key (backends.md §4.4)."""
WRITES = frozenset({"POST", "PUT", "DELETE"})


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request as the fake received it, with the status it answered."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    status: int


class Faults:
    """Throttling and failing writes on demand, checked before a request is served."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.throttle_left = 0
        self.retry_after = 1
        self.throttled = 0
        """How many 429s were sent (a test shows the client retried: the call still succeeded)."""
        self._writes = 0
        self._fail_from = 0
        self._fail_left = 0
        self._fail_status = 500

    def throttle(self, times: int, retry_after: int = 1) -> None:
        """Answer the next `times` requests with 429."""
        with self._lock:
            self.throttle_left, self.retry_after = times, retry_after

    def fail_nth_write(self, nth: int, status: int = 500, times: int = 1) -> None:
        """Fail `times` writes (POST/PUT/DELETE) starting with the `nth` from now, with `status`."""
        with self._lock:
            self._fail_from, self._fail_left, self._fail_status = self._writes + nth, times, status

    def check(self, method: str) -> PdError | None:
        """The failure this request meets, if any (throttling first)."""
        with self._lock:
            if self.throttle_left > 0:
                self.throttle_left -= 1
                self.throttled += 1
                headers = {"Retry-After": str(self.retry_after), "ratelimit-remaining": "0"}
                return PdError(429, "Rate Limit Exceeded", RATE_LIMITED, headers=headers)
            if method not in WRITES:
                return None
            self._writes += 1
            if self._fail_left > 0 and self._writes >= self._fail_from:
                self._fail_left -= 1
                return PdError(self._fail_status, "Internal Server Error (fake failure)", 2000 + self._fail_status)
            return None

    def reset(self) -> None:
        """Disarm everything; restart the write count."""
        with self._lock:
            self.throttle_left = self.throttled = self._writes = self._fail_left = 0


class _PdHandler(TlsHandler):
    """Serves one connection for the fake bound to the subclass."""

    fake: ClassVar[PagerDutyFake]

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = dict(self.headers.items())
        try:
            response = self.fake.respond(self.command, self.path, headers, raw)
        except PdError as refused:
            response = refused.response()
        except Exception:  # a bug in the fake: answer 500, and let the fixture fail the test
            self.fake.internal_errors.append(traceback.format_exc())
            response = PdError(500, "the fake raised; see fake.internal_errors", 2500).response()
        self.fake.record(self.command, self.path, headers, raw, response.status)
        payload = b"" if response.body is None else json.dumps(response.body).encode()
        self.send_response(response.status)
        for name, value in {**self.fake.rate_headers(), **response.headers}.items():
            self.send_header(name, value)
        if payload:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_DELETE = do_POST = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is `fake.requests`."""


class PagerDutyFake:
    """A fake PagerDuty (REST API v2 and Events API v2) holding state in memory."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.store = PdStore()
        self.events = EventsApi(self.store)
        self.api = PdApi(self.store, self.events)
        self.faults = Faults()
        self.tls = TlsConnections()
        self.internal_errors: list[str] = []
        self._server = ThreadedServer()
        self._lock = threading.Lock()
        self._log: list[LoggedRequest] = []

    @property
    def url(self) -> str:
        """The base URL to give the clients (`base_url`, or a client's `url` attribute)."""
        assert self._server.server is not None, "the fake is not running"
        return f"https://{LOCALHOST}:{self._server.server.server_address[1]}"

    @property
    def ca_file(self) -> str:
        """The certificate to trust (`verify=`)."""
        return self.tls.ca_file

    def start(self) -> PagerDutyFake:
        """Serve on an ephemeral port of 127.0.0.1."""
        handler = type("BoundPdHandler", (_PdHandler,), {"fake": self, "tls": self.tls})
        self._server.serve(handler, name="pagerduty-fake")
        self.store.base_url = self.url
        return self

    def stop(self) -> None:
        """Stop serving, close open connections and join the server thread."""
        self._server.stop()
        self.tls.close_all()

    def respond(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> PdResponse:
        """Authenticate, apply faults, then serve."""
        if not urlsplit(target).path.startswith("/v2/"):
            sent = {k.lower(): v for k, v in headers.items()}.get("authorization", "")
            if sent != f"Token token={self.token}":
                raise PdError(401, "Unauthorized", UNAUTHORIZED)
        fault = self.faults.check(method)
        if fault is not None:
            raise fault
        return self.api.handle(method, target, raw)

    def rate_headers(self) -> dict[str, str]:
        """The rate-limit headers of every response (the fake never runs out on its own)."""
        with self._lock:
            used = len(self._log)
        return {
            "ratelimit-limit": str(RATE_LIMIT),
            "ratelimit-remaining": str(max(RATE_LIMIT - used % RATE_LIMIT - 1, 0)),
            "ratelimit-reset": "60",
        }

    def record(self, method: str, target: str, headers: dict[str, str], raw: bytes, status: int) -> None:
        """Append one request to the log."""
        url = urlsplit(target)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        with self._lock:
            self._log.append(LoggedRequest(method, url.path, parse_qs(url.query), headers, body, status))

    @property
    def requests(self) -> list[LoggedRequest]:
        """Every request served so far, oldest first (the call log)."""
        with self._lock:
            return list(self._log)

    def snapshot(self) -> dict[str, bytes]:
        """All REST state, byte for byte, by a stable name."""
        return self.store.snapshot()

    def add_user(self, name: str, email: str) -> Document:
        """An existing user, made out of band."""
        return self.store.add_user(name, email)

    def add_schedule(self, name: str) -> Document:
        """An existing schedule, made out of band."""
        return self.store.add_schedule(name)

    def add_policy(self, name: str, user_id: str, description: str = "") -> Document:
        """An escalation policy made by hand (no tags): one rule paging one user after 30 minutes."""
        rule = {"escalation_delay_in_minutes": 30, "targets": [{"id": user_id, "type": "user_reference"}]}
        return self.store.put_escalation_policy({"name": name, "description": description, "escalation_rules": [rule]})

    def add_unowned_service(self, name: str, policy_id: str, description: str = "Made by hand") -> Document:
        """A service made out of band (no monaco marker in its description) under an existing policy."""
        body = {"name": name, "description": description, "escalation_policy": {"id": policy_id}}
        return self.store.put_service(body)

    def throttle(self, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next `times` requests with 429 and `Retry-After`."""
        self.faults.throttle(times, retry_after)

    def fail_nth_write(self, nth: int, status: int = 500, times: int = 1) -> None:
        """Fail the `nth` write from now (and `times - 1` more after it) with `status`."""
        self.faults.fail_nth_write(nth, status, times)

    def reset(self) -> None:
        """Back to empty: no objects, no alerts, no faults, an empty log."""
        self.store.reset()
        self.events.reset()
        self.faults.reset()
        with self._lock:
            self._log.clear()
        self.internal_errors.clear()
