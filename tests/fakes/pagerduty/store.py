"""The fake's state: users, schedules, escalation policies, services with integrations, tags; and its rules.

Shapes follow PagerDuty's REST API v2 reference (and `/work/shared/reference/backends.md` §4.4). Every
object carries `id` (server-assigned, `P` and six characters), `type`, `summary` (its name), `self` and
`html_url`. What the store refuses, with where the rule comes from:

- a service without an escalation policy, or naming one that does not exist ("Create a Service":
  `escalation_policy` is required);
- two services, or two escalation policies, of one name (the API answers `Name has already been taken`);
- an escalation policy without rules, a rule without targets or with more than 10, a rule naming a user or
  schedule that does not exist, a delay under 1 minute, `num_loops` outside 0..9 ("Create an Escalation
  Policy"; the web UI's limits);
- deleting an escalation policy a service still uses ("Delete an Escalation Policy": it must not be in use);
- an urgency rule other than `constant` (high/low) or `severity_based`, a timeout that is not a positive
  number of seconds or null ("Create a Service": `incident_urgency_rule`, `auto_resolve_timeout`);
- tags on anything but users, teams and escalation policies (services cannot be tagged: "Change Tags").
"""

from __future__ import annotations

import copy
import json
import secrets
import threading
from typing import Any

from tests.fakes.pagerduty.errors import PdError, invalid, not_found

Document = dict[str, Any]
COLLECTIONS = ("users", "schedules", "escalation_policies", "services", "tags")
TAGGABLE = frozenset({"users", "teams", "escalation_policies"})
INTEGRATION_TYPES = frozenset({"events_api_v2_inbound_integration", "generic_events_api_inbound_integration"})
SERVICE_DEFAULTS: Document = {
    "auto_resolve_timeout": 14400,
    "acknowledgement_timeout": 1800,
    "alert_creation": "create_alerts_and_incidents",
    "incident_urgency_rule": {"type": "constant", "urgency": "high"},
    "status": "active",
}
"""What PagerDuty fills in when a create leaves a field out (4 h auto-resolve, 30 min acknowledgement)."""
_ID_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _singular(collection: str) -> str:
    return collection.removesuffix("s").replace("escalation_policie", "escalation_policy")


class PdStore:
    """Everything the fake holds, behind one lock; documents are returned as copies."""

    def __init__(self, base_url: str = "https://api.pagerduty.com") -> None:
        self.base_url = base_url
        self._lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        """Empty: no objects, no tag assignments, ids restarting."""
        with self._lock:
            self.objects: dict[str, dict[str, Document]] = {c: {} for c in COLLECTIONS}
            self.integrations: dict[str, Document] = {}
            self.tag_assignments: dict[tuple[str, str], set[str]] = {}
            self._next_id = 0

    def new_id(self) -> str:
        """A fresh PagerDuty-style id (`P` and six base-36 digits, in creation order)."""
        with self._lock:
            self._next_id += 1
            number, digits = self._next_id, ""
            for _ in range(6):
                number, digit = divmod(number, 36)
                digits = _ID_DIGITS[digit] + digits
            return "P" + digits

    def _framed(self, collection: str, ident: str, name: str, document: Document) -> Document:
        """`document` with the id, type, summary and links every PagerDuty object has."""
        kind = _singular(collection)
        return {
            **document,
            "id": ident,
            "type": kind,
            "summary": name,
            "self": f"{self.base_url}/{collection}/{ident}",
            "html_url": f"https://fake.pagerduty.com/{collection}/{ident}",
        }

    def reference(self, collection: str, ident: str) -> Document:
        """A `<type>_reference` to an existing object; a 400 naming it when there is none."""
        found = self.objects[collection].get(ident)
        if found is None:
            raise invalid(f"{_singular(collection).replace('_', ' ').capitalize()} {ident} not found")
        kind = _singular(collection)
        return {"id": ident, "type": f"{kind}_reference", "summary": found["summary"], "self": found["self"]}

    def get(self, collection: str, ident: str) -> Document:
        """One object (a copy); 404 when missing."""
        with self._lock:
            found = self.objects.get(collection, {}).get(ident)
            if found is None:
                raise not_found()
            return copy.deepcopy(found)

    def listed(self, collection: str) -> list[Document]:
        """Every object of a collection, in creation order (copies)."""
        with self._lock:
            return [copy.deepcopy(d) for _, d in sorted(self.objects[collection].items())]

    def _unique_name(self, collection: str, name: Any, ident: str | None) -> str:
        if not isinstance(name, str) or not name.strip():
            raise invalid("Name can't be blank")
        for other_id, other in self.objects[collection].items():
            if other_id != ident and other["name"].lower() == name.lower():
                raise invalid("Name has already been taken")
        return name

    def add_user(self, name: str, email: str) -> Document:
        """An existing user (monaco only references users)."""
        with self._lock:
            ident = self.new_id()
            user = self._framed("users", ident, name, {"name": name, "email": email, "role": "user"})
            self.objects["users"][ident] = user
            return copy.deepcopy(user)

    def add_schedule(self, name: str, time_zone: str = "UTC") -> Document:
        """An existing schedule (monaco only references schedules)."""
        with self._lock:
            ident = self.new_id()
            schedule = self._framed("schedules", ident, self._unique_name("schedules", name, None), {})
            schedule |= {"name": name, "time_zone": time_zone, "description": ""}
            self.objects["schedules"][ident] = schedule
            return copy.deepcopy(schedule)

    def _rules(self, rules: Any) -> list[Document]:
        """Escalation rules, each target resolved to a reference of an existing user or schedule."""
        if not isinstance(rules, list) or not rules:
            raise invalid("Escalation rules can't be blank")
        checked = []
        for rule in rules:
            delay = rule.get("escalation_delay_in_minutes") if isinstance(rule, dict) else None
            if not isinstance(delay, int) or delay < 1:
                raise invalid("Escalation delay in minutes must be at least 1")
            targets = rule.get("targets")
            if not isinstance(targets, list) or not 1 <= len(targets) <= 10:
                raise invalid("Escalation rule must have between 1 and 10 targets")
            resolved = []
            for target in targets:
                kind = str(target.get("type", "")).removesuffix("_reference")
                if kind not in ("user", "schedule"):
                    raise invalid(f"Escalation rule target type {target.get('type')!r} is not valid")
                resolved.append(self.reference(f"{kind}s", str(target.get("id"))))
            checked.append(
                {"id": rule.get("id") or self.new_id(), "escalation_delay_in_minutes": delay, "targets": resolved}
            )
        return checked

    def put_escalation_policy(self, body: Any, ident: str | None = None) -> Document:
        """Create (no `ident`) or update an escalation policy, validated."""
        with self._lock:
            if ident is not None and ident not in self.objects["escalation_policies"]:
                raise not_found()
            old = self.objects["escalation_policies"].get(ident or "", {})
            merged = {**old, **(body if isinstance(body, dict) else {})}
            name = self._unique_name("escalation_policies", merged.get("name"), ident)
            loops = merged.get("num_loops", 0)
            if not isinstance(loops, int) or not 0 <= loops <= 9:
                raise invalid("Num loops must be between 0 and 9")
            document = {
                "name": name,
                "description": merged.get("description") or "",
                "num_loops": loops,
                "on_call_handoff_notifications": merged.get("on_call_handoff_notifications", "if_has_services"),
                "escalation_rules": self._rules(merged.get("escalation_rules")),
                "teams": merged.get("teams") or [],
            }
            ident = ident or self.new_id()
            document = self._framed("escalation_policies", ident, name, document)
            document["services"] = [
                self.reference("services", s)
                for s, d in sorted(self.objects["services"].items())
                if d["escalation_policy"]["id"] == ident
            ]
            self.objects["escalation_policies"][ident] = document
            return copy.deepcopy(document)

    def _timeout(self, value: Any, field: str) -> int | None:
        if value is None or (isinstance(value, int) and not isinstance(value, bool) and value > 0):
            return value
        raise invalid(f"{field.replace('_', ' ').capitalize()} must be a positive number of seconds or null")

    def _urgency(self, rule: Any) -> Document:
        if isinstance(rule, dict) and rule.get("type") == "severity_based":
            return {"type": "severity_based"}
        if isinstance(rule, dict) and rule.get("type") == "constant" and rule.get("urgency") in ("high", "low"):
            return {"type": "constant", "urgency": rule["urgency"]}
        raise invalid("Incident urgency rule is invalid")

    def put_service(self, body: Any, ident: str | None = None) -> Document:
        """Create (no `ident`) or update a service, validated; PagerDuty's defaults fill what a create omits."""
        with self._lock:
            if ident is not None and ident not in self.objects["services"]:
                raise not_found()
            old = self.objects["services"].get(ident or "", SERVICE_DEFAULTS)
            merged = {**copy.deepcopy(old), **(body if isinstance(body, dict) else {})}
            name = self._unique_name("services", merged.get("name"), ident)
            policy = merged.get("escalation_policy")
            if not isinstance(policy, dict) or not policy.get("id"):
                raise invalid("Escalation policy can't be blank")
            document = {
                "name": name,
                "description": merged.get("description") or "",
                "status": merged.get("status", "active"),
                "auto_resolve_timeout": self._timeout(merged.get("auto_resolve_timeout"), "auto_resolve_timeout"),
                "acknowledgement_timeout": self._timeout(
                    merged.get("acknowledgement_timeout"), "acknowledgement_timeout"
                ),
                "alert_creation": merged.get("alert_creation", "create_alerts_and_incidents"),
                "incident_urgency_rule": self._urgency(merged.get("incident_urgency_rule")),
                "escalation_policy": self.reference("escalation_policies", str(policy["id"])),
                "integrations": old.get("integrations", []),
            }
            ident = ident or self.new_id()
            self.objects["services"][ident] = self._framed("services", ident, name, document)
            self._refresh_policy_services()
            return copy.deepcopy(self.objects["services"][ident])

    def _refresh_policy_services(self) -> None:
        for ident, policy in self.objects["escalation_policies"].items():
            policy["services"] = [
                self.reference("services", s)
                for s, d in sorted(self.objects["services"].items())
                if d["escalation_policy"]["id"] == ident
            ]

    def add_integration(self, service_id: str, body: Any) -> Document:
        """A new integration on a service; an Events API v2 one gets a fresh 32-character integration key."""
        with self._lock:
            service = self.objects["services"].get(service_id)
            if service is None:
                raise not_found()
            kind = body.get("type") if isinstance(body, dict) else None
            if kind not in INTEGRATION_TYPES:
                raise invalid(f"Integration type {kind!r} is not valid")
            ident = self.new_id()
            name = str(body.get("name") or "Events API V2")
            integration = self._framed("integrations", ident, name, {"name": name})
            integration |= {
                "type": kind,
                "self": f"{self.base_url}/services/{service_id}/integrations/{ident}",
                "service": self.reference("services", service_id),
                "integration_key": secrets.token_hex(16),
            }
            self.integrations[ident] = integration
            service["integrations"].append({"id": ident, "type": f"{kind}_reference", "summary": name})
            return copy.deepcopy(integration)

    def integration(self, service_id: str, ident: str) -> Document:
        """One integration of one service; 404 when either is missing."""
        with self._lock:
            found = self.integrations.get(ident)
            if found is None or found["service"]["id"] != service_id:
                raise not_found()
            return copy.deepcopy(found)

    def delete(self, collection: str, ident: str) -> None:
        """Remove an object (a service takes its integrations; a policy in use is refused)."""
        with self._lock:
            if ident not in self.objects.get(collection, {}):
                raise not_found()
            if collection == "escalation_policies":
                users = [s["name"] for s in self.objects["services"].values() if s["escalation_policy"]["id"] == ident]
                if users:
                    raise invalid(f"Escalation policy is in use by services: {', '.join(sorted(users))}")
            if collection == "services":
                for integration in self.objects["services"][ident]["integrations"]:
                    self.integrations.pop(integration["id"], None)
            del self.objects[collection][ident]
            self.tag_assignments.pop((collection, ident), None)
            self._refresh_policy_services()

    def tag_named(self, label: str) -> Document:
        """The tag with this label, created when there is none."""
        with self._lock:
            for tag in self.objects["tags"].values():
                if tag["label"] == label:
                    return copy.deepcopy(tag)
            ident = self.new_id()
            tag = self._framed("tags", ident, label, {"label": label})
            self.objects["tags"][ident] = tag
            return copy.deepcopy(tag)

    def change_tags(self, collection: str, ident: str, body: Any) -> None:
        """Add (by label or reference) and remove (by reference) tags on a taggable object."""
        with self._lock:
            if collection not in TAGGABLE:
                raise invalid(f"Tags are not supported on {collection}")
            if ident not in self.objects.get(collection, {}):
                raise not_found()
            assigned = self.tag_assignments.setdefault((collection, ident), set())
            for entry in (body or {}).get("add", []):
                if entry.get("type") == "tag_reference":
                    assigned.add(self.get("tags", str(entry.get("id")))["id"])
                elif entry.get("type") == "tag" and entry.get("label"):
                    assigned.add(self.tag_named(str(entry["label"]))["id"])
                else:
                    raise invalid("Tag must be a tag with a label or a tag_reference")
            for entry in (body or {}).get("remove", []):
                assigned.discard(str(entry.get("id")))

    def tags_of(self, collection: str, ident: str) -> list[Document]:
        """The tags on one object."""
        with self._lock:
            if ident not in self.objects.get(collection, {}):
                raise not_found()
            return [self.get("tags", t) for t in sorted(self.tag_assignments.get((collection, ident), set()))]

    def tagged(self, tag_id: str, collection: str) -> list[Document]:
        """The objects of a collection carrying one tag."""
        with self._lock:
            self.get("tags", tag_id)
            return [
                self.get(collection, ident)
                for (kind, ident), tags in sorted(self.tag_assignments.items())
                if kind == collection and tag_id in tags
            ]

    def snapshot(self) -> dict[str, bytes]:
        """All state by a stable name (`services/P000001`), as sorted-key JSON."""
        with self._lock:
            found: dict[str, Any] = {f"{c}/{i}": d for c, docs in self.objects.items() for i, d in docs.items()}
            found |= {f"integrations/{i}": d for i, d in self.integrations.items()}
            found |= {f"tag_assignments/{c}/{i}": sorted(t) for (c, i), t in self.tag_assignments.items() if t}
            return {k: json.dumps(v, sort_keys=True).encode() for k, v in sorted(found.items())}

    def by_key(self, routing_key: str) -> Document | None:
        """The integration whose integration key is `routing_key`."""
        with self._lock:
            return next(
                (copy.deepcopy(i) for i in self.integrations.values() if i["integration_key"] == routing_key), None
            )


def require(condition: bool, error: PdError) -> None:
    """Raise `error` unless `condition` holds."""
    if not condition:
        raise error
