"""Identity labels never silently overwrite a label: user labels and PromQL that keep one are diagnostics,
and renamed identity labels (Settings `identity_labels`) flow through Prometheus and Alertmanager (promtool, amtool)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from monaco.diagnostics import Diagnostic, Level
from monaco.plan.yamltext import dump_yaml
from tests.conftest import require_tool
from tests.rules.workspace import codes, compile_workspace, write_workspace

KUBE_RULE = 'sum by (service) (rate(http_requests_total{code=~"5.."}[5m])) > 1'
SERVICE = f"""\
apiVersion: monaco/v1
kind: Service
metadata: {{name: web, team: platform}}
alerts:
  - name: ServiceErrors
    severity: critical
    source: {{prometheus: '{KUBE_RULE}'}}
    summary: "errors on {{{{ $labels.service }}}}"
routes:
  - match: {{severity: critical}}
    to: [web-hook]
receivers:
  - name: web-hook
    webhook: {{url: "http://127.0.0.1:9/hook"}}
"""
RENAMED = """\
apiVersion: monaco/v1
kind: Settings
identity_labels: {service: monaco_service}
"""


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _found(diagnostics: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == code]


def _service(extra: str = "", metadata: str = "{name: web, team: platform}") -> str:
    return SERVICE.replace("{name: web, team: platform}", metadata) + extra


SLO = """\
slos:
  - name: availability
    objective: 99.9
    labels: {slo: mine}
    sli: {gauge: {prometheus: 'up{job="web"}'}}
"""


def test_a_user_label_named_like_an_identity_label_is_an_error_at_it(tmp_path: Path) -> None:
    text = _service(SLO, '{name: web, team: platform, labels: {tier: "2", env: prod}}')
    text = text.replace("    severity: critical\n", "    severity: critical\n    labels: {service: x}\n", 1)
    found = _found(codes(write_workspace(tmp_path, web=text)), "MON260")
    assert [(d.span.line if d.span else 0, d.level) for d in found] == [
        (_line_of(text, "tier:"), Level.ERROR),
        (_line_of(text, "labels: {service: x}"), Level.ERROR),
        (_line_of(text, "labels: {slo: mine}"), Level.ERROR),
    ]
    assert "tier" in found[0].message and found[0].hint is not None and "identity_labels" in found[0].hint


def test_tier_is_free_on_a_service_without_slos(tmp_path: Path) -> None:
    text = _service(metadata='{name: web, team: platform, labels: {tier: "2"}}')
    assert not _found(codes(write_workspace(tmp_path, web=text)), "MON260")


def test_by_an_identity_label_is_an_error_at_the_expression(tmp_path: Path) -> None:
    found = _found(codes(write_workspace(tmp_path, web=SERVICE)), "MON261")
    assert len(found) == 1 and found[0].level is Level.ERROR
    assert found[0].span is not None and found[0].span.line == _line_of(SERVICE, "source:")
    assert "vector contains metrics with the same labelset after applying alert labels" in found[0].message


def test_a_structured_metric_by_an_identity_label_is_an_error_at_by(tmp_path: Path) -> None:
    source = "source: {prometheus: {metric: up, function: avg_over_time, aggregate: min, by: [job, team]}}"
    text = SERVICE.replace(f"source: {{prometheus: '{KUBE_RULE}'}}", source).replace(
        "    summary", "    when: {below: 1}\n    summary"
    )
    found = _found(codes(write_workspace(tmp_path, web=text)), "MON261")
    assert len(found) == 1 and found[0].level is Level.ERROR and "'team'" in found[0].message
    assert (
        found[0].span is not None and found[0].span.col == text.splitlines()[found[0].span.line - 1].index("team") + 1
    )


def test_matchers_hint_without_is_quiet_and_the_own_value_is_harmless(tmp_path: Path) -> None:
    queries = {
        "sum without (instance) (rate(x_total[5m])) > 1": [],
        'up{service="web"} == 0': [],
        'up{service="api"} == 0': [Level.WARNING],
        'sum by (job) (up{service="api"}) == 0': [],
        'label_replace(up, "team", "$1", "job", "(.*)") == 0': [Level.ERROR],
    }
    for i, (query, expected) in enumerate(queries.items()):
        text = SERVICE.replace(KUBE_RULE, query.replace("'", "''"))
        found = _found(codes(write_workspace(tmp_path / str(i), web=text)), "MON261")
        assert [d.level for d in found] == expected, query


def _promtool_test(rule_file: str) -> dict[str, Any]:
    series = [
        {"series": f'http_requests_total{{code="500",service="{name}"}}', "values": "0+600x20"}
        for name in ("cart", "search")
    ]
    alerts = [
        {
            "exp_labels": {"service": name, "monaco_service": "web", "team": "platform", "severity": "critical"},
            "exp_annotations": {"summary": f"errors on {name}"},
        }
        for name in ("cart", "search")
    ]
    return {
        "rule_files": [rule_file],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": series,
                "alert_rule_test": [{"eval_time": "10m", "alertname": "ServiceErrors", "exp_alerts": alerts}],
            }
        ],
    }


def test_renamed_identity_labels_keep_every_series_own_service_on_promtool(tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    root = write_workspace(tmp_path, web=SERVICE, settings=RENAMED)
    assert not [d for d in codes(root) if d.level is Level.ERROR]
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


def _routes_test(amtool: str, config: Path, labels: dict[str, str]) -> str:
    args = [amtool, "config", "routes", "test", f"--config.file={config}", *(f"{k}={v}" for k, v in labels.items())]
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    return proc.stdout.strip()


def test_alertmanager_routes_and_inhibit_rules_follow_renamed_identity_labels(tmp_path: Path) -> None:
    amtool = require_tool("amtool")
    root = write_workspace(tmp_path, web=SERVICE.replace("sum by (service)", "sum by (job)"), settings=RENAMED)
    code, _files = compile_workspace(root)
    assert code == 0
    config = root / "out" / "am" / "alertmanager.yml"
    check = subprocess.run([amtool, "check-config", str(config)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert _routes_test(amtool, config, {"monaco_service": "web", "severity": "critical"}) == "web-hook"
    assert _routes_test(amtool, config, {"service": "web", "severity": "critical"}) == "default"
    inhibit = YAML(typ="safe").load(config.read_text())["inhibit_rules"]
    assert inhibit and all('monaco_service="web"' in rule["source_matchers"] for rule in inhibit)
    assert all('monaco_service="web"' in rule["target_matchers"] for rule in inhibit)


def test_an_identity_label_cannot_take_a_name_prometheus_reserves(tmp_path: Path) -> None:
    settings = RENAMED.replace("{service: monaco_service}", "{service: alertname}")
    found = [d for d in codes(write_workspace(tmp_path, web=SERVICE, settings=settings)) if d.level is Level.ERROR]
    assert found and "reserved" in found[0].message
    assert found[0].span is not None and found[0].span.file.endswith("settings.yaml")


def test_routes_on_severity_follow_a_renamed_severity_label(tmp_path: Path) -> None:
    """`match: {severity: ...}` in a route means monaco's severity, under whatever name Settings gives it."""
    amtool = require_tool("amtool")
    settings = RENAMED.replace("{service: monaco_service}", "{severity: monaco_severity}")
    root = write_workspace(tmp_path, web=SERVICE.replace("sum by (service)", "sum by (job)"), settings=settings)
    code, _files = compile_workspace(root)
    assert code == 0
    config = root / "out" / "am" / "alertmanager.yml"
    assert _routes_test(amtool, config, {"service": "web", "monaco_severity": "critical"}) == "web-hook"
    assert _routes_test(amtool, config, {"service": "web", "severity": "critical"}) == "default"
    rules = YAML(typ="safe").load((root / "out" / "prom" / "monaco-web.rules.yml").read_text())
    assert rules["groups"][0]["rules"][0]["labels"]["monaco_severity"] == "critical"
