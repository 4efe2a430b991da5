"""Migration gaps: recording rules, any annotation, group options and keep_firing_for, proven on promtool."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from monaco.diagnostics import Diagnostic, Level, Span
from monaco.ir.nodes import RecordingRule, Service
from monaco.ir.rule_groups import records_not_rendered
from monaco.plan.yamltext import dump_yaml
from tests.conftest import require_tool
from tests.rules.workspace import codes, compile_workspace, write_workspace

SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: web, team: platform, runbook: "https://runbooks.example.com/web"}
records:
  - name: job:http_errors:rate5m
    expr: sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))
    labels: {source: monaco-test}
rule_group: {interval: 1m, limit: 50}
alerts:
  - name: WebErrors
    severity: critical
    for: 2m
    keep_firing_for: 10m
    when: {above: 1}
    source: {prometheus: 'job:http_errors:rate5m{job="web"}'}
    summary: "errors on {{ $labels.job }}"
    annotations: {dashboard: "https://grafana.example.com/d/web", playbook: restart the pods}
"""
SETTINGS_2_53 = """\
apiVersion: monaco/v1
kind: Settings
prometheus_version: "2.53"
"""


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _errors(diagnostics: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == code and d.level is Level.ERROR]


def _group(files: dict[str, str]) -> dict[str, Any]:
    groups = YAML(typ="safe").load(files["prom/monaco-web.rules.yml"])["groups"]
    assert [g["name"] for g in groups] == ["web"]
    group: dict[str, Any] = groups[0]
    return group


def test_records_annotations_and_group_options_are_compiled(tmp_path: Path) -> None:
    code, files = compile_workspace(write_workspace(tmp_path, web=SERVICE))
    assert code == 0
    group = _group(files)
    assert (group["interval"], group["limit"]) == ("1m", 50) and "query_offset" not in group
    record, alert = group["rules"]
    assert record == {
        "record": "job:http_errors:rate5m",
        "expr": 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))',
        "labels": {"source": "monaco-test"},
    }
    assert alert["keep_firing_for"] == "10m"
    assert alert["annotations"] == {
        "summary": "errors on {{ $labels.job }}",
        "runbook_url": "https://runbooks.example.com/web",
        "dashboard": "https://grafana.example.com/d/web",
        "playbook": "restart the pods",
    }


def _promtool_test(rule_file: str) -> dict[str, Any]:
    """Errors at 3/s for 10m, then none: the record follows, the alert fires and keeps firing for 10m."""
    labels = {"job": "web", "source": "monaco-test", "team": "platform", "service": "web", "severity": "critical"}
    annotations = {
        "summary": "errors on web",
        "runbook_url": "https://runbooks.example.com/web",
        "dashboard": "https://grafana.example.com/d/web",
        "playbook": "restart the pods",
    }
    fired = [{"exp_labels": labels, "exp_annotations": annotations}]
    return {
        "rule_files": [rule_file],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": [
                    {"series": 'http_requests_total{code="500",job="web"}', "values": "0+180x10 1800x30"},
                ],
                "promql_expr_test": [
                    {
                        "expr": "job:http_errors:rate5m",
                        "eval_time": "8m",
                        "exp_samples": [
                            {"labels": 'job:http_errors:rate5m{job="web",source="monaco-test"}', "value": 3}
                        ],
                    }
                ],
                "alert_rule_test": [
                    {"eval_time": "3m", "alertname": "WebErrors", "exp_alerts": []},
                    {"eval_time": "8m", "alertname": "WebErrors", "exp_alerts": fired},
                    {"eval_time": "20m", "alertname": "WebErrors", "exp_alerts": fired},
                    {"eval_time": "30m", "alertname": "WebErrors", "exp_alerts": []},
                ],
            }
        ],
    }


def test_records_annotations_group_options_and_keep_firing_for_on_promtool(tmp_path: Path) -> None:
    """The record feeds the alert in one group; keep_firing_for holds it for 10m after the errors stop (15m)."""
    promtool = require_tool("promtool")
    root = write_workspace(tmp_path, web=SERVICE)
    code, _files = compile_workspace(root)
    assert code == 0
    rules = root / "out" / "prom" / "monaco-web.rules.yml"
    check = subprocess.run([promtool, "check", "rules", str(rules)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    (rules.parent / "test.yml").write_text(dump_yaml(_promtool_test(rules.name)), encoding="utf-8")
    run = subprocess.run(
        [promtool, "test", "rules", "test.yml"], cwd=rules.parent, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_query_offset_is_refused_for_prometheus_2_42_and_never_written(tmp_path: Path) -> None:
    text = SERVICE.replace("rule_group: {interval: 1m, limit: 50}", "rule_group: {interval: 1m, query_offset: 30s}")
    root = write_workspace(tmp_path, web=text)
    found = _errors(codes(root), "MON263")
    assert len(found) == 1 and "not supported by Prometheus 2.42" in found[0].message
    assert found[0].span is not None and found[0].span.line == _line_of(text, "query_offset")
    code, files = compile_workspace(root)
    assert code == 1 and not any("query_offset" in t for t in files.values())


def test_query_offset_is_rendered_for_prometheus_2_53(tmp_path: Path) -> None:
    text = SERVICE.replace("rule_group: {interval: 1m, limit: 50}", "rule_group: {query_offset: 30s}")
    code, files = compile_workspace(write_workspace(tmp_path, web=text, settings=SETTINGS_2_53))
    assert code == 0 and _group(files)["query_offset"] == "30s"


def test_a_record_is_checked_like_other_promql(tmp_path: Path) -> None:
    text = SERVICE.replace("[5m]))\n    labels: {source", "[5m])\n    labels: {source")
    found = _errors(codes(write_workspace(tmp_path, web=text)), "MON120")
    assert len(found) == 1 and found[0].span is not None
    assert found[0].span.line == _line_of(text, "expr: sum by (job)")


def test_a_reserved_annotation_cannot_be_set_twice(tmp_path: Path) -> None:
    text = SERVICE.replace("playbook: restart the pods}", "playbook: restart the pods, runbook_url: x}")
    found = _errors(codes(write_workspace(tmp_path, web=text)), "MON262")
    assert len(found) == 1 and "runbook" in found[0].message
    assert found[0].span is not None and found[0].span.line == _line_of(text, "runbook_url: x")


def test_records_are_reported_where_a_backend_has_no_equivalent() -> None:
    origin = Span("web.yaml", 5, 5)
    record = RecordingRule("job:x:rate5m", "sum(rate(x[5m]))", (), origin)
    service = Service(
        name="web",
        team="platform",
        tier=2,
        labels=(),
        owners=(),
        runbook=None,
        alerts=(),
        slos=(),
        routes=(),
        team_default_receiver=None,
        origin=origin,
        records=(record,),
    )
    found = records_not_rendered(service, "aws", "aws_cloudwatch", Level.WARNING)
    assert [(d.code, d.level, d.span) for d in found] == [("MON264", Level.WARNING, origin)]
    assert "job:x:rate5m" in found[0].message and "aws_cloudwatch" in found[0].message
