"""The ruler's HTTP API as monaco calls it: tenant header, basic or bearer auth, retries on 429/5xx, a call count."""

from __future__ import annotations

import base64
import http.client
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

from monaco.backends.http import HttpResponse
from monaco.backends.mimir_ruler.config import MimirRulerConfig

SecretReader = Callable[[str], str]
"""Resolves a secret reference (`env:NAME`, `file:PATH`) to its value; raises KeyError when it cannot."""
_RETRIED = frozenset({429, 500, 502, 503, 504})


class RulerUnreachable(OSError):
    """The ruler could not be read (no answer, refused credentials, not the ruler API): plan cannot go on."""


@dataclass(slots=True)
class RulerClient:
    """One target's connection settings; every request carries the tenant and credentials."""

    config: MimirRulerConfig
    authorization: str = ""
    calls: int = 0
    sleep: Callable[[float], None] = field(default=time.sleep)

    @classmethod
    def for_config(cls, config: MimirRulerConfig, secret: SecretReader) -> RulerClient:
        """A client whose credentials are read now, through `secret`."""
        if config.auth == "basic":
            assert config.username is not None and config.password is not None
            pair = f"{config.username}:{secret(config.password.describe())}".encode()
            return cls(config, "Basic " + base64.b64encode(pair).decode())
        if config.auth == "bearer":
            assert config.token is not None
            return cls(config, "Bearer " + secret(config.token.describe()))
        return cls(config)

    def rules_url(self, namespace: str | None = None, group: str | None = None) -> str:
        """The path of the rules API, a namespace or one group in it (each part URL-escaped, `/` included)."""
        path = self.config.rules_path
        for part in (namespace, group):
            if part is not None:
                path += "/" + urllib.parse.quote(part, safe="")
        return path

    def request(self, method: str, path: str, body: str | None = None, base_url: str | None = None) -> HttpResponse:
        """Send one request (to `base_url` when given, else the ruler's), retrying 429/5xx and lost connections."""
        delay = self.config.backoff_seconds
        for attempt in range(1, self.config.max_attempts + 1):
            response = self._once(method, path, body, base_url or self.config.url)
            if response.status not in _RETRIED and response.status != 0:
                return response
            if attempt < self.config.max_attempts:
                self.sleep(delay)
                delay *= 2
        return response

    def _once(self, method: str, path: str, body: str | None, base_url: str) -> HttpResponse:
        """One exchange; status 0 with the reason when there was no complete answer."""
        self.calls += 1
        parts = urllib.parse.urlsplit(base_url)
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        headers = {"X-Scope-OrgID": self.config.tenant, "Accept": "application/yaml, application/json"}
        if self.authorization:
            headers["Authorization"] = self.authorization
        if body is not None:
            headers["Content-Type"] = "application/yaml"
        connection = kind(parts.hostname or "", parts.port, timeout=self.config.timeout_seconds)
        try:
            connection.request(
                method, parts.path.rstrip("/") + path, body=body.encode() if body else None, headers=headers
            )
            answer = connection.getresponse()
            return HttpResponse(answer.status, answer.read().decode("utf-8", "replace"))
        except (OSError, http.client.HTTPException) as exc:
            return HttpResponse(0, f"no answer from {base_url}: {exc or type(exc).__name__}")
        finally:
            connection.close()
