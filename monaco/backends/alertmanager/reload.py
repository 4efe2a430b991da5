"""Reloading a live Alertmanager and verifying it serves the receivers written (imported only by apply: the
HTTP client costs 40 ms to import, which plans of a local config file never need)."""

from __future__ import annotations

import time

from monaco.backends.http import HttpResponse, reload_problem, request
from monaco.spec.yaml_data import YamlReadError, load_one_yaml

_VERIFY_SECONDS = 10.0


def reload_and_verify(url: str, receivers: set[str] | None) -> str | None:
    """POST /-/reload, then wait until /api/v2/status serves a config naming every expected receiver.

    Every request ends by the verify deadline; an answer that is not the status API (an HTML page, a
    wrong shape) fails at once.
    """
    base = url.rstrip("/")
    problem = reload_problem("Alertmanager", base, request("POST", f"{base}/-/reload"))
    if problem is not None or not receivers:
        return problem
    deadline = time.monotonic() + _VERIFY_SECONDS
    while True:
        status = request("GET", f"{base}/api/v2/status", deadline=deadline)
        if status.status == 200:
            served = _served_receivers(status)
            if served is None:
                return (
                    f"Alertmanager at {base} answered GET /api/v2/status with something that is not its status API "
                    f"({status.excerpt()!r}); is the URL the server itself, not a proxy or a login page?"
                )
            if receivers <= served:
                return None
            last = f"receivers {sorted(receivers - served)} are not served"
        else:
            last = f"GET /api/v2/status: {status.describe()}"
        if time.monotonic() >= deadline:
            return (
                f"Alertmanager at {base} did not serve the new config within {_VERIFY_SECONDS:g}s of the reload: {last}"
            )
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))


def _served_receivers(status: HttpResponse) -> set[str] | None:
    """The receiver names in the config an /api/v2/status answer reports; None when it is not that API's shape."""
    data = status.json_or_none()
    config = data.get("config") if isinstance(data, dict) else None
    original = config.get("original") if isinstance(config, dict) else None
    if not isinstance(original, str):
        return None
    try:
        parsed = load_one_yaml(original) or {}
    except YamlReadError:
        return None
    receivers = parsed.get("receivers") if isinstance(parsed, dict) else None
    if not isinstance(receivers, list | type(None)):
        return None
    return {str(r.get("name")) for r in receivers or [] if isinstance(r, dict)}
