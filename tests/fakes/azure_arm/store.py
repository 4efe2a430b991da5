"""The fake's state: ARM resources by case-insensitive id, each kept as the document ARM returns for it.

ARM resource ids are case-insensitive ("The name is case insensitive", every `resourceGroupName` parameter of
the REST specs), so resources are keyed by their lower-cased id; the stored document keeps the `id` and `name`
casing of the PUT that created it, and a later PUT or PATCH with other casing does not change them.
"""

from __future__ import annotations

import copy
import json
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.azure_arm.durations import canonicalise_durations
from tests.fakes.azure_arm.errors import ArmError, bad_request, not_found
from tests.fakes.azure_arm.kinds import ACTION_GROUPS, SCHEDULED_QUERY_RULES, Document, ResourceKind, WriteStamp

CLOCK_START = datetime(2026, 1, 1, tzinfo=UTC)
"""Write n is stamped CLOCK_START + n seconds: timestamps change on every write, yet runs are reproducible."""
READ_ONLY = ("id", "name", "type", "systemData", "etag")


@dataclass(frozen=True, slots=True)
class Address:
    """Where a request points: a subscription, optionally a resource group, a kind, optionally a name."""

    subscription: str
    resource_group: str | None
    kind: ResourceKind
    name: str | None = None

    @property
    def key(self) -> str:
        """The lower-cased resource id (or collection prefix) that indexes the store."""
        group = f"/resourcegroups/{self.resource_group}" if self.resource_group is not None else ""
        tail = f"/{self.name}" if self.name is not None else "/"
        return f"/subscriptions/{self.subscription}{group}/providers/{self.kind.path_type}{tail}".lower()


class ArmStore:
    """Resources by lower-cased id, guarded by one lock; every method returns copies, never live state."""

    def __init__(self, principal: str) -> None:
        self.principal = principal
        self._lock = threading.RLock()
        self._resources: dict[str, Document] = {}
        self._writes = 0

    def _tick(self) -> str:
        """The next logical timestamp (ISO 8601, UTC)."""
        self._writes += 1
        return (CLOCK_START + timedelta(seconds=self._writes)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def action_group_exists(self, resource_id: str) -> bool:
        """Whether `resource_id` (any casing) names a stored action group."""
        key = resource_id.rstrip("/").lower()
        with self._lock:
            return f"/providers/{ACTION_GROUPS.path_type}/" in key and key in self._resources

    def _finish(self, address: Address, document: Document, existing: Document | None) -> Document:
        """Fill in identity and server fields, canonicalise durations and validate; the stored document."""
        kind = address.kind
        for name in READ_ONLY:
            document.pop(name, None)
        if not isinstance(document.get("properties"), dict):
            raise bad_request("The request content has no 'properties' object.", code="InvalidRequestContent")
        if kind is SCHEDULED_QUERY_RULES:
            document.setdefault("kind", "LogAlert")  # ScheduledQueryRuleResource.kind: "The default is LogAlert"
        invalid = canonicalise_durations(document, kind.durations)
        if invalid:
            raise bad_request(f"Invalid ISO 8601 duration: {', '.join(invalid)}.", code="InvalidRequestContent")
        kind.validate(document, self.action_group_exists)
        names = {"subscription": address.subscription, "resource_group": address.resource_group, "name": address.name}
        document["id"] = existing["id"] if existing else kind.id_template.format(**names)
        document["name"] = existing["name"] if existing else address.name
        document["type"] = kind.response_type
        document["tags"] = document.get("tags") or {}
        modified_at = self._tick()
        created_at = (existing.get("systemData") or {}).get("createdAt", modified_at) if existing else modified_at
        kind.fill(document, WriteStamp(self.principal, created_at, modified_at))
        return document

    def put(self, address: Address, body: Any) -> tuple[int, Document]:
        """Create or replace; (status, document): the kind's created status for a new resource, else 200."""
        if not isinstance(body, dict):
            raise bad_request("The request content is not a JSON object.", code="InvalidRequestContent")
        if not body.get("location"):
            raise ArmError(400, "LocationRequired", "The location property is required for this definition.")
        with self._lock:
            existing = self._resources.get(address.key)
            document = self._finish(address, copy.deepcopy(body), existing)
            self._resources[address.key] = document
            return (200 if existing else address.kind.created_status), copy.deepcopy(document)

    def _require(self, address: Address) -> Document:
        """The stored document at `address`, or ARM's 404."""
        document = self._resources.get(address.key)
        if document is None:
            raise not_found(address.kind.response_type, str(address.name), str(address.resource_group))
        return document

    def get(self, address: Address) -> Document:
        """The resource at `address` (404 when absent)."""
        with self._lock:
            return copy.deepcopy(self._require(address))

    def patch(self, address: Address, body: Any) -> Document:
        """Merge `tags` (replaced whole) and the given `properties` into the resource; 404 when absent."""
        if not isinstance(body, dict):
            raise bad_request("The request content is not a JSON object.", code="InvalidRequestContent")
        changes = body.get("properties") or {}
        allowed = address.kind.patchable
        if allowed is not None and set(changes) - allowed:
            raise bad_request(f"Only {sorted(allowed)} and tags can be patched, got {sorted(changes)}.")
        with self._lock:
            existing = self._require(address)
            merged = copy.deepcopy(existing)
            if "tags" in body:
                merged["tags"] = body["tags"] or {}
            if "identity" in body:
                merged["identity"] = body["identity"]
            merged["properties"].update(copy.deepcopy(changes))
            document = self._finish(address, merged, existing)
            self._resources[address.key] = document
            return copy.deepcopy(document)

    def delete(self, address: Address) -> bool:
        """Remove the resource; whether it existed (ARM answers 200 if so, 204 if not)."""
        with self._lock:
            return self._resources.pop(address.key, None) is not None

    def list(self, collection: Address) -> list[Document]:
        """The resources of one kind in a resource group (or a whole subscription), ordered by id."""
        prefix = collection.key
        subscription = f"/subscriptions/{collection.subscription}/".lower()
        marker = f"/providers/{collection.kind.path_type}/"
        with self._lock:
            keys = sorted(self._resources)
            if collection.resource_group is not None:
                chosen = [key for key in keys if key.startswith(prefix)]
            else:
                chosen = [key for key in keys if key.startswith(subscription) and marker in key]
            return [copy.deepcopy(self._resources[key]) for key in chosen]

    def snapshot(self) -> dict[str, bytes]:
        """Every resource as JSON bytes (sorted keys), by its stored id: equal bytes mean nothing was written."""
        with self._lock:
            documents = sorted(self._resources.values(), key=lambda document: str(document["id"]))
            return {str(doc["id"]): json.dumps(doc, sort_keys=True, indent=1).encode() for doc in documents}

    def reset(self) -> None:
        """Forget every resource and restart the clock."""
        with self._lock:
            self._resources.clear()
            self._writes = 0
