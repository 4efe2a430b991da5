"""An HTTP server on 127.0.0.1 in a daemon thread, on an ephemeral port: the base of every test server."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCALHOST = "127.0.0.1"
"""Every test server binds here, and every request goes here."""


@dataclass(slots=True)
class ThreadedServer:
    """One `ThreadingHTTPServer` serving `handler` until `stop()`."""

    server: ThreadingHTTPServer | None = None
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL the server listens on."""
        assert self.server is not None
        return f"http://{LOCALHOST}:{self.server.server_address[1]}"

    def serve(self, handler: type[BaseHTTPRequestHandler], name: str) -> None:
        """Bind an ephemeral port and serve in a daemon thread."""
        self.server = ThreadingHTTPServer((LOCALHOST, 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name=name, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        if self.thread is not None:
            self.thread.join(timeout=5)
