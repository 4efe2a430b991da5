"""The fake Grafana HTTP API on 127.0.0.1 (ephemeral port), with its test hooks: snapshot, unowned objects, faults, log.

Served: `GET /api/health`, `GET/POST /api/folders`, `GET /api/folders/:uid`, `POST /api/dashboards/db`,
`GET/DELETE /api/dashboards/uid/:uid` and `GET /api/search`. Every `/api` call but health needs a bearer
token or basic auth the fake was given (401 otherwise, with Grafana's `auth.unauthorized` body).
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import traceback
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from tests.fakes.grafana.store import ApiError, Document, GrafanaStore, SearchQuery
from tests.threaded_server import ThreadedServer

TOKEN = "glsa_fake_service_account_token"
"""The bearer token the fake accepts unless told otherwise."""
BASIC = ("admin", "admin-password")
"""The user and password the fake accepts for basic auth unless told otherwise."""
WRITE_METHODS = frozenset({"POST", "PUT", "DELETE", "PATCH"})
MAX_SEARCH_LIMIT = 5000
"""folder_dashboard_search.md: "max is 5000; default is 1000"."""
UNAUTHORIZED: Document = {
    "extra": None,
    "message": "Unauthorized",
    "messageId": "auth.unauthorized",
    "statusCode": 401,
    "traceID": "",
}


@dataclass(frozen=True, slots=True)
class LoggedCall:
    """One request as the fake received it, and the status it answered."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int


class _GrafanaHandler(BaseHTTPRequestHandler):
    """Serves one connection for the fake bound to the subclass."""

    protocol_version = "HTTP/1.1"
    timeout = 10.0
    fake: ClassVar[GrafanaFake]

    def setup(self) -> None:
        """TCP_NODELAY: without it every keep-alive response waits ~40 ms on Nagle and delayed ACK."""
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().setup()

    def _serve(self) -> None:
        """Answer one request and log it."""
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        try:
            status, body = self.fake.answer(self.command, url.path, query, self.headers.get("Authorization"), raw)
        except Exception:  # a bug in the fake: answer 500 and let the fixture fail the test
            self.fake.internal_errors.append(traceback.format_exc())
            status, body = 500, {"message": "the fake raised; see fake.internal_errors"}
        self.fake.record(LoggedCall(self.command, url.path, query, _json_or_text(raw), status))
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is `fake.calls`."""


def _json_or_text(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode(errors="replace")


class GrafanaFake:
    """One Grafana organisation's folders and dashboards behind the real HTTP API's paths and shapes."""

    def __init__(self, token: str = TOKEN, basic: tuple[str, str] = BASIC) -> None:
        self.store = GrafanaStore()
        self.token = token
        self.basic = basic
        self.internal_errors: list[str] = []
        self._server = ThreadedServer()
        self._lock = threading.Lock()
        self._log: list[LoggedCall] = []
        self._writes = 0
        self._failing: dict[int, int] = {}

    @property
    def url(self) -> str:
        """The base URL (`http://127.0.0.1:PORT`), as a user would give it to `GrafanaApi.from_url`."""
        return self._server.url

    def start(self) -> GrafanaFake:
        """Serve on an ephemeral port of 127.0.0.1 in a daemon thread."""
        self._server.serve(type("BoundGrafanaHandler", (_GrafanaHandler,), {"fake": self}), name="grafana-fake")
        return self

    def stop(self) -> None:
        """Stop serving and join the server thread."""
        self._server.stop()

    def answer(
        self, method: str, path: str, query: dict[str, list[str]], authorization: str | None, raw: bytes
    ) -> tuple[int, Any]:
        """Status and JSON body for one request."""
        if path.rstrip("/") == "/api/health":
            return 200, {"commit": "fake", "database": "ok", "version": "11.6.0"}
        if not self._authorized(authorization):
            return 401, UNAUTHORIZED
        try:
            if method in WRITE_METHODS:
                self._count_write()
            return 200, self._route(method, path.rstrip("/"), query, raw)
        except ApiError as error:
            return error.status, error.body

    def _authorized(self, header: str | None) -> bool:
        """`Bearer <token>` or `Basic <user:password>` as configured (auth.md)."""
        if header is None:
            return False
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer":
            return value == self.token
        if scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(value).decode().partition(":")
            except ValueError:
                return False
            return (user, password) == self.basic
        return False

    def _count_write(self) -> None:
        """Count one write; raise the 500 armed for it, if any."""
        with self._lock:
            self._writes += 1
            armed = self._failing.pop(self._writes, None)
        if armed is not None:
            raise ApiError(armed, "Internal Server Error (injected by the fake)")

    def _route(self, method: str, path: str, query: dict[str, list[str]], raw: bytes) -> Any:
        """Dispatch a path to the store."""
        parts = path.split("/")[2:]
        body = _body(raw) if method in WRITE_METHODS else {}
        if parts == ["folders"]:
            if method == "POST":
                return self.store.create_folder(body)
            return self.store.list_folders(_int(query, "limit", 1000), _int(query, "page", 1))
        if len(parts) == 2 and parts[0] == "folders" and method == "GET":
            return self.store.folder(parts[1])
        if parts == ["dashboards", "db"] and method == "POST":
            return self.store.save_dashboard(body)
        if len(parts) == 3 and parts[:2] == ["dashboards", "uid"]:
            if method == "GET":
                return self.store.dashboard(parts[2])
            if method == "DELETE":
                return self.store.delete_dashboard(parts[2])
        if parts == ["search"] and method == "GET":
            return self.store.search(_search_query(query))
        raise ApiError(404, "Not found")

    # Hooks for tests.

    def record(self, call: LoggedCall) -> None:
        """Append one request to the log."""
        with self._lock:
            self._log.append(call)

    @property
    def calls(self) -> list[LoggedCall]:
        """Every request served so far, oldest first."""
        with self._lock:
            return list(self._log)

    def count(self, method: str, path_prefix: str) -> int:
        """How many requests of `method` under `path_prefix` were served."""
        return sum(1 for c in self.calls if c.method == method and c.path.startswith(path_prefix))

    def fail_nth_write(self, nth: int, status: int = 500) -> None:
        """The `nth` write from now (1-based) answers `status` and changes nothing."""
        if nth < 1:
            raise ValueError("the Nth write is counted from 1")
        with self._lock:
            self._failing[self._writes + nth] = status

    def pending_faults(self) -> int:
        """How many armed failures have not fired yet."""
        with self._lock:
            return len(self._failing)

    def clear_faults(self) -> None:
        """Disarm every failure."""
        with self._lock:
            self._failing.clear()

    def snapshot(self) -> bytes:
        """Every folder and dashboard as canonical JSON bytes."""
        return self.store.snapshot()

    def add_folder(self, uid: str, title: str) -> Document:
        """A folder made out of band (no log, no faults)."""
        return self.store.create_folder({"uid": uid, "title": title})

    def add_dashboard(self, dashboard: Document, folder_uid: str = "", overwrite: bool = True) -> Document:
        """A dashboard saved out of band (no log, no faults): someone clicking Save, or another tool."""
        return self.store.save_dashboard({"dashboard": dashboard, "folderUid": folder_uid, "overwrite": overwrite})

    def add_unowned_dashboard(self, uid: str, title: str, folder_uid: str = "") -> Document:
        """A hand-made dashboard without monaco's tags at `uid` (and `title`), where monaco may want to write."""
        dashboard = {"uid": uid, "title": title, "tags": ["handmade"], "panels": [], "schemaVersion": 39}
        return self.add_dashboard(dashboard, folder_uid)

    def reset(self) -> None:
        """Back to empty: no folders or dashboards, no faults, an empty log, the write count restarted."""
        self.store.reset()
        with self._lock:
            self._log.clear()
            self._failing.clear()
            self._writes = 0
        self.internal_errors.clear()


def _body(raw: bytes) -> Document:
    """A JSON object body; anything else is Grafana's 400 `bad request data`."""
    try:
        body = json.loads(raw) if raw else {}
    except ValueError as exc:
        raise ApiError(400, "bad request data") from exc
    if not isinstance(body, dict):
        raise ApiError(400, "bad request data")
    return body


def _int(query: dict[str, list[str]], name: str, default: int) -> int:
    values = query.get(name)
    if not values:
        return default
    try:
        return int(values[-1])
    except ValueError as exc:
        raise ApiError(400, f"invalid {name}") from exc


def _search_query(query: dict[str, list[str]]) -> SearchQuery:
    """The search filters; limit capped at 5000 and page counted from 1 as Grafana does."""
    limit = min(max(_int(query, "limit", 1000), 1), MAX_SEARCH_LIMIT)
    return SearchQuery(
        query=(query.get("query") or [""])[-1],
        tags=tuple(query.get("tag", [])),
        type=(query.get("type") or [None])[-1],
        dashboard_uids=tuple(query.get("dashboardUIDs", [])),
        folder_uids=tuple(query.get("folderUIDs", [])),
        limit=limit,
        page=max(_int(query, "page", 1), 1),
    )
