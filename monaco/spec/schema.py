"""The JSON Schema of spec documents, generated from the Pydantic models, for editor completion.

Source places (`source:`, a ratio side, a gauge, a latency SLI) are assembled from the registered source
families, so a new backend's fields appear in editors without a change here.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from monaco.spec.models import ServiceSpec, SettingsSpec, TargetSpec, TeamSpec
from monaco.spec.sources import AlertSources, CounterSources, GaugeSli, LatencySli, SourceFamilies, Sources

_MODELS: dict[str, type[BaseModel]] = {
    "Service": ServiceSpec,
    "Team": TeamSpec,
    "Settings": SettingsSpec,
    "Target": TargetSpec,
}
_PLACES: tuple[type[Sources], ...] = (AlertSources, CounterSources, GaugeSli, LatencySli)
SCHEMA_ID = "https://monaco.example/schema/monaco-v1.json"


def spec_schema(families: SourceFamilies, kind: str = "all") -> dict[str, Any]:
    """A JSON Schema for one document kind, or for any monaco document (`all`)."""
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
    result: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "monaco spec document" if kind == "all" else f"monaco {kind}",
        "$defs": definitions,
    }
    alternatives = [refs[(m, "validation")] for m in models]
    if len(alternatives) == 1:
        result.update(alternatives[0])
    else:
        result["oneOf"] = alternatives
    return result


def _first_line(model: type[BaseModel]) -> str:
    return (model.__doc__ or "").strip().splitlines()[0]
