"""A fake Mimir (or Cortex) ruler and Alertmanager config API on 127.0.0.1, speaking their YAML wire format.

Routes, as Mimir's HTTP API reference lists them (`docs/sources/mimir/references/http-api/index.md`) and
`pkg/ruler/api.go` / `pkg/alertmanager/api.go` implement them:

- `GET /prometheus/config/v1/rules[/{namespace}]` (namespace -> groups; `{}` with 200 when there are none:
  Mimir 2.x; Cortex and old Mimir answered 404 `no rule groups found`),
  `GET|DELETE /prometheus/config/v1/rules/{namespace}/{group}` (404 `group does not exist`),
  `POST /prometheus/config/v1/rules/{namespace}` (one group, YAML; 202 `{"status":"success"}`),
  `DELETE /prometheus/config/v1/rules/{namespace}` (202; 404 `group namespace does not exist`);
- `GET|POST|DELETE /api/v1/alerts` (`{template_files, alertmanager_config}`; GET 404 when unset, POST 201).

The tenant comes from `X-Scope-OrgID`: without it the auth middleware answers 401 `no org id` (dskit's
`user.ErrNoOrgID`, multitenancy on). Basic or bearer auth, when configured, is checked first (a gateway's
401). Path parts are URL-unescaped as `parseNamespace`/`parseGroupName` do.
"""

from __future__ import annotations

import base64
import json
import threading
import traceback
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.mimir.store import Limits, Store, dump
from tests.fakes.mimir.validation import (
    MAX_GROUPS,
    MAX_RULES,
    Refused,
    alertmanager_errors,
    group_errors,
    parse_group,
    promtool_errors,
    stored_group,
)
from tests.threaded_server import ThreadedServer

RULES_PREFIX = "/prometheus/config/v1/rules"
ALERTMANAGER_PATH = "/api/v1/alerts"
ACCEPTED = json.dumps({"status": "success", "data": None, "errorType": "", "error": ""})


@dataclass(frozen=True, slots=True)
class Call:
    """One request the fake answered: method, raw path, tenant and status."""

    method: str
    path: str
    tenant: str
    status: int


@dataclass(slots=True)
class Faults:
    """Injected failures: the Nth write (POST or DELETE, counted from 1) answers `status`."""

    fail_write: int = 0
    status: int = 500
    writes: int = 0

    def reset(self) -> None:
        """No injected failure; the write count starts again."""
        self.fail_write, self.status, self.writes = 0, 500, 0


@dataclass(slots=True)
class MimirFake:
    """The fake ruler and Alertmanager: state, limits, auth, hooks, and the HTTP server serving them."""

    limits: Limits = field(default_factory=Limits)
    basic: tuple[str, str] | None = None
    bearer: str | None = None
    check_with_promtool: bool = True
    cortex_empty_404: bool = False
    """Answer an empty tenant's listing as Cortex and Mimir before 2.x did: 404 `no rule groups found`."""
    store: Store = field(default_factory=Store)
    faults: Faults = field(default_factory=Faults)
    calls: list[Call] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    """Every rule group a POST carried that the fake accepted (each one passed `promtool check rules`)."""
    internal_errors: list[str] = field(default_factory=list)
    server: ThreadedServer = field(default_factory=ThreadedServer)
    _calls_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        """The base URL (`http://127.0.0.1:<port>`)."""
        return self.server.url

    def start(self) -> MimirFake:
        """Serve on an ephemeral port of 127.0.0.1."""
        self.server.serve(_handler(self), "mimir-fake")
        return self

    def stop(self) -> None:
        """Stop serving, join the thread."""
        self.server.stop()

    def reset(self) -> None:
        """Empty state, no faults, no auth, no limits, an empty call log."""
        self.store.clear()
        self.faults.reset()
        self.limits = Limits()
        self.basic, self.bearer, self.check_with_promtool, self.cortex_empty_404 = None, None, True, False
        with self._calls_lock:
            self.calls.clear()
            self.received.clear()
        self.internal_errors.clear()

    def snapshot(self) -> dict[str, bytes]:
        """Everything the fake holds, byte for byte, by a stable name."""
        return self.store.snapshot()

    def seed_group(self, tenant: str, namespace: str, group: dict[str, Any]) -> None:
        """Store a group out of band (someone using mimirtool): no validation, no call logged."""
        with self.store.lock:
            self.store.set_group(tenant, namespace, stored_group(group))

    def fail_nth_write(self, n: int, status: int = 500) -> None:
        """The `n`th write from now (POST or DELETE) answers `status` and changes nothing."""
        self.faults.fail_write, self.faults.status, self.faults.writes = n, status, 0

    def log(self, call: Call) -> None:
        """Record one answered request."""
        with self._calls_lock:
            self.calls.append(call)

    def calls_of(self, method: str | None = None) -> list[Call]:
        """The calls answered so far, optionally only one method's."""
        with self._calls_lock:
            return [c for c in self.calls if method is None or c.method == method]

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, str, str]:
        """Answer one request: (status, content type, body)."""
        self._authorize(headers)
        tenant = headers.get("x-scope-orgid", "")
        if not tenant:
            raise Refused(401, "no org id")
        if method in ("POST", "DELETE"):
            self.faults.writes += 1
            if self.faults.writes == self.faults.fail_write:
                raise Refused(self.faults.status, "injected failure")
        if path == ALERTMANAGER_PATH:
            return self._alertmanager(method, tenant, body)
        if path == RULES_PREFIX or path.startswith(RULES_PREFIX + "/"):
            parts = [urllib.parse.unquote(p) for p in path[len(RULES_PREFIX) :].split("/")[1:]]
            return self._rules(method, tenant, parts, body)
        raise Refused(404, "404 page not found")

    def _authorize(self, headers: dict[str, str]) -> None:
        """401 unless the request carries the configured basic credentials or bearer token."""
        given = headers.get("authorization", "")
        if self.basic is not None:
            wanted = "Basic " + base64.b64encode(f"{self.basic[0]}:{self.basic[1]}".encode()).decode()
            if given != wanted:
                raise Refused(401, "Unauthorized")
        if self.bearer is not None and given != f"Bearer {self.bearer}":
            raise Refused(401, "Unauthorized")

    def _rules(self, method: str, tenant: str, parts: list[str], body: bytes) -> tuple[int, str, str]:
        """The ruler config API, by how many path parts follow the prefix."""
        with self.store.lock:
            if method == "GET" and len(parts) <= 1:
                listing = self.store.listing(tenant, parts[0] if parts else None)
                if not listing and self.cortex_empty_404:
                    raise Refused(404, "no rule groups found")
                return 200, "application/yaml", dump(listing)
            if method == "GET" and len(parts) == 2:
                group = self.store.namespaces(tenant).get(parts[0], {}).get(parts[1])
                if group is None:
                    raise Refused(404, "group does not exist")
                return 200, "application/yaml", dump(group)
            if method == "POST" and len(parts) == 1:
                self._create(tenant, parts[0], body)
                return 202, "application/json", ACCEPTED
            if method == "DELETE" and len(parts) == 2:
                if not self.store.delete_group(tenant, parts[0], parts[1]):
                    raise Refused(404, "group does not exist")
                return 202, "application/json", ACCEPTED
            if method == "DELETE" and len(parts) == 1:
                if not self.store.delete_namespace(tenant, parts[0]):
                    raise Refused(404, "group namespace does not exist")
                return 202, "application/json", ACCEPTED
        raise Refused(405, "405 method not allowed")

    def _create(self, tenant: str, namespace: str, body: bytes) -> None:
        """CreateRuleGroup: decode, validate (Mimir's checks, then promtool), check limits, store."""
        group = parse_group(body)
        errors = group_errors(group) or (promtool_errors(group) if self.check_with_promtool else [])
        if errors:
            raise Refused(400, ", ".join(errors))
        rules = len(group["rules"])
        if self.limits.max_rules_per_rule_group and rules > self.limits.max_rules_per_rule_group:
            raise Refused(400, MAX_RULES.format(limit=self.limits.max_rules_per_rule_group, actual=rules))
        # api.go counts the tenant's groups plus one, whether or not this POST replaces an existing group.
        actual = self.store.group_count(tenant) + 1
        if self.limits.max_rule_groups_per_tenant and actual > self.limits.max_rule_groups_per_tenant:
            raise Refused(400, MAX_GROUPS.format(limit=self.limits.max_rule_groups_per_tenant, actual=actual))
        self.store.set_group(tenant, namespace, stored_group(group))
        with self._calls_lock:
            self.received.append(group)

    def _alertmanager(self, method: str, tenant: str, body: bytes) -> tuple[int, str, str]:
        """The tenant's Alertmanager config: GET (404 when unset), POST (201), DELETE (200)."""
        with self.store.lock:
            if method == "GET":
                found = self.store.alertmanager.get(tenant)
                if found is None:
                    raise Refused(404, "alertmanager storage object not found")
                return 200, "application/yaml", dump(found)
            if method == "POST":
                config, problem = alertmanager_errors(body)
                if config is None:
                    raise Refused(400, problem)
                self.store.alertmanager[tenant] = config
                return 201, "text/plain", ""
            if method == "DELETE":
                self.store.alertmanager.pop(tenant, None)
                return 200, "text/plain", ""
        raise Refused(405, "405 method not allowed")


def _handler(fake: MimirFake) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to `fake`."""

    class Handler(BaseHTTPRequestHandler):
        """Reads the request, lets the fake answer it, logs the call."""

        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the fake keeps its own call log."""

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            path = urllib.parse.urlsplit(self.path).path
            try:
                status, content_type, text = fake.handle(self.command, path, headers, body)
            except Refused as refused:
                status, content_type, text = refused.status, "text/plain; charset=utf-8", refused.text + "\n"
            except Exception:
                fake.internal_errors.append(traceback.format_exc())
                status, content_type, text = 500, "text/plain; charset=utf-8", "internal error in the fake\n"
            fake.log(Call(self.command, self.path, headers.get("x-scope-orgid", ""), status))
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = do_PUT = _serve

    return Handler
