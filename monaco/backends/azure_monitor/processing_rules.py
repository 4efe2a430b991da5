"""Alert processing rules over ARM (`Microsoft.AlertsManagement/actionRules`, api-version 2021-08-08).

No installable SDK speaks this API version: azure-mgmt-alertsmanagement 1.0.1, the newest on PyPI, has
only the 2019-05-05-preview action rules (`suppressionConfig`, another shape). So the requests go through
the monitor client's own pipeline (`_send_request`, azure-core's documented way to send a request a
generated client has no operation for): the same credential, endpoint, CA file, bounded retries on 429 and
5xx, and ARM error bodies turned into `HttpResponseError` with `.error.code`, as the SDK operations do.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from monaco.backends.azure_monitor.clients import Clients

API_VERSION = "2021-08-08"
PROVIDER = "Microsoft.AlertsManagement/actionRules"


def _collection(subscription: str, resource_group: str) -> str:
    """The path of a resource group's processing rules."""
    return f"/subscriptions/{subscription}/resourceGroups/{quote(resource_group)}/providers/{PROVIDER}"


def _send(clients: Clients, method: str, url: str, body: Any = None, ok: tuple[int, ...] = (200,)) -> Any:
    """One ARM request through the monitor client's pipeline; its JSON answer (None when empty)."""
    from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
    from azure.core.rest import HttpRequest
    from azure.mgmt.core.exceptions import ARMErrorFormat

    params = None if "api-version=" in url else {"api-version": API_VERSION}
    request = HttpRequest(method, url, params=params, json=body)
    response = clients.monitor._send_request(request)
    if response.status_code not in ok:
        error = ResourceNotFoundError if response.status_code == 404 else HttpResponseError
        raise error(response=response, error_format=ARMErrorFormat)
    return response.json() if response.content else None


class ProcessingRules:
    """The processing rules of one subscription, with the verbs the SDK operation groups have."""

    def __init__(self, clients: Clients, subscription: str) -> None:
        self.clients, self.subscription = clients, subscription

    def pages(self, resource_group: str) -> Iterator[list[dict[str, Any]]]:
        """Each page of the resource group's processing rules (following `nextLink`)."""
        url: str | None = _collection(self.subscription, resource_group)
        while url:
            page = _send(self.clients, "GET", url) or {}
            yield list(page.get("value") or [])
            url = page.get("nextLink")

    def create_or_update(self, resource_group: str, name: str, body: dict[str, Any]) -> Any:
        """PUT one processing rule (201 created, 200 replaced)."""
        url = f"{_collection(self.subscription, resource_group)}/{quote(name)}"
        return _send(self.clients, "PUT", url, body, ok=(200, 201))

    def delete(self, resource_group: str, name: str) -> None:
        """DELETE one processing rule (204 when it is already gone)."""
        url = f"{_collection(self.subscription, resource_group)}/{quote(name)}"
        _send(self.clients, "DELETE", url, ok=(200, 204))
