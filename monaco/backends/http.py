"""A tiny HTTP client for live Prometheus and Alertmanager servers (stdlib only, short timeouts)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """Status and body of one request; status 0 means the server could not be reached."""

    status: int
    body: str

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


def request(method: str, url: str, timeout: float = 10.0) -> HttpResponse:
    """Send one request and return the response, never raising for HTTP or connection errors."""
    req = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return HttpResponse(resp.status, resp.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as exc:
        return HttpResponse(exc.code, exc.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError) as exc:
        return HttpResponse(0, str(getattr(exc, "reason", exc)))
