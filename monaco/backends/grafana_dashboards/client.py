"""The Grafana HTTP API through grafana-client (the client users' own scripts use), counted and with one error type.

Imported only from functions of the backend, so loading monaco never imports grafana-client. Its calls
are untyped, so the client is held as `Any` here and nowhere else.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from grafana_client.api import GrafanaApi
from grafana_client.client import GrafanaException

from monaco.backends.grafana_dashboards.config import GrafanaDashboardsConfig
from monaco.spec.secrets import resolve

Hit = dict[str, Any]
SEARCH_UID_CHUNK = 100
"""dashboardUIDs per search call: keeps the query string short (a URL of a few kB)."""


class GrafanaError(OSError):
    """A call Grafana refused or never answered: HTTP status (0 for none) and Grafana's message (an OSError, as the
    engine expects of a lock or live read that fails)."""

    def __init__(self, status: int, message: str, reason: str = "") -> None:
        super().__init__(f"HTTP {status}: {message}" if status else message)
        self.status = status
        self.reason = reason
        """Grafana's `status` word of a 412 (`version-mismatch`, `name-exists`), else ''."""


def credential(config: GrafanaDashboardsConfig, base_dir: Path) -> str | tuple[str, str]:
    """The token, or (user, password), read from their references; KeyError when one is not set."""
    if config.token is not None:
        return resolve(config.token.describe(), base_dir)
    assert config.basic_auth is not None
    return config.basic_auth.username, resolve(config.basic_auth.password.describe(), base_dir)


class GrafanaHttp:
    """The handful of calls the backend makes, each counted; every failure raised as `GrafanaError`."""

    def __init__(self, config: GrafanaDashboardsConfig, base_dir: Path) -> None:
        self.config = config
        self._api: Any = GrafanaApi.from_url(
            config.base_url, credential=credential(config, base_dir), timeout=config.timeout_seconds
        )
        self._lock = threading.Lock()
        self.calls = 0

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        with self._lock:
            self.calls += 1
        try:
            return getattr(self._api.client, method)(path, **kwargs)
        except GrafanaException as exc:
            response = exc.response if isinstance(exc.response, dict) else {}
            message = str(response.get("message") or exc.message or type(exc).__name__)
            raise GrafanaError(exc.status_code or 0, message, str(response.get("status") or "")) from None
        except (OSError, ValueError) as exc:
            raise GrafanaError(0, f"no answer from {self.config.base_url}: {exc}") from None

    def search(self, **params: Any) -> Iterator[Hit]:
        """Every dashboard hit of a search, page by page (`limit` = the config's page size)."""
        page = 1
        while True:
            hits = self._call(
                "GET", "/search", params={**params, "type": "dash-db", "limit": self.config.page_size, "page": page}
            )
            if not isinstance(hits, list):
                raise GrafanaError(200, f"GET /api/search answered {type(hits).__name__}, not a list of hits")
            yield from (hit for hit in hits if isinstance(hit, dict))
            if len(hits) < self.config.page_size:
                return
            page += 1

    def search_uids(self, uids: list[str]) -> Iterator[Hit]:
        """The dashboards holding any of `uids`, wherever they are."""
        for start in range(0, len(uids), SEARCH_UID_CHUNK):
            yield from self.search(dashboardUIDs=uids[start : start + SEARCH_UID_CHUNK])

    def dashboard(self, uid: str) -> dict[str, Any]:
        """`GET /api/dashboards/uid/:uid`: `{dashboard, meta}`."""
        found = self._call("GET", f"/dashboards/uid/{uid}")
        if not isinstance(found, dict) or not isinstance(found.get("dashboard"), dict):
            raise GrafanaError(200, f"GET /api/dashboards/uid/{uid} answered without a dashboard")
        return found

    def save(self, dashboard: dict[str, Any], folder_uid: str, overwrite: bool) -> dict[str, Any]:
        """`POST /api/dashboards/db`."""
        body = {"dashboard": dashboard, "folderUid": folder_uid, "overwrite": overwrite, "message": "monaco apply"}
        answer: dict[str, Any] = self._call("POST", "/dashboards/db", json=body)
        return answer

    def delete(self, uid: str) -> None:
        """`DELETE /api/dashboards/uid/:uid`."""
        self._call("DELETE", f"/dashboards/uid/{uid}")

    def ensure_folder(self, uid: str, title: str) -> None:
        """The folder exists afterwards: read it, and create it when Grafana says 404."""
        try:
            self._call("GET", f"/folders/{uid}")
        except GrafanaError as exc:
            if exc.status != 404:
                raise
            self._call("POST", "/folders", json={"uid": uid, "title": title})
