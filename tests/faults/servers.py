"""Misbehaving HTTP servers on 127.0.0.1 for fault tests: an HTML login page, and a server that trickles.

No real Prometheus or Alertmanager answers like this; a proxy, a login page in front of the server or
a wrong URL does, so these fakes stand in for what cannot be made to happen with the real tools.
Each runs in a daemon thread on an ephemeral port and is stopped by `stop()`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.threaded_server import ThreadedServer

HTML_PAGE = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>Log in</form></body></html>\n"


@dataclass(slots=True)
class FaultServer:
    """Answers by `mode`: `html` (every request gets an HTML page), `api-html` (reloads succeed, the API
    answers HTML), `trickle` (headers, then a byte a second), `api-trickle` (reloads succeed, the API
    trickles). Records every request as `METHOD path`."""

    mode: str
    requests: list[str] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    http: ThreadedServer = field(default_factory=ThreadedServer)

    @property
    def url(self) -> str:
        """The base URL the server listens on."""
        return self.http.url

    def start(self) -> FaultServer:
        """Bind an ephemeral port and serve in a daemon thread."""
        fault = self

        class Handler(BaseHTTPRequestHandler):
            """Misbehaves as the server's mode says."""

            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                """Answer a GET."""
                fault.answer(self)

            def do_POST(self) -> None:
                """Answer a POST (its body, if any, is ignored)."""
                fault.answer(self)

            def log_message(self, format: str, *args: Any) -> None:
                """Keep test output quiet."""

        self.http.serve(Handler, f"fault-{self.mode}")
        return self

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        """Send this mode's answer to one request."""
        self.requests.append(f"{handler.command} {handler.path}")
        is_reload = handler.path == "/-/reload"
        if self.mode in ("api-html", "api-trickle") and is_reload:
            self._send(handler, b"", "text/plain")
        elif self.mode in ("html", "api-html"):
            self._send(handler, HTML_PAGE, "text/html; charset=utf-8")
        else:
            self._trickle(handler)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, body: bytes, content_type: str) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _trickle(self, handler: BaseHTTPRequestHandler) -> None:
        """Headers promising a JSON body, then one byte of it a second until stopped or the client leaves."""
        body = b'{"status":"success","data":{"groups":[]}}' + b" " * 4096
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for byte in body:
            if self.stopping.is_set():
                return
            try:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
            except OSError:
                return
            time.sleep(1.0)

    def stop(self) -> None:
        """Stop serving, end the trickles and close the socket."""
        self.stopping.set()
        self.http.stop()
