"""Reading a target, read-only and paged, normalized once: a handful of calls however many services there are.

Calls: the two ownership tags (`/tags?query=`), the policies carrying each (`/tags/{id}/escalation_policies`),
policies and services under the name prefix (`/escalation_policies?query=`, `/services?query=` with
`include[]=integrations`, so integrations come in the same pages; a policy reference's `summary` is its
name), and one query per schedule or user the on-call names (`/schedules?query=`, `/users?query=`),
100 objects a page. A policy is this target's when it carries both `managed-by:monaco` and
`monaco-target:<target>`; a service when its description ends in this target's marker. Live targets are
presented in the spec's words (the name or email it used) when they are what the spec's reference
resolves to, else by their name in PagerDuty: a plan after apply is empty, and a hand edit shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from monaco.backends.pagerduty.client import PdClient
from monaco.backends.pagerduty.config import INTEGRATION_NAME, OWNER_TAG, PagerDutyConfig, marker_target
from monaco.backends.pagerduty.declared import Declaration, PlacedTarget
from monaco.backends.pagerduty.render import EVENTS_INTEGRATION, POLICY, SERVICE
from monaco.diagnostics import Diagnostic
from monaco.plan.model import Resource
from monaco.spec.secrets import fingerprint


@dataclass(slots=True)
class Live:
    """What was read: resources, plus the ids apply needs (by name, or by the spec's reference)."""

    resources: list[Resource] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    policy_ids: dict[str, str] = field(default_factory=dict)
    service_ids: dict[str, str] = field(default_factory=dict)
    integrated: set[str] = field(default_factory=set)
    """Names of services that have monaco's Events API v2 integration."""
    refs: dict[tuple[str, str], str] = field(default_factory=dict)
    """(schedule|user, the spec's reference) -> PagerDuty id."""


def tag_id(client: PdClient, label: str) -> str | None:
    """The id of the tag with exactly this label, or None when PagerDuty has none."""
    return next((t["id"] for t in client.pages("/tags", query=label) if t.get("label") == label), None)


def tagged_policies(client: PdClient, label: str) -> set[str]:
    """Ids of the escalation policies carrying a tag."""
    found = tag_id(client, label)
    return {p["id"] for p in client.pages(f"/tags/{found}/escalation_policies")} if found else set()


def _resolve(client: PdClient, kind: str, ref: str) -> str | None:
    """The id of the schedule (by name) or user (by email or name) a spec reference names, or None."""
    for found in client.pages(f"/{kind}s", query=ref):
        if found.get("name") == ref or (kind == "user" and str(found.get("email", "")).lower() == ref.lower()):
            return str(found["id"])
    return None


def resolve_targets(client: PdClient, declarations: Iterable[Declaration], live: Live) -> None:
    """Look up every schedule and user the on-call names; an unknown one is MON1001 at its spec line."""
    for declaration in declarations:
        for level in declaration.targets:
            for placed in level:
                _resolve_one(client, placed, declaration.team, live)


def _resolve_one(client: PdClient, placed: PlacedTarget, team: str, live: Live) -> None:
    key = (placed.kind, placed.ref)
    if key in live.refs:
        return
    found = _resolve(client, placed.kind, placed.ref)
    if found is None:
        what = "schedule named" if placed.kind == "schedule" else "user with the email or name"
        live.diagnostics.append(
            Diagnostic(
                "MON1001",
                f"team {team}: PagerDuty has no {what} {placed.ref!r}",
                placed.span,
                "schedules and users are referenced, never created: check the spelling or create it in PagerDuty",
            )
        )
        return
    live.refs[key] = found


def canonical_policy(policy: dict[str, Any], words: dict[str, dict[str, str]]) -> dict[str, Any]:
    """A live escalation policy in render's shape; targets in the spec's words where they match."""
    rules = []
    for rule in policy.get("escalation_rules", []):
        targets = []
        for target in rule.get("targets", []):
            kind = str(target.get("type", "")).removesuffix("_reference")
            ref = words.get(kind, {}).get(target.get("id", ""), target.get("summary") or target.get("id"))
            targets.append({"type": kind, "ref": ref})
        rules.append({"escalation_delay_in_minutes": rule.get("escalation_delay_in_minutes"), "targets": targets})
    return {
        "name": policy["name"],
        "description": policy.get("description") or "",
        "num_loops": policy.get("num_loops", 0),
        "escalation_rules": rules,
    }


def _urgency(rule: Any) -> dict[str, str]:
    if isinstance(rule, dict) and rule.get("type") == "constant":
        return {"type": "constant", "urgency": str(rule.get("urgency"))}
    return {"type": str(rule.get("type") if isinstance(rule, dict) else rule)}


def monaco_integration(service: dict[str, Any]) -> dict[str, Any] | None:
    """The service's Events API v2 integration named `monaco` (embedded by include[]), or None."""
    return next(
        (
            i
            for i in service.get("integrations", [])
            if i.get("type") == EVENTS_INTEGRATION and i.get("name", i.get("summary")) == INTEGRATION_NAME
        ),
        None,
    )


def canonical_service(service: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A live service in render's shape, and its notes (the integration key as a fingerprint only)."""
    integration = monaco_integration(service)
    policy = service.get("escalation_policy") or {}
    body = {
        "name": service["name"],
        "description": service.get("description") or "",
        "escalation_policy": policy.get("name") or policy.get("summary") or policy.get("id"),
        "auto_resolve_timeout": service.get("auto_resolve_timeout"),
        "acknowledgement_timeout": service.get("acknowledgement_timeout"),
        "alert_creation": service.get("alert_creation"),
        "incident_urgency_rule": _urgency(service.get("incident_urgency_rule")),
        "integration": {"type": EVENTS_INTEGRATION, "name": INTEGRATION_NAME} if integration else None,
    }
    key = integration.get("integration_key") if integration else None
    return body, ({"integration key": fingerprint(key)} if key else {})


def _spec_words(live: Live) -> dict[str, dict[str, str]]:
    """kind -> PagerDuty id -> the spec's reference to it (the first one, when two name one object)."""
    words: dict[str, dict[str, str]] = {"schedule": {}, "user": {}}
    for (kind, ref), ident in live.refs.items():
        words[kind].setdefault(ident, ref)
    return words


def read_policies(client: PdClient, config: PagerDutyConfig, target: str, live: Live) -> None:
    """Policies under the prefix and those tagged for `target` elsewhere, with their ownership."""
    mine = tagged_policies(client, config.target_tag(target))
    monaco = tagged_policies(client, OWNER_TAG)
    listed = [p for p in client.pages("/escalation_policies", query=config.name_prefix) if _prefixed(p, config)]
    seen = {p["id"] for p in listed}
    listed += [client.get(f"/escalation_policies/{ident}") for ident in sorted((mine & monaco) - seen)]
    words = _spec_words(live)
    for policy in listed:
        owned = policy["id"] in mine and policy["id"] in monaco
        holder = "" if owned else _policy_holder(client, policy["id"], policy["id"] in monaco)
        body = canonical_policy(policy, words)
        live.policy_ids[body["name"]] = policy["id"]
        live.resources.append(Resource(POLICY, body["name"], body, owned=owned, holder=holder))


def _prefixed(found: dict[str, Any], config: PagerDutyConfig) -> bool:
    return str(found.get("name", "")).startswith(config.name_prefix)


def _policy_holder(client: PdClient, ident: str, monaco: bool) -> str:
    """Who holds a policy that is not this target's: another target (named by its tag) or not monaco."""
    if not monaco:
        return "not monaco"
    labels = [t.get("label", "") for t in client.pages(f"/escalation_policies/{ident}/tags")]
    owner = next((label.partition(":")[2] for label in labels if label.startswith("monaco-target:")), "")
    return f"target {owner}" if owner else "another monaco target"


def read_services(client: PdClient, config: PagerDutyConfig, target: str, live: Live) -> None:
    """Services under the prefix, canonical, with their ownership (the description's marker)."""
    for service in client.pages("/services", query=config.name_prefix, include=["integrations"]):
        if not _prefixed(service, config):
            continue
        body, notes = canonical_service(service)
        holder_target = marker_target(body["description"])
        owned = holder_target == target
        holder = "" if owned else (f"target {holder_target}" if holder_target else "not monaco")
        live.service_ids[body["name"]] = service["id"]
        if body["integration"] is not None:
            live.integrated.add(body["name"])
        live.resources.append(Resource(SERVICE, body["name"], body, owned=owned, holder=holder, notes=notes))


def read_default_policy(client: PdClient, config: PagerDutyConfig, live: Live, needed: bool) -> None:
    """The id of the target's default_escalation_policy (MON1003 when a service needs it and it is missing)."""
    name = config.default_escalation_policy
    if name is None or name in live.policy_ids:
        return
    found = next((p for p in client.pages("/escalation_policies", query=name) if p.get("name") == name), None)
    if found is not None:
        live.policy_ids[name] = found["id"]
    elif needed:
        message = f"default_escalation_policy {name!r}: PagerDuty has no escalation policy of that name"
        live.diagnostics.append(Diagnostic("MON1003", message, hint="create it, or give the teams an oncall: block"))


def read_all(client: PdClient, config: PagerDutyConfig, target: str, declarations: list[Declaration]) -> Live:
    """Everything `target` has or references in PagerDuty, normalized, with the ids apply needs."""
    live = Live()
    resolve_targets(client, declarations, live)
    read_policies(client, config, target, live)
    read_services(client, config, target, live)
    needs_default = (
        any(
            r.kind == SERVICE and r.body["escalation_policy"] == config.default_escalation_policy
            for r in live.resources
        )
        or not declarations
    )
    read_default_policy(client, config, live, needs_default)
    live.resources.sort(key=lambda r: r.key)
    return live
