"""Helpers for live end-to-end runs: ephemeral ports, managed server processes, a recording webhook, polling."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, TypeVar

from tests.threaded_server import LOCALHOST, ThreadedServer

T = TypeVar("T")


def free_port() -> int:
    """A port that was free a moment ago: bind port 0 on 127.0.0.1, read the port, close."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOCALHOST, 0))
        return int(sock.getsockname()[1])


def poll(what: str, probe: Callable[[], T | None], timeout: float = 30.0, interval: float = 0.2) -> T:
    """Call `probe` until it returns something truthy, and return that; fail with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def http(method: str, url: str, timeout: float = 5.0) -> tuple[int, str]:
    """(status, body) of one request to 127.0.0.1; status 0 when nothing answers."""
    assert url.startswith(f"http://{LOCALHOST}:"), f"refusing a non-local URL: {url}"
    req = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        return 0, str(exc)


def get_json(url: str) -> Any:
    """GET `url` and parse JSON; fails on a non-200 answer."""
    status, body = http("GET", url)
    assert status == 200, f"GET {url} -> {status}: {body[:500]}"
    return json.loads(body)


@dataclass(slots=True)
class ManagedProcess:
    """A server started with Popen, its log file, and a stop that always ends it by PID."""

    name: str
    argv: list[str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the process with stdout and stderr going to its log file."""
        log = self.log_path.open("wb")
        try:
            self.process = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        finally:
            log.close()

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the process's log, for failure messages."""
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def wait_ready(self, url: str, timeout: float = 30.0) -> None:
        """Poll `url` until it answers 200; fail early, with the log, if the process exits."""

        def ready() -> bool:
            """True once the server answers 200; raises if the process has died."""
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            return http("GET", url, timeout=1.0)[0] == 200

        try:
            poll(f"{self.name} to be ready at {url}", ready, timeout)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\n{self.log_tail()}") from None

    def stop(self) -> None:
        """SIGTERM by PID, wait up to 10 s, then SIGKILL; safe to call twice."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@dataclass(slots=True)
class WebhookReceiver:
    """A tiny HTTP server on 127.0.0.1 that records the JSON body of every POST it receives."""

    posts: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    http: ThreadedServer = field(default_factory=ThreadedServer)

    @property
    def url(self) -> str:
        """The base URL the server listens on."""
        return self.http.url

    def start(self) -> None:
        """Bind an ephemeral port and serve in a daemon thread."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            """Records each POST body (with its path) and answers 200."""

            def do_POST(self) -> None:
                """Record the POST and answer 200."""
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    payload = json.loads(body)
                except ValueError:
                    payload = {"unparsed": body.decode("utf-8", "replace")}
                with receiver.lock:
                    receiver.posts.append({"path": self.path, "body": payload})
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                """Keep test output quiet."""

        self.http.serve(Handler, "webhook-receiver")

    def received(self) -> list[dict[str, Any]]:
        """A snapshot of the POSTs received so far."""
        with self.lock:
            return list(self.posts)

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.http.stop()


@contextlib.contextmanager
def stopping(*things: ManagedProcess | WebhookReceiver) -> Iterator[None]:
    """Stop every thing on the way out, even when starting a later one failed."""
    try:
        yield
    finally:
        for thing in reversed(things):
            with contextlib.suppress(Exception):
                thing.stop()
