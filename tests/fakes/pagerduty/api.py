"""Requests to responses: the REST API v2 paths the backend and drills use, and Events API v2 `/v2/enqueue`.

Lists use classic pagination ("Pagination" in PagerDuty's REST API reference): `offset` and `limit`
(default 25, at most 100) in, `offset`, `limit`, `more` and `total` (a number only when `total=true` was
asked, else null) out, the objects under the plural wrapper (`services`). `query` keeps objects whose name
(users: name or email) contains it, case-insensitively. `include[]=integrations` and
`include[]=escalation_policies` on services embed those objects in place of their references. Writes take
and return the singular wrapper (`{"service": {...}}`); a create answers 201, a delete 204.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.pagerduty.errors import PdError, PdResponse, invalid, not_found
from tests.fakes.pagerduty.events import EventsApi
from tests.fakes.pagerduty.store import COLLECTIONS, Document, PdStore

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
_WRAPPER = {"escalation_policies": "escalation_policy", "services": "service", "tags": "tag"}


def _int(query: dict[str, list[str]], name: str, default: int) -> int:
    try:
        return int(query.get(name, [str(default)])[0])
    except ValueError:
        raise invalid(f"{name} must be an integer") from None


def _matches(document: Document, text: str) -> bool:
    needle = text.lower()
    return any(needle in str(document.get(field, "")).lower() for field in ("name", "email", "label"))


def page(
    collection: str,
    documents: list[Document],
    query: dict[str, list[str]],
    expand: Callable[[Document], Document] = lambda document: document,
) -> PdResponse:
    """One page of a classic-paginated list, filtered by `query`; `expand` (includes) runs on the page only."""
    text = query.get("query", [""])[0]
    chosen = [d for d in documents if not text or _matches(d, text)]
    offset, limit = _int(query, "offset", 0), min(_int(query, "limit", DEFAULT_LIMIT), MAX_LIMIT)
    if offset < 0 or limit < 1:
        raise invalid("Offset must be at least 0 and limit at least 1")
    window = [expand(d) for d in chosen[offset : offset + limit]]
    total = len(chosen) if query.get("total", ["false"])[0] == "true" else None
    body = {collection: window, "offset": offset, "limit": limit, "more": offset + limit < len(chosen), "total": total}
    return PdResponse(200, body)


class PdApi:
    """Routes one request to the store; every refusal is a PdError sent in PagerDuty's envelope."""

    def __init__(self, store: PdStore, events: EventsApi) -> None:
        self.store = store
        self.events = events
        self._routes: list[tuple[str, re.Pattern[str], Callable[..., PdResponse]]] = [
            ("POST", re.compile(r"^/v2/enqueue$"), self._enqueue),
            ("GET", re.compile(r"^/tags/(\w+)/(\w+)$"), self._tagged),
            ("GET", re.compile(r"^/(\w+)/(\w+)/tags$"), self._tags_of),
            ("POST", re.compile(r"^/(\w+)/(\w+)/change_tags$"), self._change_tags),
            ("POST", re.compile(r"^/services/(\w+)/integrations$"), self._add_integration),
            ("GET", re.compile(r"^/services/(\w+)/integrations/(\w+)$"), self._integration),
            ("GET", re.compile(r"^/(\w+)$"), self._list),
            ("POST", re.compile(r"^/(\w+)$"), self._create),
            ("GET", re.compile(r"^/(\w+)/(\w+)$"), self._get),
            ("PUT", re.compile(r"^/(\w+)/(\w+)$"), self._update),
            ("DELETE", re.compile(r"^/(\w+)/(\w+)$"), self._delete),
        ]

    def handle(self, method: str, target: str, raw: bytes) -> PdResponse:
        """The response to one (authenticated, unthrottled) request."""
        url = urlsplit(target)
        query = parse_qs(url.query)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            raise invalid("The request body is not valid JSON") from None
        for verb, pattern, handler in self._routes:
            matched = pattern.match(url.path)
            if verb == method and matched:
                return handler(*matched.groups(), query=query, body=body)
        raise not_found()

    def _expand(self, service: Document, include: list[str], policies: dict[str, Document] | None = None) -> Document:
        if "integrations" in include:
            service["integrations"] = [self.store.integration(service["id"], i["id"]) for i in service["integrations"]]
        if "escalation_policies" in include:
            ident = service["escalation_policy"]["id"]
            cache = {} if policies is None else policies  # one copy of each policy per page
            if ident not in cache:
                cache[ident] = self.store.get("escalation_policies", ident)
            service["escalation_policy"] = cache[ident]
        return service

    def _list(self, collection: str, query: dict[str, list[str]], body: Any) -> PdResponse:
        if collection not in COLLECTIONS:
            raise not_found()
        include = query.get("include[]", []) if collection == "services" else []
        policies: dict[str, Document] = {}
        return page(collection, self.store.listed(collection), query, lambda s: self._expand(s, include, policies))

    def _wrapped(self, collection: str, body: Any) -> Any:
        wrapper = _WRAPPER.get(collection)
        if wrapper is None:
            raise not_found()
        if not isinstance(body, dict) or not isinstance(body.get(wrapper), dict):
            raise invalid(f"The request body must hold a {wrapper!r} object")
        return body[wrapper]

    def _create(self, collection: str, query: dict[str, list[str]], body: Any) -> PdResponse:
        entity = self._wrapped(collection, body)
        if collection == "escalation_policies":
            return PdResponse(201, {"escalation_policy": self.store.put_escalation_policy(entity)})
        if collection == "services":
            return PdResponse(201, {"service": self.store.put_service(entity)})
        if not entity.get("label"):
            raise invalid("Label can't be blank")
        return PdResponse(201, {"tag": self.store.tag_named(str(entity["label"]))})

    def _get(self, collection: str, ident: str, query: dict[str, list[str]], body: Any) -> PdResponse:
        if collection not in COLLECTIONS:
            raise not_found()
        document = self.store.get(collection, ident)
        if collection == "services":
            document = self._expand(document, query.get("include[]", []))
        return PdResponse(200, {_WRAPPER.get(collection, collection.removesuffix("s")): document})

    def _update(self, collection: str, ident: str, query: dict[str, list[str]], body: Any) -> PdResponse:
        entity = self._wrapped(collection, body)
        if collection == "escalation_policies":
            return PdResponse(200, {"escalation_policy": self.store.put_escalation_policy(entity, ident)})
        if collection == "services":
            return PdResponse(200, {"service": self.store.put_service(entity, ident)})
        raise not_found()

    def _delete(self, collection: str, ident: str, query: dict[str, list[str]], body: Any) -> PdResponse:
        if collection not in ("escalation_policies", "services", "tags"):
            raise not_found()
        self.store.delete(collection, ident)
        return PdResponse(204)

    def _add_integration(self, service_id: str, query: dict[str, list[str]], body: Any) -> PdResponse:
        entity = body.get("integration") if isinstance(body, dict) else None
        return PdResponse(201, {"integration": self.store.add_integration(service_id, entity)})

    def _integration(self, service_id: str, ident: str, query: dict[str, list[str]], body: Any) -> PdResponse:
        return PdResponse(200, {"integration": self.store.integration(service_id, ident)})

    def _tagged(self, tag_id: str, collection: str, query: dict[str, list[str]], body: Any) -> PdResponse:
        if collection not in ("users", "teams", "escalation_policies"):
            raise not_found()
        return page(collection, self.store.tagged(tag_id, collection), query)

    def _tags_of(self, collection: str, ident: str, query: dict[str, list[str]], body: Any) -> PdResponse:
        return page("tags", self.store.tags_of(collection, ident), query)

    def _change_tags(self, collection: str, ident: str, query: dict[str, list[str]], body: Any) -> PdResponse:
        self.store.change_tags(collection, ident, body)
        return PdResponse(200, {})

    def _enqueue(self, query: dict[str, list[str]], body: Any) -> PdResponse:
        return self.events.enqueue(body)


__all__ = ["PdApi", "PdError", "page"]
