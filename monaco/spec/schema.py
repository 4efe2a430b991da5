"""The JSON Schema of spec documents, generated from the Pydantic models, for editor completion."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from monaco.spec.models import ServiceSpec, SettingsSpec, TargetSpec, TeamSpec

_MODELS: dict[str, type[BaseModel]] = {
    "Service": ServiceSpec,
    "Team": TeamSpec,
    "Settings": SettingsSpec,
    "Target": TargetSpec,
}
SCHEMA_ID = "https://monaco.example/schema/monaco-v1.json"


def spec_schema(kind: str = "all") -> dict[str, Any]:
    """A JSON Schema for one document kind, or for any monaco document (`all`)."""
    models: list[type[BaseModel]] = list(_MODELS.values()) if kind == "all" else [_MODELS[kind]]
    refs, schema = models_json_schema(
        [(m, "validation") for m in models], by_alias=True, ref_template="#/$defs/{model}"
    )
    result: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "monaco spec document" if kind == "all" else f"monaco {kind}",
        "$defs": schema.get("$defs", {}),
    }
    alternatives = [refs[(m, "validation")] for m in models]
    if len(alternatives) == 1:
        result.update(alternatives[0])
    else:
        result["oneOf"] = alternatives
    return result
