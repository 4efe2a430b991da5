"""The JSON Schema of spec documents, generated from the Pydantic models, for editor completion.

Source places (`source:`, a ratio side, a gauge, a latency SLI) are assembled from the registered source
families, so a new backend's fields appear in editors without a change here. The schema of every document
is discriminated by `kind` (one `if`/`then` per kind), so a plain validator reports the wrong field of a
Service instead of "not valid under any of the given schemas" (each union inside is entered the same way,
by the value's type); it also carries what a loader check would
otherwise be first to say: the closed set of severities and an objective strictly between 0 and 100.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from monaco.spec.models import DEFAULT_SEVERITIES, ServiceSpec, SettingsSpec, TargetSpec, TeamSpec
from monaco.spec.sources import AlertSources, CounterSources, GaugeSli, LatencySli, SourceFamilies, Sources

_MODELS: dict[str, type[BaseModel]] = {
    "Service": ServiceSpec,
    "Team": TeamSpec,
    "Settings": SettingsSpec,
    "Target": TargetSpec,
}
_PLACES: tuple[type[Sources], ...] = (AlertSources, CounterSources, GaugeSli, LatencySli)
SCHEMA_ID = "https://monaco.example/schema/monaco-v1.json"
DEFAULT_SEVERITY_NAMES: tuple[str, ...] = tuple(level.name for level in DEFAULT_SEVERITIES)
"""The closed set of severities a workspace has when no Settings document names its own."""


def spec_schema(
    families: SourceFamilies, kind: str = "all", severities: Sequence[str] = DEFAULT_SEVERITY_NAMES
) -> dict[str, Any]:
    """A JSON Schema for one document kind, or for any monaco document (`all`), with `severities` as the closed set."""
    models: list[type[BaseModel]] = list(_MODELS.values()) if kind == "all" else [_MODELS[kind]]
    places = {place: families.model(place.role, place.common) for place in _PLACES if ServiceSpec in models}
    refs, schema = models_json_schema(
        [(m, "validation") for m in [*models, *places.values()]], by_alias=True, ref_template="#/$defs/{model}"
    )
    definitions: dict[str, Any] = schema.get("$defs", {})
    for place, model in places.items():
        if place.__name__ in definitions:
            definitions[place.__name__] = {**refs[(model, "validation")], "description": _first_line(place)}
            if place is AlertSources:
                definitions[place.__name__]["minProperties"] = 1
    _tighten(definitions, list(severities))
    for definition in definitions.values():
        _discriminate_unions(definition, definitions)
    result: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "monaco spec document" if kind == "all" else f"monaco {kind}",
        "$defs": definitions,
    }
    if len(models) == 1:
        result.update(refs[(models[0], "validation")])
    else:
        result.update(_by_kind({name: refs[(model, "validation")] for name, model in _MODELS.items()}))
    return result


def _by_kind(alternatives: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The top level: `kind` from a closed set, then exactly that kind's schema applied (`if` kind `then` model)."""
    return {
        "type": "object",
        "required": ["apiVersion", "kind"],
        "properties": {
            "apiVersion": {"const": "monaco/v1"},
            "kind": {"enum": list(alternatives), "description": "The document kind; it decides every other field."},
        },
        "allOf": [
            {"if": {"properties": {"kind": {"const": name}}, "required": ["kind"]}, "then": ref}
            for name, ref in alternatives.items()
        ],
    }


def _tighten(definitions: dict[str, Any], severities: list[str]) -> None:
    """Rules the loader checks after validation, written into the schema so editors flag them as you type."""
    severity = {"type": "string", "enum": severities, "description": "One of the workspace's severities."}
    if "AlertSpec" in definitions:
        definitions["AlertSpec"]["properties"]["severity"] = {**severity, "title": "Severity"}
    if "BurnTierSpec" in definitions:
        tier = definitions["BurnTierSpec"]["properties"]["severity"]
        tier["anyOf"] = [severity, {"type": "null"}]
    if "SloSpec" in definitions:
        objective = definitions["SloSpec"]["properties"]["objective"]
        objective.pop("anyOf", None)  # the loader also reads a quoted number; the schema asks for a number
        objective.update({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 100})


def _discriminate_unions(node: Any, definitions: dict[str, Any]) -> None:
    """Give every `anyOf` of a property a way in: `if` the value's JSON type (and a key only one model requires).

    With a plain `anyOf`, a value with two mistakes for its model ties with the other members' type errors and a
    validator answers "not valid under any of the given schemas"; entered through `if`/`then`, it names the
    field. The full `anyOf` stays as the last `else`, so editors still complete every member's fields."""
    if isinstance(node, list):
        for item in node:
            _discriminate_unions(item, definitions)
        return
    if not isinstance(node, dict):
        return
    for child in node.values():
        _discriminate_unions(child, definitions)
    union = node.get("anyOf")
    if isinstance(union, list) and (chosen := _by_type(union, definitions)) is not None:
        del node["anyOf"]
        node.update(chosen)


def _by_type(union: list[Any], definitions: dict[str, Any]) -> dict[str, Any] | None:
    """`if type X then <the member of type X>` for each type, else the union; None when members share no rule."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for member in union:
        kind = _json_type(member, definitions)
        if kind is None:
            return None
        groups.setdefault(kind, []).append(member)
    if "integer" in groups and "number" in groups:
        return None
    chain: dict[str, Any] = {"anyOf": union}
    for kind, members in sorted(groups.items(), reverse=True):
        if kind == "null" or (len(members) == 1 and set(members[0]) == {"type"}):
            continue  # a bare type: its error is already precise
        picked = _by_required_key(members, definitions)
        if picked is None:
            return None
        chain = {"if": {"type": kind}, "then": picked, "else": chain}
    return chain if "if" in chain else None


def _json_type(member: dict[str, Any], definitions: dict[str, Any]) -> str | None:
    """The one JSON type a union member accepts (following `$ref`s, such as a source place's), or None."""
    for _ in range(len(definitions) + 1):
        if "$ref" not in member:
            break
        member = definitions.get(member["$ref"].rsplit("/", 1)[-1], {})
    kind = member.get("type")
    return kind if isinstance(kind, str) else None


def _by_required_key(members: list[dict[str, Any]], definitions: dict[str, Any]) -> dict[str, Any] | None:
    """One member, or `if required [k] then <the member requiring k>` chains ending in the member with no such key."""
    if len(members) == 1:
        return members[0]
    resolved = [definitions.get(m.get("$ref", "").rsplit("/", 1)[-1], m) for m in members]
    fallback: list[dict[str, Any]] = []
    keyed: list[tuple[str, dict[str, Any]]] = []
    for member, schema in zip(members, resolved, strict=True):
        others = {k for other in resolved if other is not schema for k in other.get("properties", {})}
        unique = [k for k in schema.get("required", []) if k not in others]
        (keyed.append((unique[0], member)) if unique else fallback.append(member))
    if not fallback:
        fallback.append(keyed.pop(0)[1])  # every member has its key: the first is what a value with neither is
    if len(fallback) != 1:
        return None
    chain = fallback[0]
    for key, member in reversed(keyed):
        chain = {"if": {"required": [key]}, "then": member, "else": chain}
    return chain


def _first_line(model: type[BaseModel]) -> str:
    return (model.__doc__ or "").strip().splitlines()[0]
