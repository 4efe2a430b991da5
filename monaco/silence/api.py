"""The Alertmanager silences API (OpenAPI v2): create, list, expire; every request bounded, never raising.

Shapes from Alertmanager's api/v2/openapi.yaml: `POST /api/v2/silences` takes a postableSilence
(`matchers[{name, value, isRegex, isEqual}]`, `startsAt`, `endsAt`, `createdBy`, `comment`) and answers
`{silenceID}`; `GET /api/v2/silences` lists gettableSilences (the same plus `id` and `status.state`:
active, pending or expired); `DELETE /api/v2/silence/{id}` expires one. Requests go as `monaco drill`'s
do (monaco/drill/alertmanager.py): JSON over urllib with a per-request timeout.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

REQUEST_SECONDS = 5.0
"""Each request's timeout: connect and answer."""


@dataclass(frozen=True, slots=True)
class Answer:
    """Status and parsed body of one request; status 0 when nothing answered in time."""

    status: int
    body: Any

    @property
    def ok(self) -> bool:
        """A 2xx answer."""
        return 200 <= self.status < 300

    def describe(self) -> str:
        """The answer for messages."""
        text = self.body if isinstance(self.body, str) else json.dumps(self.body)
        text = " ".join(str(text).split())[:200]
        return text if self.status == 0 else f"HTTP {self.status}: {text}"


def call(method: str, url: str, body: Any = None, timeout: float = REQUEST_SECONDS) -> Answer:
    """One JSON request to `url`; never raises for the network or the server."""
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if data is not None else {}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, text = int(response.status), response.read(4 * 1024 * 1024).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, exc.read(2000).decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return Answer(0, f"no answer from {url}: {getattr(exc, 'reason', exc)}")
    try:
        return Answer(status, json.loads(text) if text.strip() else None)
    except ValueError:
        return Answer(status, text[:2000])


def create(base: str, silence: dict[str, Any]) -> Answer:
    """POST a postableSilence; the body of a 200 answer is `{silenceID}`."""
    return call("POST", f"{base}/api/v2/silences", silence)


def list_all(base: str) -> Answer:
    """GET every silence the server holds (expired ones too, until Alertmanager forgets them)."""
    return call("GET", f"{base}/api/v2/silences")


def expire(base: str, silence_id: str) -> Answer:
    """DELETE one silence by id: Alertmanager ends it now."""
    return call("DELETE", f"{base}/api/v2/silence/{urllib.parse.quote(silence_id, safe='')}")
