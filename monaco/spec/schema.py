"""The JSON Schema of spec documents, generated from the Pydantic models, for editor completion.

Source places (`source:`, a ratio side, a gauge, a latency SLI) are assembled from the registered source
families, so a new backend's fields appear in editors without a change here. The schema of every document
is discriminated by `kind` (one `if`/`then` per kind), so a plain validator reports the wrong field of a
Service instead of "not valid under any of the given schemas"; it also carries what a loader check would
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


def _first_line(model: type[BaseModel]) -> str:
    return (model.__doc__ or "").strip().splitlines()[0]
