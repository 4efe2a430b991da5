"""Source places are validated by the registered families: positions, hints, checks and schema follow them."""

from __future__ import annotations

from pathlib import Path

from monaco import engine
from monaco.backends import REGISTRY, SOURCE_FAMILIES, _source_family, get_backend, source_families
from monaco.diagnostics import Diagnostics, Level, Span
from monaco.spec.load import Workspace, load_workspace
from monaco.spec.schema import spec_schema
from monaco.spec.sources import SourceFamilies, SourceFamily
from monaco.spec.types import SpecModel

SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: api, team: web}
slos:
  - name: latency
    objective: 99
    sli:
      latency: {threshold: 0.3, cloudwatch: {namespace: AWS/ApplicationELB, metric: TargetResponseTime, stat: p99}}
alerts:
  - name: Down
    severity: critical
    source: {%s}
    summary: s
"""


def _errors(tmp_path: Path, text: str) -> list[tuple[str, int, int, str | None]]:
    (tmp_path / "api.yaml").write_text(text, encoding="utf-8")
    session = engine.load([tmp_path], [])
    return [
        (d.code, d.span.line, d.span.col, d.hint)
        for d in session.diagnostics.sorted()
        if d.level is Level.ERROR and d.span is not None
    ]


def test_a_latency_sli_with_only_a_cloudwatch_metric_is_valid(tmp_path: Path) -> None:
    """The latency SLI's histogram moved under `prometheus:`, so a CloudWatch-only one can be written."""
    assert _errors(tmp_path, SERVICE % "prometheus: up == 0") == []


def test_the_old_latency_shape_points_at_the_family_the_field_belongs_to(tmp_path: Path) -> None:
    """`latency: {metric: ...}` (the shape before families) says where `metric` goes now."""
    text = SERVICE.replace("{threshold: 0.3, cloudwatch:", "{threshold: 0.3, metric: http_seconds, cloudwatch:")
    [(code, line, col, hint)] = _errors(tmp_path, text % "prometheus: up == 0")
    assert (code, line, col) == ("MON110", 8, 33)
    assert hint is not None and "`prometheus:`" in hint and "`cloudwatch:`" in hint


def test_a_misspelt_family_gets_a_did_you_mean(tmp_path: Path) -> None:
    """An unknown key under `source:` is an unknown field, with the closest registered family."""
    assert _errors(tmp_path, SERVICE % "promethues: up == 0") == [("MON110", 12, 14, "did you mean 'prometheus'?")]


def test_errors_inside_a_family_model_are_at_the_offending_key(tmp_path: Path) -> None:
    """A family's own model reports at the spec line, like every other field."""
    found = _errors(tmp_path, SERVICE % "cloudwatch: {namespace: A, metric: B, statistic: Sum}")
    assert found == [("MON110", 12, 52, "did you mean 'stat'?")]


class ExampleSource(SpecModel):
    """A source of a family that exists only in this test."""

    query: str


def test_a_new_family_is_validated_checked_and_in_the_schema_without_touching_the_spec_layer(tmp_path: Path) -> None:
    """Registering a family is all a backend does: the loader validates it, its check runs, the schema lists it."""
    seen: list[str] = []

    def check(workspace: Workspace, diagnostics: Diagnostics) -> None:
        for located in workspace.services:
            for i, alert in enumerate(located.spec.alerts):
                source = alert.source.get("example")
                seen.append(source.query)
                diagnostics.warning("MON999", "example check", located.doc.span(("alerts", i, "source", "example")))

    families = SourceFamilies([*source_families(), SourceFamily("example", alert=ExampleSource, check=check)])
    (tmp_path / "api.yaml").write_text(SERVICE % "example: {query: q1}", encoding="utf-8")
    diagnostics = Diagnostics()
    workspace = load_workspace([tmp_path], diagnostics, families)
    assert [d.code for d in diagnostics] == []
    for family in workspace.families:
        if family.check is not None:
            family.check(workspace, diagnostics)
    assert seen == ["q1"]
    assert [(d.code, d.span) for d in diagnostics] == [("MON999", Span(str(tmp_path / "api.yaml"), 12, 23))]
    schema = spec_schema(families)
    alert_place = schema["$defs"]["AlertSourcesByFamily"]["properties"]
    assert {"cloudwatch", "example", "prometheus"} <= set(alert_place)
    assert "ExampleSource" in schema["$defs"]


def test_a_structured_prometheus_source_with_a_typo_is_not_reported_as_not_text(tmp_path: Path) -> None:
    """`str | PromMetric`: a mapping is judged as a PromMetric (the member it is the shape of), not as text."""
    found = _errors(tmp_path, SERVICE % "prometheus: {metric: up, matcher: {job: api}}")
    assert found == [("MON110", 12, 39, "did you mean 'matchers'?")]


def test_the_family_table_names_each_backends_own_family() -> None:
    """Loading specs reads the families from a table, without importing the backends: it must say what they say."""
    assert set(SOURCE_FAMILIES) == set(REGISTRY)
    for kind in REGISTRY:
        assert _source_family(kind) is get_backend(kind).sources, kind
