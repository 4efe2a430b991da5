"""The fake Grafana alerting provisioning API over HTTP on 127.0.0.1, with the hooks conformance kits need.

Paths are those of Grafana's provisioning reference under `/api/v1/provisioning/` plus `GET/POST /api/folders`.
Auth: `Authorization: Bearer <token>` (a service account token) or Basic `user:password`, else 401 as
Grafana answers. Writes are provisioned with `provenance: "api"` unless the request carries
`X-Disable-Provenance` (then none). Hooks: a call log, failing the Nth write, out-of-band objects, reset.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakes.grafana_provisioning import mute_timings, notifications, rules
from tests.fakes.grafana_provisioning.store import ApiError, GrafanaState, Json
from tests.threaded_server import ThreadedServer

TOKEN = "glsa_fake_service_account_token"
BASIC = ("admin", "admin")
PROVISIONING = "/api/v1/provisioning"
Handler = Callable[["Request"], tuple[int, Any]]


@dataclass(frozen=True)
class Request:
    """One request as a route handler sees it: method, path parameters, query, JSON body, provenance."""

    method: str
    params: tuple[str, ...]
    query: dict[str, list[str]]
    body: Any
    provenance: str


@dataclass(frozen=True)
class Call:
    """One request received: method, path (with query) and the JSON body sent."""

    method: str
    path: str
    body: Any


@dataclass
class Faults:
    """Writes to fail: the `countdown`-th write from now answers `status`."""

    countdown: int = 0
    status: int = 500
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> int | None:
        """Count one write; the status to fail it with, when this is the armed one."""
        with self.lock:
            if self.countdown <= 0:
                return None
            self.countdown -= 1
            return self.status if self.countdown == 0 else None


def _folders(state: GrafanaState, req: Request) -> tuple[int, Any]:
    with state.lock:
        if req.method == "GET":
            return 200, [{"id": f["id"], "uid": f["uid"], "title": f["title"]} for f in state.folders.values()]
        body = req.body if isinstance(req.body, dict) else {}
        title = str(body.get("title") or "").strip()
        if not title:
            raise ApiError(400, "folder title cannot be empty")
        uid = rules.new_uid(body.get("uid"))
        if uid in state.folders or any(f["title"] == title for f in state.folders.values()):
            raise ApiError(409, "a folder with the same name or uid already exists")
        folder = {"id": state.new_id(), "uid": uid, "title": title, "url": f"/dashboards/f/{uid}/", "version": 1}
        state.folders[uid] = folder
        return 200, dict(folder)


def _alert_rules(state: GrafanaState, req: Request) -> tuple[int, Any]:
    uid = req.params[0] if req.params else None
    if uid is None and req.method == "GET":
        with state.lock:
            return 200, [rules.copied(r) for r in sorted(state.rules.values(), key=lambda r: r["uid"])]
    if uid is None and req.method == "POST":
        return 201, rules.create_rule(state, req.body, req.provenance)
    assert uid is not None
    if req.method == "GET":
        with state.lock:
            if uid not in state.rules:
                raise ApiError(404, f"alert rule {uid} not found")
            return 200, rules.copied(state.rules[uid])
    if req.method == "PUT":
        return 200, rules.update_rule(state, uid, req.body, req.provenance)
    rules.delete_rule(state, uid, req.provenance)
    return 204, None


def _export(state: GrafanaState, req: Request) -> tuple[int, Any]:
    if (req.query.get("format") or ["yaml"])[0] != "json":
        raise ApiError(406, "this fake exports JSON only: pass format=json")
    return 200, rules.export_groups(state, req.query.get("folderUid", []), (req.query.get("group") or [None])[0])


def _rule_group(state: GrafanaState, req: Request) -> tuple[int, Any]:
    folder, group = req.params
    if req.method == "GET":
        return 200, rules.get_group(state, folder, group)
    return 200, rules.put_group(state, folder, group, req.body, req.provenance)


def _contact_points(state: GrafanaState, req: Request) -> tuple[int, Any]:
    uid = req.params[0] if req.params else None
    if req.method == "GET":
        return 200, notifications.list_contact_points(state, (req.query.get("name") or [None])[0])
    if req.method == "POST":
        return 202, notifications.create_contact_point(state, req.body, req.provenance)
    assert uid is not None
    if req.method == "PUT":
        notifications.update_contact_point(state, uid, req.body, req.provenance)
        return 202, {"message": "contactpoint updated"}
    notifications.delete_contact_point(state, uid, req.provenance)
    return 204, None


def _policies(state: GrafanaState, req: Request) -> tuple[int, Any]:
    if req.method == "GET":
        with state.lock:
            return 200, rules.copied(state.policies)
    if req.method == "PUT":
        notifications.put_policies(state, req.body, req.provenance)
        return 202, {"message": "policies updated"}
    return 202, notifications.reset_policies(state)


def _mute_timings(state: GrafanaState, req: Request) -> tuple[int, Any]:
    name = req.params[0] if req.params else None
    if req.method == "GET":
        return 200, mute_timings.list_mute_timings(state) if name is None else mute_timings.get_mute_timing(state, name)
    if req.method == "POST":
        return 201, mute_timings.create_mute_timing(state, req.body, req.provenance)
    assert name is not None
    if req.method == "PUT":
        return 202, mute_timings.update_mute_timing(state, name, req.body, req.provenance)
    mute_timings.delete_mute_timing(state, name, req.provenance)
    return 204, None


SEGMENT = r"([^/]+)"
ROUTES: list[tuple[re.Pattern[str], frozenset[str], Callable[[GrafanaState, Request], tuple[int, Any]]]] = [
    (re.compile(r"^/api/folders$"), frozenset({"GET", "POST"}), _folders),
    (re.compile(rf"^{PROVISIONING}/alert-rules$"), frozenset({"GET", "POST"}), _alert_rules),
    (re.compile(rf"^{PROVISIONING}/alert-rules/export$"), frozenset({"GET"}), _export),
    (re.compile(rf"^{PROVISIONING}/alert-rules/{SEGMENT}$"), frozenset({"GET", "PUT", "DELETE"}), _alert_rules),
    (re.compile(rf"^{PROVISIONING}/folder/{SEGMENT}/rule-groups/{SEGMENT}$"), frozenset({"GET", "PUT"}), _rule_group),
    (re.compile(rf"^{PROVISIONING}/contact-points$"), frozenset({"GET", "POST"}), _contact_points),
    (re.compile(rf"^{PROVISIONING}/contact-points/{SEGMENT}$"), frozenset({"PUT", "DELETE"}), _contact_points),
    (re.compile(rf"^{PROVISIONING}/policies$"), frozenset({"GET", "PUT", "DELETE"}), _policies),
    (re.compile(rf"^{PROVISIONING}/mute-timings$"), frozenset({"GET", "POST"}), _mute_timings),
    (re.compile(rf"^{PROVISIONING}/mute-timings/{SEGMENT}$"), frozenset({"GET", "PUT", "DELETE"}), _mute_timings),
]


def authorized(header: str | None) -> bool:
    """A service-account bearer token or the basic-auth user, as Grafana accepts them."""
    if header == f"Bearer {TOKEN}":
        return True
    if header and header.startswith("Basic "):
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return (user, password) == BASIC
    return False


class GrafanaProvisioningFake:
    """The server, its state and hooks; `start()` binds an ephemeral port on 127.0.0.1, `stop()` joins it."""

    def __init__(self) -> None:
        self.state = GrafanaState()
        self.faults = Faults()
        self.calls: list[Call] = []
        self._calls_lock = threading.Lock()
        self._server = ThreadedServer()

    @property
    def url(self) -> str:
        """`http://127.0.0.1:PORT`."""
        return self._server.url

    def start(self) -> GrafanaProvisioningFake:
        """Serve in a daemon thread."""
        self._server.serve(_handler_for(self), "grafana-provisioning-fake")
        return self

    def stop(self) -> None:
        """Stop serving and join the thread."""
        self._server.stop()

    def record(self, call: Call) -> None:
        """Log one request."""
        with self._calls_lock:
            self.calls.append(call)

    def call_log(self, method: str | None = None) -> list[Call]:
        """Requests received so far (all, or of one HTTP method)."""
        with self._calls_lock:
            return [c for c in self.calls if method is None or c.method == method]

    def clear_calls(self) -> None:
        """Forget the call log."""
        with self._calls_lock:
            self.calls.clear()

    def fail_nth_write(self, n: int, status: int = 500) -> None:
        """The `n`-th write (POST/PUT/DELETE) from now answers `status` without taking effect."""
        with self.faults.lock:
            self.faults.countdown, self.faults.status = n, status

    def reset(self) -> None:
        """A fresh Grafana: state, faults and call log."""
        self.state.reset()
        self.fail_nth_write(0)
        self.clear_calls()

    def snapshot(self) -> dict[str, bytes]:
        """Every object, byte for byte."""
        return self.state.snapshot()

    def dispatch(
        self, method: str, path: str, query: dict[str, list[str]], body: Any, provenance: str
    ) -> tuple[int, Any]:
        """Route one authorized request; ApiError becomes Grafana's error body."""
        for pattern, methods, handler in ROUTES:
            match = pattern.match(path)
            if match is None:
                continue
            if method not in methods:
                return 405, {"message": "Method Not Allowed"}
            if method != "GET" and (status := self.faults.take()) is not None:
                return status, {"message": "injected failure", "traceID": ""}
            request = Request(method, tuple(unquote(g) for g in match.groups()), query, body, provenance)
            try:
                return handler(self.state, request)
            except ApiError as exc:
                return exc.status, exc.body()
        return 404, {"message": "Not found"}


def _handler_for(fake: GrafanaProvisioningFake) -> type[BaseHTTPRequestHandler]:
    class GrafanaHandler(BaseHTTPRequestHandler):
        """Parses one request, checks auth, dispatches it to the fake."""

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: tests read the call log instead."""

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                self._send(400, {"message": "bad request data"})
                return
            fake.record(Call(self.command, self.path, body))
            if not authorized(self.headers.get("Authorization")):
                self._send(401, {"message": "Unauthorized"})
                return
            disable = self.headers.get("X-Disable-Provenance")
            provenance = "" if disable not in (None, "", "false") else "api"
            status, payload = fake.dispatch(self.command, parts.path, parse_qs(parts.query), body, provenance)
            self._send(status, payload)

        def _send(self, status: int, payload: Any) -> None:
            data = b"" if payload is None or status == 204 else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return GrafanaHandler


def seed_json(value: Json) -> Json:
    """A JSON round trip of `value` (what out-of-band writers store)."""
    parsed: Json = json.loads(json.dumps(value))
    return parsed
