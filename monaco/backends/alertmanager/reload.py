"""Reloading a live Alertmanager and verifying it serves the receivers written (imported only by apply: the
HTTP client costs 40 ms to import, which plans of a local config file never need)."""

from __future__ import annotations

from monaco.backends.http import HttpResponse, NotTheApi, ServedAfterReload, reload_problem, request, wait_until_served
from monaco.spec.yaml_data import YamlReadError, load_one_yaml

_VERIFY_SECONDS = 10.0


_STATUS = ServedAfterReload("Alertmanager", "/api/v2/status", "status API", "config")


def reload_and_verify(url: str, receivers: set[str] | None) -> str | None:
    """POST /-/reload, then wait until /api/v2/status serves a config naming every expected receiver.

    Every request ends by the verify deadline; an answer that is not the status API (an HTML page, a
    wrong shape) fails at once.
    """
    base = url.rstrip("/")
    problem = reload_problem("Alertmanager", base, request("POST", f"{base}/-/reload"))
    if problem is not None or not receivers:
        return problem
    expected = receivers

    def missing(answer: HttpResponse) -> str | None:
        """The expected receivers the served config does not name."""
        served = _served_receivers(answer)
        if served is None:
            raise NotTheApi
        return f"receivers {sorted(expected - served)} are not served" if not expected <= served else None

    return wait_until_served(_STATUS, base, _VERIFY_SECONDS, missing)


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
