"""Reading the tenant's rule groups in one call and normalizing them once, with ownership from the markers."""

from __future__ import annotations

from typing import Any

from monaco.backends.base import LiveState, Target
from monaco.backends.http import HttpResponse
from monaco.backends.mimir_ruler.client import RulerClient, RulerUnreachable
from monaco.backends.mimir_ruler.codes import LIVE_GROUP_UNREADABLE, NOT_OURS
from monaco.backends.mimir_ruler.config import MARKER_GROUP, MimirRulerConfig, marker_owner
from monaco.backends.mimir_ruler.render import NAMESPACE, RULE_GROUP, group_key
from monaco.backends.promrules.service_rules import canonical_group
from monaco.backends.promrules.slo_notes import live_slo_notes
from monaco.diagnostics import Diagnostic, Level
from monaco.plan.model import Resource
from monaco.spec.yaml_data import YamlReadError, load_one_yaml

OLD_EMPTY_ANSWER = "no rule groups found"
"""Cortex and Mimir before 2.x answer an empty tenant's listing with 404 and this text; any other 404 is an error."""


def list_namespaces(client: RulerClient) -> dict[str, list[Any]]:
    """`GET <rules path>`: namespace -> its groups; raises RulerUnreachable for anything but the ruler's answer."""
    path = client.rules_url()
    response = client.request("GET", path)
    if response.status == 404 and response.body.strip() == OLD_EMPTY_ANSWER:
        return {}
    if response.status != 200:
        raise RulerUnreachable(f"cannot list rule groups at {client.config.url}{path}: {_described(response)}")
    try:
        data = load_one_yaml(response.body)
    except YamlReadError as exc:
        raise RulerUnreachable(f"{client.config.url}{path} answered with something that is not YAML: {exc}") from None
    data = {} if data is None else data
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise RulerUnreachable(
            f"{client.config.url}{path} answered with something that is not the ruler's namespace listing "
            f"({response.excerpt()!r}); is the URL the ruler (or its gateway) and `api_prefix` right?"
        )
    return {str(k): v for k, v in data.items()}


def _described(response: HttpResponse) -> str:
    """An answer for messages, with a hint for the usual causes."""
    if response.status in (401, 403):
        return f"{response.describe()} (check the tenant and the credentials)"
    if response.status == 404:
        return f"{response.describe()} (is `api_prefix` right for this server?)"
    return response.describe()


def read_live(client: RulerClient, config: MimirRulerConfig, target: Target) -> LiveState:
    """Every namespace with the target's prefix, as resources: owned when its marker names this target."""
    state = LiveState()
    listing = list_namespaces(client)
    state.calls = client.calls
    for namespace, groups in sorted(listing.items()):
        if namespace.startswith(config.namespace_prefix):
            _read_namespace(namespace, groups, target.name, state)
    return state


def _read_namespace(namespace: str, groups: list[Any], target: str, state: LiveState) -> None:
    """The namespace's marker (or its absence) and each of its groups, in canonical form."""
    markers = [g for g in groups if isinstance(g, dict) and g.get("name") == MARKER_GROUP]
    owner = marker_owner(markers[0]) if markers else None
    owned = owner == target
    holder = "" if owned else f"monaco target {owner}" if owner else "not monaco (no monaco owner marker)"
    marker_body = {"marker": canonical_group(markers[0])} if owned else {}
    state.resources.append(Resource(NAMESPACE, namespace, marker_body, owned, holder=holder))
    if not owned:
        state.diagnostics.append(_not_ours(namespace, holder, len(groups)))
    for group in groups:
        if not isinstance(group, dict) or not isinstance(group.get("name"), str) or not group.get("name"):
            state.diagnostics.append(_unreadable(namespace, group))
            continue
        if group["name"] == MARKER_GROUP:
            continue
        canonical = canonical_group(group)
        body = {"namespace": namespace, "group": canonical}
        key = group_key(namespace, group["name"])
        notes = live_slo_notes(canonical)
        state.resources.append(Resource(RULE_GROUP, key, body, owned, notes=notes, holder=holder))


def _not_ours(namespace: str, holder: str, groups: int) -> Diagnostic:
    """MON672: a namespace with the target's prefix that is not the target's; it is left alone."""
    return Diagnostic(
        NOT_OURS,
        f"namespace {namespace} ({groups} groups) has this target's prefix but belongs to {holder}; left alone",
        None,
        "a different `namespace_prefix` keeps targets apart; a namespace written by hand can be deleted with mimirtool",
        Level.INFO,
    )


def _unreadable(namespace: str, group: Any) -> Diagnostic:
    """MON671: a listed entry that is not a named rule group."""
    return Diagnostic(
        LIVE_GROUP_UNREADABLE,
        f"namespace {namespace}: a listed rule group without a name is left alone ({str(group)[:80]!r})",
        None,
        "look at it with `mimirtool rules print`",
        Level.WARNING,
    )
