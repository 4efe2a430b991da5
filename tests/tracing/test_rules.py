"""Trace links in rendered Prometheus rules: on every alert of a traced service, valid under promtool, and
expanded unchanged by Prometheus's Go templates; a workspace without `tracing` renders byte for byte as before."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ruamel.yaml import YAML

from monaco.diagnostics import Level
from monaco.plan.yamltext import dump_yaml
from tests.conftest import require_tool
from tests.rules.workspace import codes, compile_workspace, write_workspace

SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata:
  name: web
  team: platform
{tracing}alerts:
  - name: WebErrors
    severity: critical
    for: 5m
    source: {{prometheus: 'sum(rate(http_requests_total{{code="500"}}[5m])) > 1'}}
    summary: "web errors"
  - name: WebDown
    severity: high
    source: {{prometheus: 'up{{job="web"}} == 0'}}
    summary: "web down"
slos:
  - name: availability
    objective: 99.9
    sli: {{gauge: {{prometheus: 'up{{job="web"}}'}}}}
routes:
  - match: {{severity: critical}}
    to: [web-hook]
receivers:
  - name: web-hook
    webhook: {{url: "http://127.0.0.1:9/hook"}}
"""
JAEGER = "  tracing: {kind: jaeger, url: 'https://jaeger.example.com/'}\n"
TEAM = """\
apiVersion: monaco/v1
kind: Team
metadata: {name: platform}
tracing: {kind: tempo, url: 'https://grafana.example.com', datasource: tempo-main}
"""
RULES = Path("out") / "prom" / "monaco-web.rules.yml"


def _alerts(rule_file: Path) -> dict[str, dict[str, Any]]:
    """Alerting rules of a rule file by `<alert>/<tier or no-data>` (tier label when present)."""
    groups = YAML(typ="safe").load(rule_file.read_text(encoding="utf-8"))["groups"]
    rules = [r for g in groups for r in g["rules"] if "alert" in r]
    return {f"{r['alert']}/{r['labels'].get('tier', '')}": r for r in rules}


def _compiled(root: Path) -> Path:
    assert not [d for d in codes(root) if d.level is Level.ERROR]
    code, _files = compile_workspace(root)
    assert code == 0
    return root / RULES


def _lookback(url: str) -> str:
    return parse_qs(urlsplit(url).query)["lookback"][0]


def test_every_alert_of_a_traced_service_links_to_its_error_traces_over_its_window(tmp_path: Path) -> None:
    """Threshold alerts over their `for` (else the 1m default interval), burn tiers over their longest long
    window (page 6h, ticket 3d), the no-data alert over `no_data_for` (10m); promtool accepts the file."""
    rules = _compiled(write_workspace(tmp_path, web=SERVICE.format(tracing=JAEGER)))
    alerts = _alerts(rules)
    lookbacks = {name: _lookback(rule["annotations"]["trace_url"]) for name, rule in alerts.items()}
    assert lookbacks == {
        "WebErrors/": "5m",
        "WebDown/": "1m",
        "SLOErrorBudgetBurn/page": "6h",
        "SLOErrorBudgetBurn/ticket": "3d",
        "SLONoData/": "10m",
    }
    for rule in alerts.values():
        assert rule["annotations"]["trace_url"].startswith("https://jaeger.example.com/search?service=web&")
    check = subprocess.run(
        [require_tool("promtool"), "check", "rules", str(rules)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_team_tracing_system_applies_to_services_without_their_own(tmp_path: Path) -> None:
    """The team's Tempo applies when the service names none; the service's own Jaeger wins over it."""
    team_only = _alerts(_compiled(write_workspace(tmp_path / "team", web=SERVICE.format(tracing=""), team=TEAM)))
    assert {urlsplit(r["annotations"]["trace_url"]).path for r in team_only.values()} == {"/explore"}
    own = _alerts(_compiled(write_workspace(tmp_path / "own", web=SERVICE.format(tracing=JAEGER), team=TEAM)))
    assert {urlsplit(r["annotations"]["trace_url"]).path for r in own.values()} == {"/search"}


def _annotation_test(rule_file: str, expected: dict[str, str]) -> dict[str, Any]:
    """A promtool unit test: WebErrors fires after its 5m and carries exactly `expected` as annotations."""
    series = [{"series": 'http_requests_total{code="500"}', "values": "0+600x20"}]
    alert = {"exp_labels": {"service": "web", "team": "platform", "severity": "critical"}, "exp_annotations": expected}
    return {
        "rule_files": [rule_file],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": series,
                "alert_rule_test": [{"eval_time": "10m", "alertname": "WebErrors", "exp_alerts": [alert]}],
            }
        ],
    }


def test_prometheus_expands_the_link_to_exactly_the_rendered_url(tmp_path: Path) -> None:
    """The Go template engine leaves the Tempo link (JSON and TraceQL, percent-encoded) exactly as rendered."""
    promtool = require_tool("promtool")
    rules = _compiled(write_workspace(tmp_path, web=SERVICE.format(tracing=""), team=TEAM))
    annotations = _alerts(rules)["WebErrors/"]["annotations"]
    assert set(annotations) == {"summary", "trace_url"}
    (rules.parent / "test.yml").write_text(dump_yaml(_annotation_test(rules.name, annotations)), encoding="utf-8")
    run = subprocess.run(
        [promtool, "test", "rules", "test.yml"], cwd=rules.parent, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_workspace_without_tracing_renders_as_before_and_tracing_only_adds_trace_url(tmp_path: Path) -> None:
    """The golden checkout case carries no trace_url; with a tracing block, removing trace_url lines gives it back."""
    case = Path(__file__).parents[1] / "golden" / "cases" / "checkout"
    golden = (case / "expected" / "prom" / "monaco-checkout.rules.yml").read_text(encoding="utf-8")
    assert "trace_url" not in golden
    shutil.copytree(case / "specs", tmp_path / "specs")
    shutil.copytree(case / "targets", tmp_path / "targets")
    spec = tmp_path / "specs" / "checkout.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("  tier: 1\n", "  tier: 1\n" + JAEGER.replace("/'", "'")), encoding="utf-8")
    code, files = compile_workspace(tmp_path)
    assert code == 0
    traced = files["prom/monaco-checkout.rules.yml"]
    assert traced.count("trace_url: ") == golden.count("- alert: ") == 2
    assert "".join(line for line in traced.splitlines(True) if "trace_url: " not in line) == golden
