"""The committed JSON Schema: every spec in the repo conforms, and a plain validator's error names the wrong field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from monaco.backends import source_families
from monaco.spec.schema import DEFAULT_SEVERITY_NAMES, SCHEMA_ID, spec_schema

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "monaco" / "schema" / "monaco-v1.json"
SERVICE: dict[str, Any] = {
    "apiVersion": "monaco/v1",
    "kind": "Service",
    "metadata": {"name": "checkout", "team": "payments"},
    "slos": [
        {
            "name": "availability",
            "objective": 99.9,
            "sli": {"gauge": {"prometheus": "up{job='checkout'}"}},
            "alerting": {"page": {"severity": "critical"}},
        }
    ],
    "alerts": [{"name": "Down", "severity": "high", "source": {"prometheus": "up == 0"}, "summary": "down"}],
}
"""A valid Service; each test breaks one field of a copy."""


def _committed() -> dict[str, Any]:
    """The schema file editors are pointed at."""
    schema: dict[str, Any] = json.loads(COMMITTED.read_text(encoding="utf-8"))
    return schema


def _spec_folders() -> list[Path]:
    """Every `specs/` and `targets/` folder of the repo (default workspace, examples, test workspaces)."""
    roots = [REPO / "specs", REPO / "targets", *REPO.glob("examples/*/specs"), *REPO.glob("examples/*/targets")]
    roots += [p for p in (REPO / "tests").rglob("*") if p.is_dir() and p.name in ("specs", "targets")]
    return sorted({p for p in roots if p.is_dir()})


def _documents(folder: Path) -> list[tuple[str, dict[str, Any]]]:
    """(file:index, document) of every monaco document the loader would read in `folder`."""
    found = []
    for path in sorted(folder.rglob("*.y*ml")):
        if any(part.startswith("_") for part in path.relative_to(folder).parts):
            continue  # inputs such as an Alertmanager base config, not monaco documents
        for i, doc in enumerate(YAML(typ="safe", pure=True).load_all(path.read_text(encoding="utf-8"))):
            if isinstance(doc, dict) and doc.get("apiVersion") == "monaco/v1":
                found.append((f"{path.relative_to(REPO)}:{i}", json.loads(json.dumps(doc))))
    return found


def _workspace_severities(folder: Path) -> tuple[str, ...]:
    """The severities a workspace's Settings document names (beside its specs), else the defaults."""
    for _, doc in _documents(folder.parent / "specs") if (folder.parent / "specs").is_dir() else []:
        if doc["kind"] == "Settings" and "severities" in doc:
            return tuple(level["name"] for level in doc["severities"])
    return DEFAULT_SEVERITY_NAMES


FOLDERS = _spec_folders()


def _error(document: dict[str, Any]) -> jsonschema.ValidationError:
    """The error a plain `jsonschema.validate` raises for `document` against the committed schema."""
    with pytest.raises(jsonschema.ValidationError) as raised:
        jsonschema.validate(document, _committed())
    return raised.value


def test_the_committed_schema_is_a_valid_2020_12_schema_with_a_stable_id() -> None:
    """The published `$id` is SCHEMA_ID, the schema itself is valid, and it is the default-severity schema."""
    schema = _committed()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == SCHEMA_ID == "https://monaco.example/schema/monaco-v1.json"
    assert schema == json.loads(json.dumps(spec_schema(source_families())))


def test_the_repo_has_spec_folders_with_documents() -> None:
    """The parametrised check below would pass vacuously without them."""
    assert {REPO / "specs", REPO / "targets", REPO / "examples" / "http-api" / "specs"} <= set(FOLDERS)
    assert sum(len(_documents(folder)) for folder in FOLDERS) > 40


@pytest.mark.parametrize("folder", FOLDERS, ids=[str(f.relative_to(REPO)) for f in FOLDERS])
def test_every_document_conforms(folder: Path) -> None:
    """Each document validates: against the committed schema, or (its own severities) the one generated for it."""
    severities = _workspace_severities(folder)
    schema = _committed() if severities == DEFAULT_SEVERITY_NAMES else spec_schema(source_families(), "all", severities)
    validator = jsonschema.Draft202012Validator(schema)
    for where, doc in _documents(folder):
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]
        assert not errors, f"{where}: {errors}"


def test_a_bad_service_field_is_named_not_not_valid_under_any() -> None:
    """An unknown alert field is reported at that alert, naming the field."""
    document = json.loads(json.dumps(SERVICE))
    document["alerts"][0]["sumary"] = document["alerts"][0].pop("summary")
    error = _error(document)
    assert "not valid under any" not in error.message
    assert list(error.absolute_path) == ["alerts", 0]
    assert "('sumary' was unexpected)" in error.message


def test_an_unknown_top_level_field_of_a_service_is_named() -> None:
    """A misspelt top-level key of a Service is named (the Service branch applied, not every kind tried)."""
    document = {**SERVICE, "alert": []}
    error = _error(document)
    assert "not valid under any" not in error.message
    assert "'alert'" in error.message


def test_an_unknown_kind_is_reported_at_kind() -> None:
    """`kind: Servic` fails on `kind`, listing the kinds."""
    error = _error({**SERVICE, "kind": "Servic"})
    assert list(error.absolute_path) == ["kind"]
    assert "Service" in error.message and "Target" in error.message


@pytest.mark.parametrize("objective", [0, 100, 150, -1])
def test_objective_bounds_are_in_the_schema(objective: float) -> None:
    """0 < objective < 100: the bounds fail at the objective itself."""
    document = json.loads(json.dumps(SERVICE))
    document["slos"][0]["objective"] = objective
    error = _error(document)
    assert list(error.absolute_path) == ["slos", 0, "objective"]
    assert error.validator in ("exclusiveMinimum", "exclusiveMaximum")


@pytest.mark.parametrize("objective", [0.001, 50, 99.999])
def test_objectives_inside_the_bounds_are_accepted(objective: float) -> None:
    """Values strictly inside the bounds validate."""
    document = json.loads(json.dumps(SERVICE))
    document["slos"][0]["objective"] = objective
    jsonschema.validate(document, _committed())


def test_severities_are_the_closed_default_set() -> None:
    """An alert's and a burn tier's severity outside critical/high/medium/low fail at that field."""
    alert = json.loads(json.dumps(SERVICE))
    alert["alerts"][0]["severity"] = "urgent"
    error = _error(alert)
    assert list(error.absolute_path) == ["alerts", 0, "severity"]
    assert "urgent" in error.message and "critical" in error.message
    tier = json.loads(json.dumps(SERVICE))
    tier["slos"][0]["alerting"]["page"]["severity"] = "urgent"
    assert list(_error(tier).absolute_path)[:4] == ["slos", 0, "alerting", "page"]


def test_a_workspace_with_its_own_severities_gets_a_schema_with_them() -> None:
    """`spec_schema(..., severities=...)` puts the workspace's set in place of the defaults."""
    schema = spec_schema(source_families(), "all", ("page", "warn"))
    document = json.loads(json.dumps(SERVICE))
    document["alerts"][0]["severity"] = "warn"
    document["slos"][0]["alerting"]["page"]["severity"] = "page"
    jsonschema.validate(document, schema)
    document["alerts"][0]["severity"] = "high"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


NESTED_MISTAKES: list[tuple[str, list[str | int], str, Any]] = [
    ("alerts.0.source.prometheus", ["alerts", 0, "source", "prometheus"], "matcher", {"metric": "up", "matcher": {}}),
    ("alerts.0.for", ["alerts", 0, "for"], "5 minutes", "5 minutes"),
    ("slos.0.sli.gauge.prometheus", ["slos", 0, "sli", "gauge", "prometheus"], "metrc", {"metrc": "up"}),
    ("slos.0.alerting.page", ["slos", 0, "alerting", "page", 0], "budget_percnt", [{"budget_percnt": 2}]),
    ("rule_group", ["rule_group"], "intervl", {"intervl": "1m", "limit": -1}),
    ("alerts.0.source.cloudwatch", ["alerts", 0, "source", "cloudwatch"], "namespac", {"namespac": "A", "metric": "B"}),
    (
        "alerts.0.source.cloudwatch",
        ["alerts", 0, "source", "cloudwatch", "metrics", "a"],
        "'metric' is a required property",
        {"expression": "a * 2", "metrics": {"a": {"namespace": "AWS/EC2"}}},
    ),
]
"""(dotted place, the path the error must name, a word the message must hold, the value written there)."""


@pytest.mark.parametrize(("place", "path", "word", "value"), NESTED_MISTAKES, ids=[m[0] for m in NESTED_MISTAKES])
def test_a_mistake_inside_a_union_is_named_where_it_is(
    place: str, path: list[str | int], word: str, value: Any
) -> None:
    """Optional fields are unions with null, sources unions of text and models: the error still names the field."""
    document = json.loads(json.dumps(SERVICE))
    node: Any = document
    *parents, last = place.split(".")
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[last] = value
    error = _error(document)
    assert "not valid under any" not in error.message
    assert list(error.absolute_path)[: len(path)] == path and word in error.message


def test_editors_still_see_every_member_of_a_union() -> None:
    """A source place is entered by type (and by a key only one model requires), with the whole union left as `else`."""
    cloudwatch = _committed()["$defs"]["AlertSourcesByFamily"]["properties"]["cloudwatch"]
    assert cloudwatch["if"] == {"type": "object"}
    assert cloudwatch["then"]["if"] == {"required": ["expression"]}
    assert cloudwatch["then"]["then"] == {"$ref": "#/$defs/CloudWatchMath"}
    assert cloudwatch["then"]["else"] == {"$ref": "#/$defs/CloudWatchMetric"}
    members = [m.get("$ref", m.get("type")) for m in cloudwatch["else"]["anyOf"]]
    assert members == ["#/$defs/CloudWatchMetric", "#/$defs/CloudWatchMath", "null"]
