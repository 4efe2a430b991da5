"""Generated SLO tests and spec tests, executed by the real `promtool test rules`."""

from __future__ import annotations

import copy
import os
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from monaco.backends.promrules.rule_tests import (
    PromtoolTest,
    generated_tests,
    run_promtool_tests,
    slo_rule_file,
    spec_tests,
)
from monaco.backends.promrules.series_synth import CannotSynthesise
from monaco.diagnostics import Diagnostics
from monaco.engine import load_checked
from monaco.ir.lower import lower
from tests.conftest import require_tool
from tests.slo.cases import CASES
from tests.slo.helpers import lowered, service_with

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _generated(case: str) -> tuple[dict[str, str], list[PromtoolTest]]:
    slo = lowered(CASES[case])
    assert slo is not None
    return generated_tests(service_with(slo), slo)


@pytest.mark.parametrize("case", sorted(CASES))
def test_generated_slo_tests_pass_on_promtool(case: str) -> None:
    promtool = require_tool("promtool")
    rules, tests = _generated(case)
    scenarios = [g["name"] for t in tests for g in t.content["tests"]]
    assert any("fires above" in s for s in scenarios) and any("healthy" in s for s in scenarios)
    assert any("burst" in s for s in scenarios) and any("stays quiet at" in s for s in scenarios)
    results = run_promtool_tests(rules, tests, promtool)
    assert [r.name for r in results] == [t.name for t in tests]
    failed = [r.output for r in results if not r.ok]
    assert not failed, "\n\n".join(failed)


def test_low_traffic_guard_is_generated() -> None:
    _rules, tests = _generated("ratio_promql")
    names = [g["name"] for t in tests for g in t.content["tests"]]
    assert "checkout/availability: page stays quiet under 100 events" in names


def _flip_first_expected_alert(tests: list[PromtoolTest]) -> list[PromtoolTest]:
    broken: list[PromtoolTest] = []
    done = False
    for test in tests:
        content: dict[str, Any] = copy.deepcopy(test.content)
        for group in content["tests"]:
            for check in group.get("alert_rule_test", []):
                if check["exp_alerts"] and not done:
                    check["exp_alerts"][0]["exp_labels"]["severity"] = "low"
                    done = True
        broken.append(PromtoolTest(test.name, content, test.origin))
    assert done
    return broken


def test_a_wrong_expectation_fails(tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    rules, tests = _generated("ratio_promql")
    results = run_promtool_tests(rules, _flip_first_expected_alert(tests[:1]), promtool)
    assert len(results) == 1 and not results[0].ok
    assert 'severity="low"' in results[0].output and 'severity="critical"' in results[0].output
    diagnostic = results[0].diagnostic()
    assert diagnostic is not None and diagnostic.code == "MON249"


def test_free_form_promql_cannot_be_synthesised() -> None:
    slo = lowered(
        {
            **CASES["ratio_promql"],
            "sli": {
                "ratio": {
                    "bad": {"prometheus": "sum(rate(a_total[{{window}}])) + sum(rate(b_total[{{window}}]))"},
                    "total": {"prometheus": "sum(rate(c_total[{{window}}]))"},
                }
            },
        }
    )
    assert slo is not None
    with pytest.raises(CannotSynthesise):
        generated_tests(service_with(slo), slo)


SPEC = """\
apiVersion: monaco/v1
kind: Service
metadata:
  name: checkout
  team: payments
  runbook: https://runbooks.example.com/checkout
slos:
  - name: availability
    objective: 99.9
    sli:
      ratio:
        bad:
          prometheus:
            metric: http_requests_total
            matchers: {job: checkout, code: "~5.."}
        total:
          prometheus:
            metric: http_requests_total
            matchers: {job: checkout}
tests:
  - name: an outage pages
    input:
      - series: 'http_requests_total{job="checkout",code="500"}'
        values: '0+100x30'
      - series: 'http_requests_total{job="checkout",code="200"}'
        values: '0+100x30'
    expect:
      - at: 10m
        alert: SLOErrorBudgetBurn
        fires:
          - labels: {tier: page}
      - at: 1m
        alert: SLOErrorBudgetBurn
        fires: []
  - name: a wrong expectation
    input:
      - series: 'http_requests_total{job="checkout",code="200"}'
        values: '0+100x30'
    expect:
      - at: 10m
        alert: SLOErrorBudgetBurn
        fires:
          - labels: {tier: page}
"""


def test_spec_tests_run_on_promtool_and_failures_point_at_the_spec_line(tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    spec = tmp_path / "checkout.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    diagnostics = Diagnostics()
    workspace = load_checked([spec], diagnostics)
    model = lower(workspace, diagnostics)
    assert not diagnostics.has_errors, list(diagnostics)
    service = model.services[0]
    rules = {"checkout.rules.yml": slo_rule_file(service, service.slos[0])}
    doc = workspace.services[0].doc
    tests = spec_tests(rules, workspace.services[0].spec.tests, doc.span, diagnostics)
    assert not diagnostics.has_errors, list(diagnostics)
    results = run_promtool_tests(rules, tests, promtool)
    assert [r.ok for r in results] == [True, False], [r.output for r in results]
    failure = results[1]
    assert failure.span is not None and failure.span.file == str(spec)
    lines = SPEC.splitlines()
    assert lines[failure.span.line - 1].strip() == "- at: 10m"
    assert lines.index("  - name: a wrong expectation") < failure.span.line


def test_unknown_alert_in_a_spec_test_is_reported(tmp_path: Path) -> None:
    spec = tmp_path / "checkout.yaml"
    spec.write_text(
        SPEC.replace("alert: SLOErrorBudgetBurn\n        fires: []", "alert: SLOErorBudgetBurn\n        fires: []"),
        encoding="utf-8",
    )
    diagnostics = Diagnostics()
    workspace = load_checked([spec], diagnostics)
    model = lower(workspace, diagnostics)
    service = model.services[0]
    rules = {"checkout.rules.yml": slo_rule_file(service, service.slos[0])}
    spec_tests(rules, workspace.services[0].spec.tests, workspace.services[0].doc.span, diagnostics)
    found = [d for d in diagnostics if d.code == "MON248"]
    assert found and found[0].hint == "did you mean 'SLOErrorBudgetBurn'?"
    assert found[0].span is not None and found[0].span.line == SPEC.splitlines().index("        fires: []")


EXAMPLE_DIRS = sorted(
    p for p in EXAMPLES.iterdir() if any("\nslos:" in f.read_text(encoding="utf-8") for f in p.glob("specs/**/*.yaml"))
)
"""The examples that define SLOs."""


@pytest.mark.parametrize("example", EXAMPLE_DIRS, ids=lambda p: p.name)
def test_every_example_slo_passes_its_generated_tests(example: Path) -> None:
    """Each SLO of the example, its generated scenarios run by promtool (one process per SLO, as many at once as
    there are cores: promtool spends most of it evaluating a month of samples)."""
    promtool = require_tool("promtool")
    diagnostics = Diagnostics()
    model = lower(load_checked([example / "specs"], diagnostics), diagnostics)
    assert not diagnostics.has_errors, list(diagnostics)
    generated = [generated_tests(service, slo) for service in model.services for slo in service.slos]
    assert generated, "the example defines SLOs"
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        runs = list(pool.map(lambda pair: run_promtool_tests(*pair, promtool), generated))
    for results in runs:
        assert results and all(r.ok for r in results), textwrap.shorten(str([r.output for r in results]), 4000)
