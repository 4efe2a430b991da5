"""validate's Prometheus pass finds exactly what rendering the rule files reports, without rendering them."""

from __future__ import annotations

from pathlib import Path

import pytest

from monaco import engine
from monaco.backends.base import BackendDefaults
from monaco.backends.prometheus.backend import PrometheusBackend
from monaco.diagnostics import Diagnostic

REPO = Path(__file__).resolve().parents[2]
WORKSPACES = [REPO, *sorted(p for p in (REPO / "examples").iterdir() if (p / "targets").is_dir())]

MIXED = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: edge, team: web}
slos:
  - name: served
    objective: 99.9
    sli:
      ratio:
        bad: {cloudwatch: {namespace: AWS/ApplicationELB, metric: HTTPCode_Target_5XX_Count, stat: Sum}}
        total: {cloudwatch: {namespace: AWS/ApplicationELB, metric: RequestCount, stat: Sum}}
  - name: fast
    objective: 99
    sli:
      ratio:
        bad: {prometheus: 'sum(rate(http_errors_total[{{window}}]))'}
        total: {prometheus: 'sum(rate(http_requests_total[{{window}}]))'}
alerts:
  - name: ElbErrors
    severity: high
    when: {above: 5}
    source: {cloudwatch: {namespace: AWS/ApplicationELB, metric: HTTPCode_ELB_5XX_Count, stat: Sum}}
    summary: ELB errors
  - name: Down
    severity: critical
    when: {below: 1}
    source: {prometheus: up}
    summary: down
"""
TARGET = """\
apiVersion: monaco/v1
kind: Target
metadata: {name: prom}
backend: prometheus
config: {rules_dir: ../live, levels: {MON301: error}}
"""


def _both(session: engine.Session) -> list[tuple[list[Diagnostic], list[Diagnostic]]]:
    """(check, what rendering reports) for each Prometheus target of the session."""
    assert session.model is not None, session.diagnostics.sorted()
    pairs = []
    for target in session.targets:
        if target.backend == "prometheus":
            backend = PrometheusBackend()
            rendered = BackendDefaults.check(backend, session.model, target, session.offline_fingerprint)
            pairs.append((backend.check(session.model, target, session.offline_fingerprint), rendered))
    return pairs


@pytest.mark.parametrize("root", WORKSPACES, ids=lambda p: p.name)
def test_check_equals_what_render_reports_on_every_example(root: Path) -> None:
    """The repo's own workspace and every example: the same diagnostics, in the same order."""
    session = engine.load([root / "specs"], [root / "targets"])
    for checked, rendered in _both(session):
        assert checked == rendered


def test_check_reports_missing_sources_at_the_target_level_like_render(tmp_path: Path) -> None:
    """An alert and an SLO without a Prometheus source: MON301 (an error by the target's levels) and MON244."""
    (tmp_path / "specs").mkdir()
    (tmp_path / "targets").mkdir()
    (tmp_path / "specs" / "edge.yaml").write_text(MIXED, encoding="utf-8")
    (tmp_path / "targets" / "prom.yaml").write_text(TARGET, encoding="utf-8")
    [(checked, rendered)] = _both(engine.load([tmp_path / "specs"], [tmp_path / "targets"]))
    assert checked == rendered
    assert [(d.code, d.level.value, d.span.line if d.span else 0) for d in checked] == [
        ("MON301", "error", 18),
        ("MON244", "error", 5),
    ]
