"""The Grafana HTTP API through `grafana_client` (the client users' own scripts use), with every call counted.

Imported only from functions of `backend.py`, so `monaco --help` never loads it. Auth is a service account
token (bearer) or basic auth, each secret read by reference at the edge.
"""

from __future__ import annotations

import collections
from typing import Any

from monaco.backends.base import Target
from monaco.backends.grafana_alerting.config import GrafanaAlertingConfig
from monaco.spec.secrets import resolve

PROVISIONING = "/v1/provisioning"


class GrafanaError(Exception):
    """A Grafana answer that is an error: its status (0 when there was no answer) and Grafana's message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}" if status else message)
        self.status = status


class GrafanaClients:
    """One `GrafanaApi` for a target; `calls` counts requests by `METHOD path-kind`."""

    def __init__(self, config: GrafanaAlertingConfig, target: Target) -> None:
        from grafana_client.api import GrafanaApi

        credential: Any = None
        if config.token is not None:
            credential = resolve(config.token.describe(), target.base_dir)
        elif config.basic_user is not None and config.basic_password is not None:
            credential = (config.basic_user, resolve(config.basic_password.describe(), target.base_dir))
        self.api = GrafanaApi.from_url(config.url, credential=credential, timeout=config.timeout_seconds)
        if config.org_id is not None:
            self.api.client.s.headers["X-Grafana-Org-Id"] = str(config.org_id)
        self.calls: collections.Counter[str] = collections.Counter()

    @property
    def total(self) -> int:
        """Requests sent so far."""
        return sum(self.calls.values())

    def call(self, method: str, path: str, *, json: Any = None, params: Any = None, provenance: bool = True) -> Any:
        """One request (`path` under `/api`); GrafanaError for an error answer or none at all."""
        from grafana_client.client import GrafanaException
        from niquests.exceptions import RequestException

        self.calls[f"{method} {path.split('?')[0]}"] += 1
        headers = {} if provenance else {"X-Disable-Provenance": "true"}
        runner = getattr(self.api.client, method)
        try:
            if method in ("GET", "DELETE"):
                return runner(path, params=params, headers=headers)
            return runner(path, json=json, headers=headers)
        except GrafanaException as exc:
            raise GrafanaError(int(exc.status_code or 0), _message(exc)) from None
        except RequestException as exc:  # no answer at all (refused, reset): grafana-client lets these through
            raise GrafanaError(0, f"no answer from Grafana: {type(exc).__name__}") from None

    def close(self) -> None:
        """Release the HTTP session."""
        self.api.client.s.close()


def _message(exc: Any) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict) and response.get("message"):
        return str(response["message"])
    return str(getattr(exc, "message", "") or exc)


def make_clients(config: GrafanaAlertingConfig, target: Target) -> GrafanaClients:
    """The real client for a target."""
    return GrafanaClients(config, target)
