"""Resources, changes and plans: the backend-agnostic vocabulary of plan and apply."""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

PLAN_FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class Resource:
    """One object in a target: `kind` and `name` identify it, `body` is its JSON-compatible content.

    `owned` says the object is this target's to change (it carries monaco's owner marker and, where
    the backend records one, this target's name); `holder` says who holds an unowned one (`target
    prod-b`, `not monaco`), for refusals; `secrets` maps a JSON pointer inside
    `body` to the secret reference whose fingerprint sits there; `notes` are reviewer-facing facts
    (such as an SLO's thresholds) that plans compare in words; `address` names the spec object
    (`service/alert`) that produced it.
    """

    kind: str
    name: str
    body: dict[str, Any]
    owned: bool = True
    secrets: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    address: str = ""
    holder: str = ""

    @property
    def key(self) -> str:
        """The resource's identity inside its target, e.g. `rule_group.checkout`."""
        return f"{self.kind}.{self.name}"

    def fingerprint(self) -> str:
        """A hash of the canonical body and ownership: equal fingerprints mean nothing changed."""
        canonical = json.dumps({"body": self.body, "owned": self.owned}, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    def to_json(self) -> dict[str, Any]:
        """The resource as a JSON object for saved plans."""
        return {
            "kind": self.kind,
            "name": self.name,
            "owned": self.owned,
            "body": self.body,
            "secrets": self.secrets,
            "notes": self.notes,
            "address": self.address,
            **({"holder": self.holder} if self.holder else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Resource:
        """A resource read back from a saved plan."""
        return cls(
            kind=data["kind"],
            name=data["name"],
            body=data["body"],
            owned=data.get("owned", True),
            secrets=data.get("secrets", {}),
            notes=data.get("notes", {}),
            address=data.get("address", ""),
            holder=data.get("holder", ""),
        )


class Action(enum.Enum):
    """What a change does, with Terraform's symbols."""

    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"

    @property
    def symbol(self) -> str:
        """`+`, `~`, `-/+` or `-`."""
        return {"create": "+", "update": "~", "replace": "-/+", "delete": "-"}[self.value]


@dataclass(frozen=True, slots=True)
class Change:
    """One planned change: `before` is the live resource (None on create), `after` the desired one."""

    action: Action
    before: Resource | None
    after: Resource | None

    @property
    def resource(self) -> Resource:
        """The desired resource, or the live one for a delete."""
        resource = self.after or self.before
        assert resource is not None
        return resource

    @property
    def key(self) -> str:
        """The changed resource's key."""
        return self.resource.key

    def to_json(self) -> dict[str, Any]:
        """The change as a JSON object for saved plans."""
        return {
            "action": self.action.value,
            "key": self.key,
            "before": self.before.to_json() if self.before else None,
            "after": self.after.to_json() if self.after else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Change:
        """A change read back from a saved plan."""
        before, after = data.get("before"), data.get("after")
        return cls(
            Action(data["action"]),
            Resource.from_json(before) if before else None,
            Resource.from_json(after) if after else None,
        )


class LiveFingerprints(Mapping[str, str]):
    """Key -> fingerprint of each live resource a plan read, hashed on first use.

    Only a saved plan (`--out`, `--json`) and apply's staleness check read them; a plan that is
    only printed never hashes the thousands of bodies it read."""

    def __init__(self, resources: Sequence[Resource]) -> None:
        self._resources: Sequence[Resource] | None = resources
        self._hashed: dict[str, str] = {}

    def _table(self) -> dict[str, str]:
        if self._resources is not None:
            self._hashed = {r.key: r.fingerprint() for r in self._resources}
            self._resources = None
        return self._hashed

    def __getitem__(self, key: str) -> str:
        return self._table()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


@dataclass(slots=True)
class TargetPlan:
    """The changes for one target, and a fingerprint of every live resource read to make them."""

    target: str
    backend: str
    changes: list[Change] = field(default_factory=list)
    live_fingerprints: Mapping[str, str] = field(default_factory=dict)
    unchanged: int = 0
    merged_diff: dict[str, list[str]] = field(default_factory=dict)
    """File -> unified diff of the whole merged file live -> after apply (backends with `merged_config`)."""

    def count(self, *actions: Action) -> int:
        """How many changes have one of `actions`."""
        return sum(1 for c in self.changes if c.action in actions)

    def to_json(self) -> dict[str, Any]:
        """The target plan as a JSON object."""
        return {
            "target": self.target,
            "backend": self.backend,
            "unchanged": self.unchanged,
            "live_fingerprints": dict(sorted(self.live_fingerprints.items())),
            "changes": [c.to_json() for c in self.changes],
        } | ({"merged_diff": dict(sorted(self.merged_diff.items()))} if self.merged_diff else {})

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TargetPlan:
        """A target plan read back from a saved plan."""
        return cls(
            target=data["target"],
            backend=data["backend"],
            unchanged=data.get("unchanged", 0),
            changes=[Change.from_json(c) for c in data["changes"]],
            live_fingerprints=dict(data.get("live_fingerprints", {})),
            merged_diff={name: list(lines) for name, lines in data.get("merged_diff", {}).items()},
        )


@dataclass(slots=True)
class Plan:
    """Every target's changes; `format_version` lets CI scripts rely on the JSON shape."""

    targets: list[TargetPlan] = field(default_factory=list)
    format_version: int = PLAN_FORMAT_VERSION

    @property
    def has_changes(self) -> bool:
        """True when any target has a change."""
        return any(t.changes for t in self.targets)

    def totals(self) -> tuple[int, int, int]:
        """(to add, to change, to destroy), counting a replace as one add and one destroy like Terraform."""
        add = sum(t.count(Action.CREATE, Action.REPLACE) for t in self.targets)
        change = sum(t.count(Action.UPDATE) for t in self.targets)
        destroy = sum(t.count(Action.DELETE, Action.REPLACE) for t in self.targets)
        return add, change, destroy

    def to_json(self) -> dict[str, Any]:
        """The plan as a versioned JSON object."""
        add, change, destroy = self.totals()
        return {
            "format_version": self.format_version,
            "summary": {"add": add, "change": change, "destroy": destroy},
            "targets": [t.to_json() for t in self.targets],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        """A plan read back from JSON; raises ValueError on an unknown format version."""
        version = data.get("format_version")
        if version != PLAN_FORMAT_VERSION:
            raise ValueError(f"plan format version {version!r} is not {PLAN_FORMAT_VERSION}")
        return cls(targets=[TargetPlan.from_json(t) for t in data["targets"]], format_version=version)
