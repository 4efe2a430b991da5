"""A tiny HTTP client for live Prometheus and Alertmanager servers: stdlib only, a total deadline per request.

A socket timeout alone bounds each read, not the request: a server that sends one byte a second
never trips it. Each request here has a watchdog that shuts the socket down at its deadline, and
the body is read in bounded chunks, so no request outlives its deadline by more than a moment.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

REQUEST_SECONDS = 10.0
"""The default total deadline of one request: connect, send, headers and body."""
MAX_BODY_BYTES = 64 * 1024 * 1024
"""A longer body is cut off and the request fails: no server monaco talks to answers with more."""
_CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """Status and body of one request; status 0 means no complete answer (unreachable, cut off, too slow)."""

    status: int
    body: str

    def json(self) -> Any:
        """The body parsed as JSON; raises ValueError when it is not JSON."""
        return json.loads(self.body)

    def json_or_none(self) -> Any:
        """The body parsed as JSON, or None when it is not JSON (an HTML page, a truncated answer)."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def describe(self) -> str:
        """The answer for messages: `HTTP 503: <body start>`, or why there was no complete answer."""
        return self.body if self.status == 0 else f"HTTP {self.status}: {self.excerpt()}"

    def excerpt(self, limit: int = 120) -> str:
        """The start of the body on one line, for messages."""
        text = " ".join(self.body.split())
        return text if len(text) <= limit else text[: limit - 1] + "…"


class _Watchdog:
    """Shuts a connection's socket down at a deadline, so a read blocked on a trickling server returns."""

    def __init__(self, connection: http.client.HTTPConnection, seconds: float) -> None:
        self.connection = connection
        self.fired = threading.Event()
        self.timer = threading.Timer(max(0.0, seconds), self._fire)
        self.timer.daemon = True

    def _fire(self) -> None:
        self.fired.set()
        sock = self.connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> _Watchdog:
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.timer.cancel()


def request(method: str, url: str, timeout: float | None = None, *, deadline: float | None = None) -> HttpResponse:
    """Send one request and return the response within `timeout` seconds in total, never raising.

    `timeout` defaults to REQUEST_SECONDS (read at call time, so tests and callers can lower it); a
    `deadline` (time.monotonic() value) shortens it so a request never outlives a caller's wait.
    """
    seconds = REQUEST_SECONDS if timeout is None else timeout
    if deadline is not None:
        seconds = max(0.05, min(seconds, deadline - time.monotonic()))
    deadline = time.monotonic() + seconds
    parts = urllib.parse.urlsplit(url)
    connection_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    try:
        connection = connection_type(parts.hostname or "", parts.port, timeout=max(seconds, 0.001))
    except (ValueError, http.client.HTTPException) as exc:
        return HttpResponse(0, f"invalid URL {url}: {exc}")
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    with _Watchdog(connection, seconds) as watchdog:
        try:
            status, body = _exchange(connection, method, target, deadline)
        except (OSError, http.client.HTTPException) as exc:
            status, body = 0, (str(exc) or type(exc).__name__).encode()
        finally:
            connection.close()
    if watchdog.fired.is_set() or time.monotonic() >= deadline:
        return HttpResponse(0, f"no complete answer from {url} within {seconds:.1f}s")
    return HttpResponse(status, body.decode("utf-8", "replace"))


def _exchange(connection: http.client.HTTPConnection, method: str, target: str, deadline: float) -> tuple[int, bytes]:
    """Send the request and read the status and the whole body; raises on any transport problem."""
    connection.request(method, target, body=b"" if method == "POST" else None)
    response = connection.getresponse()
    return response.status, _read_body(response, deadline)


def _read_body(response: http.client.HTTPResponse, deadline: float) -> bytes:
    """The whole body, in chunks, stopping at the deadline or at MAX_BODY_BYTES (both raise OSError)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() >= deadline:
            raise TimeoutError("deadline passed while reading the body")
        chunk = response.read1(_CHUNK_BYTES)
        if not chunk:
            break
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise OSError(f"the answer is larger than {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
    if response.length:
        raise OSError(f"the answer ended {response.length} bytes short of its Content-Length")
    return b"".join(chunks)


def reload_problem(server: str, base: str, response: HttpResponse) -> str | None:
    """What is wrong with the answer to `POST /-/reload`, or None for a successful reload.

    Prometheus and Alertmanager answer a successful reload with 200 and an empty body; a 200 with a
    body (an HTML page from a proxy or a login form) is not a reload, so it is a failure too.
    """
    if response.status == 0:
        return f"{server} at {base} did not complete the reload: {response.body}"
    if response.status != 200:
        return f"{server} at {base} rejected the reload (HTTP {response.status}): {response.body.strip()}"
    if response.body.strip():
        return (
            f"{server} at {base} answered the reload with an unexpected body ({response.excerpt()!r}) where a "
            "reload answers with none; is the URL the server itself, not a proxy or a login page?"
        )
    return None


class NotTheApi(Exception):
    """An answer that is not the shape of the API asked (an HTML page, a proxy's answer)."""


@dataclass(frozen=True, slots=True)
class ServedAfterReload:
    """What a reloaded server must serve: where it says so, what that API and what the new state are called."""

    server: str
    path: str
    api: str
    state: str


def wait_until_served(
    served: ServedAfterReload, base: str, seconds: float, missing: Callable[[HttpResponse], str | None]
) -> str | None:
    """GET `served.path` until `missing(answer)` finds nothing missing, for at most `seconds`; else the problem.

    `missing` says what is not served yet (None: everything is), or raises NotTheApi, which fails at once: the
    server will not start answering differently. Every request ends by the deadline."""
    deadline = time.monotonic() + seconds
    while True:
        answer = request("GET", f"{base}{served.path}", deadline=deadline)
        if answer.status == 200:
            try:
                last = missing(answer)
            except NotTheApi:
                return (
                    f"{served.server} at {base} answered GET {served.path} with something that is not its "
                    f"{served.api} ({answer.excerpt()!r}); is the URL the server itself, not a proxy or a login page?"
                )
            if last is None:
                return None
        else:
            last = f"GET {served.path}: {answer.describe()}"
        if time.monotonic() >= deadline:
            return f"{served.server} at {base} did not serve the new {served.state} within {seconds:g}s of the reload: {last}"
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
