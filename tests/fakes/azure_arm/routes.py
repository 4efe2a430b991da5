"""ARM request handling: authentication, injected faults, path routing, api-version, then the store.

Paths are `/subscriptions/{s}/resourceGroups/{rg}/providers/{namespace}/{type}[/{name}]` (and the
subscription-wide `/subscriptions/{s}/providers/{namespace}/{type}` list), matched case-insensitively.
Lists of pageable kinds come back `page_size` at a time with an absolute `nextLink` that carries the
api-version and a `$skiptoken` (the scheduled-query-rules SDK requests the link exactly as given; the
rule-group SDK re-adds its api-version); metric alerts and action groups come back in one page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import parse_qs, quote, unquote, urlsplit

from tests.fakes.azure_arm.errors import ArmError, ArmResponse, bad_request
from tests.fakes.azure_arm.faults import Faults
from tests.fakes.azure_arm.kinds import KINDS, Document
from tests.fakes.azure_arm.store import Address, ArmStore

SKIP_TOKEN = "$skiptoken"


def _kind_address(subscription: str, group: str | None, namespace: str, type_name: str, name: str | None) -> Address:
    """The Address for a matched path; 404 `InvalidResourceType` for a type the fake does not serve."""
    kind = KINDS.get(f"{namespace}/{type_name}".lower())
    if kind is None:
        message = f"The resource type '{type_name}' could not be found in the namespace '{namespace}'."
        raise ArmError(404, "InvalidResourceType", message)
    return Address(subscription, group, kind, name)


def parse_address(path: str) -> Address:
    """The Address a request path names (keywords and provider matched case-insensitively)."""
    parts = [unquote(part) for part in path.strip("/").split("/")]
    lowered = [part.lower() for part in parts]
    if len(parts) in (7, 8) and lowered[0::2][:3] == ["subscriptions", "resourcegroups", "providers"]:
        name = parts[7] if len(parts) == 8 else None
        return _kind_address(parts[1], parts[3], parts[5], parts[6], name)
    if len(parts) == 5 and lowered[0] == "subscriptions" and lowered[2] == "providers":
        return _kind_address(parts[1], None, parts[3], parts[4], None)
    raise ArmError(404, "NotFound", f"No HTTP resource was found that matches the request URI '{path}'.")


def _check_api_version(query: dict[str, list[str]], address: Address) -> None:
    """400 unless the request carries the api-version this fake models for the kind."""
    versions = query.get("api-version") or []
    if not versions:
        message = "The api-version query parameter (?api-version=) is required for all requests."
        raise ArmError(400, "MissingApiVersionParameter", message)
    if versions[0] != address.kind.api_version:
        message = (
            f"No registered resource provider found for API version '{versions[0]}' and type "
            f"'{address.kind.type_name}'. The supported api-versions are '{address.kind.api_version}'."
        )
        raise ArmError(400, "NoRegisteredProviderFound", message)


def _parse_body(raw: bytes) -> object:
    """The JSON request body (None when empty); 400 `InvalidRequestContent` when it does not parse."""
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError as error:
        raise bad_request(
            f"The request content was invalid and could not be deserialized: {error}.", "InvalidRequestContent"
        ) from error


class ArmApi:
    """Turns one HTTP request into one ARM response against a store, with faults armed on it."""

    def __init__(self, store: ArmStore, faults: Faults, base_url: Callable[[], str], page_size: int) -> None:
        self.store, self.faults, self.base_url, self.page_size = store, faults, base_url, page_size

    def handle(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> ArmResponse:
        """The response to `method target` (ARM errors included, as their error bodies)."""
        try:
            return self._route(method, target, {key.lower(): value for key, value in headers.items()}, raw)
        except ArmError as error:
            return error.response()

    def _route(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> ArmResponse:
        """Authenticate, inject faults, then dispatch by method and address."""
        if not headers.get("authorization", "").startswith("Bearer ") or len(headers["authorization"]) <= 7:
            # ARM's answer to a request without a bearer token.
            raise ArmError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
        fault = self.faults.check(method, headers.get("x-ms-client-request-id"))
        if fault is not None:
            raise fault
        url = urlsplit(target)
        query = parse_qs(url.query, keep_blank_values=True)
        address = parse_address(url.path)
        _check_api_version(query, address)
        body = _parse_body(raw)
        if address.name is None:
            if method != "GET":
                raise ArmError(
                    405, "MethodNotAllowed", f"The requested resource does not support http method '{method}'."
                )
            return self._list(address, url.path, query)
        return self._item(method, address, body)

    def _item(self, method: str, address: Address, body: object) -> ArmResponse:
        """GET, PUT, PATCH or DELETE of one resource."""
        if method == "GET":
            return ArmResponse(200, self.store.get(address))
        if method == "PUT":
            status, document = self.store.put(address, body)
            return ArmResponse(status, document)
        if method == "PATCH":
            return ArmResponse(200, self.store.patch(address, body))
        if method == "DELETE":
            return ArmResponse(200 if self.store.delete(address) else 204)
        raise ArmError(405, "MethodNotAllowed", f"The requested resource does not support http method '{method}'.")

    def _list(self, address: Address, path: str, query: dict[str, list[str]]) -> ArmResponse:
        """One page of a collection: `{"value": [...]}` plus `nextLink` while more remain (pageable kinds)."""
        documents = self.store.list(address)
        if not address.kind.pageable:
            return ArmResponse(200, {"value": documents})
        token = (query.get(SKIP_TOKEN) or ["0"])[0]
        if not token.isdigit():
            raise bad_request(f"The skip token '{token}' is not valid.", "InvalidSkipToken")
        start = int(token)
        page: Document = {"value": documents[start : start + self.page_size]}
        if start + self.page_size < len(documents):
            page["nextLink"] = (
                f"{self.base_url()}{path}?api-version={address.kind.api_version}"
                f"&{quote(SKIP_TOKEN)}={start + self.page_size}"
            )
        return ArmResponse(200, page)
