"""The TLS half of an HTTPS fake: a certificate made at start-up, and connections tracked so stop() closes them."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler
from typing import ClassVar

from tests.fakes.certificates import self_signed_certificate

IDLE_TIMEOUT = 10.0
"""Seconds a keep-alive connection may idle before the fake closes it."""


class TlsConnections:
    """A fake's certificate and server context, and its open connections."""

    def __init__(self) -> None:
        self.certificate = self_signed_certificate()
        self.context = self.certificate.server_context()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()

    @property
    def ca_file(self) -> str:
        """The certificate the clients trust."""
        return str(self.certificate.cert_file)

    def opened(self, connection: socket.socket) -> None:
        """Track a connection so `close_all()` can close it."""
        with self._lock:
            self._open.add(connection)

    def closed(self, connection: socket.socket) -> None:
        """Stop tracking a connection."""
        with self._lock:
            self._open.discard(connection)

    def close_all(self) -> None:
        """Shut every open connection down (a client blocked on a read gets EOF)."""
        with self._lock:
            connections = list(self._open)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class TlsHandler(BaseHTTPRequestHandler):
    """Serves one TLS connection, keep-alive, for the `TlsConnections` bound to the subclass."""

    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT
    tls: ClassVar[TlsConnections]

    def setup(self) -> None:
        """TCP_NODELAY, then TLS (the handshake happens on first read, inside `handle`)."""
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.request = self.tls.context.wrap_socket(self.request, server_side=True, do_handshake_on_connect=False)
        self.tls.opened(self.request)
        super().setup()

    def handle(self) -> None:
        """Serve requests until the client closes, the connection idles out, or the fake stops."""
        try:
            super().handle()
        except (OSError, ssl.SSLError):
            self.close_connection = True

    def finish(self) -> None:
        """Forget the connection."""
        try:
            super().finish()
        finally:
            self.tls.closed(self.request)
