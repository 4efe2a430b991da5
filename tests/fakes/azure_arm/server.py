"""The fake ARM server: HTTPS on 127.0.0.1 (ephemeral port) in a daemon thread, with the test hooks.

Built on `tests/threaded_server.py`. The handler speaks HTTP/1.1 with keep-alive (the SDK's requests session
reuses one TLS connection) and sets TCP_NODELAY: without it every response waits ~40 ms on Nagle and delayed
ACK (feasibility §5). Idle connections time out after `IDLE_TIMEOUT` seconds, and `stop()` shuts down the
ones still open, so no handler thread outlives its fake.
"""

from __future__ import annotations

import json
import threading
import traceback
import uuid
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from tests.fakes.azure_arm.errors import ArmError
from tests.fakes.azure_arm.faults import Faults
from tests.fakes.azure_arm.kinds import METRIC_ALERTS, Document, ResourceKind
from tests.fakes.azure_arm.routes import ArmApi, parse_address
from tests.fakes.azure_arm.seeds import unowned_metric_alert
from tests.fakes.azure_arm.store import Address, ArmStore
from tests.fakes.tls_connections import TlsConnections, TlsHandler
from tests.threaded_server import LOCALHOST, ThreadedServer

SUBSCRIPTION = "00000000-0000-4000-8000-000000000000"
"""The subscription id the fake's clients use unless told otherwise (any id is served)."""
PRINCIPAL = "monaco-tests@fake-arm.invalid"


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request as the fake received it, with the status it answered."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any
    status: int
    kind: str | None
    """The resource kind's key (`metric_alerts`, ...) when the path named one."""
    collection: bool
    """True for a list call (the path names a collection, not one resource)."""


def _describe(path: str) -> tuple[str | None, bool]:
    """(kind key, is a collection) for a request path; (None, False) when it names no served kind."""
    try:
        address = parse_address(path)
    except ArmError:
        return None, False
    return address.kind.key, address.name is None


class _ArmHandler(TlsHandler):
    """Serves one connection for the fake bound to the subclass."""

    fake: ClassVar[AzureArmFake]

    def _serve(self) -> None:
        """Answer one request through the fake's ArmApi and log it."""
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = dict(self.headers.items())
        try:
            response = self.fake.api.handle(self.command, self.path, headers, raw)
        except Exception:  # a bug in the fake: answer 500, and let the fixture fail the test
            self.fake.internal_errors.append(traceback.format_exc())
            response = ArmError(500, "FakeInternalError", "the fake raised; see fake.internal_errors").response()
        self.fake.record(self.command, self.path, headers, raw, response.status)
        payload = b"" if response.body is None else json.dumps(response.body).encode()
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        if payload:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-ms-request-id", str(uuid.uuid4()))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_PATCH = do_DELETE = do_POST = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is `fake.requests`."""


class AzureArmFake:
    """A fake Azure Resource Manager for metric alerts, log alerts, Prometheus rule groups and action groups."""

    def __init__(self, subscription: str = SUBSCRIPTION, page_size: int = 2) -> None:
        self.subscription = subscription
        self.store = ArmStore(PRINCIPAL)
        self.faults = Faults()
        self.api = ArmApi(self.store, self.faults, lambda: self.url, page_size)
        self._default_page_size = page_size
        self.tls = TlsConnections()
        self.internal_errors: list[str] = []
        self._server = ThreadedServer()
        self._lock = threading.Lock()
        self._log: list[LoggedRequest] = []

    @property
    def url(self) -> str:
        """The base URL to give the SDK clients as `base_url`."""
        assert self._server.server is not None, "the fake is not running"
        return f"https://{LOCALHOST}:{self._server.server.server_address[1]}"

    @property
    def ca_file(self) -> str:
        """The CA bundle to give the SDK clients as `connection_verify`."""
        return self.tls.ca_file

    @property
    def page_size(self) -> int:
        """How many resources a page of a pageable list holds (reset() restores the constructor's value)."""
        return self.api.page_size

    @page_size.setter
    def page_size(self, size: int) -> None:
        """Change the page size until the next reset()."""
        self.api.page_size = size

    def start(self) -> AzureArmFake:
        """Serve on an ephemeral port of 127.0.0.1."""
        handler = type("BoundArmHandler", (_ArmHandler,), {"fake": self, "tls": self.tls})
        self._server.serve(handler, name="azure-arm-fake")
        return self

    def stop(self) -> None:
        """Stop serving, close open connections and join the server thread."""
        self._server.stop()
        self.tls.close_all()

    def record(self, method: str, target: str, headers: dict[str, str], raw: bytes, status: int) -> None:
        """Append one request to the log."""
        url = urlsplit(target)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        kind, collection = _describe(url.path)
        entry = LoggedRequest(method, url.path, parse_qs(url.query), headers, body, status, kind, collection)
        with self._lock:
            self._log.append(entry)

    @property
    def requests(self) -> list[LoggedRequest]:
        """Every request served so far, oldest first."""
        with self._lock:
            return list(self._log)

    def list_calls(self, kind: ResourceKind) -> int:
        """How many list (collection GET) requests of `kind` were served, pages and retries included."""
        return sum(1 for r in self.requests if r.method == "GET" and r.kind == kind.key and r.collection)

    def snapshot(self) -> dict[str, bytes]:
        """All state as bytes by a stable name (resource id): JSON with sorted keys."""
        return self.store.snapshot()

    def seed(self, kind: ResourceKind, resource_group: str, name: str, body: Document) -> Document:
        """Create or replace a resource out of band (not logged, no faults), validated like a PUT."""
        address = Address(self.subscription, resource_group, kind, name)
        return self.store.put(address, body)[1]

    def create_unowned_metric_alert(self, resource_group: str, name: str) -> Document:
        """A valid metric alert made by hand (no monaco tags) where monaco may want to write `name`."""
        return self.seed(METRIC_ALERTS, resource_group, name, unowned_metric_alert(self.subscription, resource_group))

    def throttle(self, times: int = 1, retry_after: int = 1, method: str | None = None) -> None:
        """Answer the next `times` requests (of `method`, or any) with 429 and `Retry-After`."""
        self.faults.throttle(times, retry_after, method)

    def fail_nth_write(self, nth: int, status: int = 500, attempts: int | None = None) -> None:
        """Fail the `nth` PUT/PATCH/DELETE from now with a 500 or 503 ARM error, `attempts` tries (None: all)."""
        self.faults.fail_nth_write(nth, status, attempts)

    def reset(self) -> None:
        """Back to empty: no resources, no faults, an empty log, the clock restarted, the first page size."""
        self.api.page_size = self._default_page_size
        self.store.reset()
        self.faults.reset()
        with self._lock:
            self._log.clear()
        self.internal_errors.clear()
