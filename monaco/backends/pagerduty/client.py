"""The real `pagerduty.RestApiV2Client` for a target: token by reference, base URL and CA, bounded 429 retries.

Imported only from functions (the registry imports backend classes; `monaco --help` must not load the SDK).
The client retries 429 on its own (without limit by default: bounded here by `max_attempts`), sleeping
`backoff_seconds`, doubling; any other error status is returned and raised by its `r*` helpers as
`pagerduty.HttpError`. `calls` counts every HTTP response, retries included.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from typing import Any

from monaco.backends.base import Target
from monaco.backends.pagerduty.config import PagerDutyConfig
from monaco.spec.secrets import resolve

PAGE = 100
"""Objects per list page (PagerDuty's maximum for classic pagination)."""


class PdClient:
    """A thin holder of the SDK client with the few calls the backend makes, and its call count."""

    def __init__(self, sdk: Any) -> None:
        self.sdk = sdk

    @property
    def calls(self) -> int:
        """HTTP responses received so far (every page and every retry)."""
        return int(self.sdk.total_call_count)

    def pages(self, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every object of a classic-paginated list, 100 a page."""
        yield from self.sdk.iter_all(path, params=params or None, page_size=PAGE)

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        """One object, unwrapped."""
        found: dict[str, Any] = self.sdk.rget(path, params=params or None)
        return found

    def post(self, path: str, wrapper: str, body: dict[str, Any]) -> dict[str, Any]:
        """Create one object (`{wrapper: body}`), returning it."""
        created: dict[str, Any] = self.sdk.rpost(path, json={wrapper: body})
        return created

    def put(self, path: str, wrapper: str, body: dict[str, Any]) -> dict[str, Any]:
        """Update one object, returning it."""
        updated: dict[str, Any] = self.sdk.rput(path, json={wrapper: body})
        return updated

    def delete(self, path: str) -> None:
        """Delete one object."""
        self.sdk.rdelete(path)

    def change_tags(self, collection: str, ident: str, add: list[str]) -> None:
        """Add tags (by label; PagerDuty creates a missing tag) to a user, team or escalation policy."""
        body = {"add": [{"type": "tag", "label": label} for label in add]}
        self.sdk.post(f"/{collection}/{ident}/change_tags", json=body).raise_for_status()

    def close(self) -> None:
        """Close the connection pool."""
        self.sdk.close()


def make_client(config: PagerDutyConfig, target: Target) -> PdClient:
    """The SDK client for a target (its token read now, from the secret reference)."""
    import pagerduty

    options: dict[str, Any] = {}
    if config.ca_file is not None:
        options["verify"] = ssl.create_default_context(cafile=str(target.path(config.ca_file)))
    token = resolve(config.token.describe(), target.base_dir)
    sdk = pagerduty.RestApiV2Client(token, default_from=config.from_email, base_url=config.base_url, **options)
    sdk.retry[429] = config.max_attempts - 1
    sdk.max_http_attempts = config.max_attempts
    sdk.sleep_timer = config.backoff_seconds
    return PdClient(sdk)


def describe_error(exc: BaseException) -> str:
    """A PagerDuty error in one line: status, message and the API's `errors` list, never request bodies."""
    response = getattr(exc, "response", None)
    if response is None:
        return f"{type(exc).__name__}: {exc}"
    try:
        error = response.json().get("error", {})
        detail = "; ".join(str(e) for e in error.get("errors", [])) or str(error.get("message", ""))
    except (ValueError, AttributeError):
        detail = response.text[:200]
    return f"HTTP {response.status_code}: {detail}"
