"""A Prometheus-sourced SLO on Managed Prometheus: one PromQL policy per tier holding the Prometheus backend's alert."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from monaco.ir.labels import BURN_ALERT, NO_DATA_ALERT
from tests.conftest import require_tool
from tests.fakes.gcp_monitoring import GcpFake
from tests.gcp_monitoring.workspace import GcpWorkspace

SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: orders, team: shop, runbook: "https://runbooks.example.com/orders"}
slos:
  - name: availability
    objective: OBJECTIVE
    period: 28d
    sli:
      ratio:
        bad: {prometheus: 'sum(rate(http_requests_total{job="orders",code=~"5.."}[{{window}}]))'}
        total: {prometheus: 'sum(rate(http_requests_total{job="orders"}[{{window}}]))'}
    alerting:
      no_data_for: 10m
      ticket: {disabled: true}
---
apiVersion: monaco/v1
kind: Team
metadata: {name: shop}
default_receiver: shop-mail
receivers:
  - {name: shop-mail, email: {to: [shop-oncall@example.com]}}
"""
PROMETHEUS_TARGET = """\
apiVersion: monaco/v1
kind: Target
metadata: {name: local-prometheus}
backend: prometheus
config: {rules_dir: ../live/rules}
"""


def _workspace(ws: GcpWorkspace, objective: str = "99.9", managed: bool = True) -> None:
    """The orders service (a Prometheus-only SLO), the gcp target on Managed Prometheus, and a Prometheus target."""
    ws.specs.mkdir(parents=True, exist_ok=True)
    (ws.specs / "orders.yaml").write_text(SERVICE.replace("OBJECTIVE", objective), encoding="utf-8")
    ws.write(managed_prometheus=managed)
    (ws.targets / "prometheus.yaml").write_text(PROMETHEUS_TARGET, encoding="utf-8")


@pytest.fixture
def promql_ws(tmp_path: Path, capsys: pytest.CaptureFixture[str], gcp_fake: GcpFake, secrets_set: None) -> GcpWorkspace:
    """The PromQL SLO workspace pointed at the fake."""
    ws = GcpWorkspace(tmp_path / "ws", capsys, gcp_fake)
    _workspace(ws)
    return ws


def _compiled(ws: GcpWorkspace) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """(gcp objects by file name, the Prometheus rules of the SLO's group) from one `monaco compile`."""
    out = ws.root / "out"
    done = ws.run("compile", "--out", str(out))
    assert done.code == 0, done.output
    objects = {p.name: json.loads(p.read_text()) for p in (out / "gcp-test").rglob("*.json")}
    rule_file = next((out / "local-prometheus").rglob("*.yml"))
    groups = yaml.safe_load(rule_file.read_text())["groups"]
    rules: list[dict[str, Any]] = next(g for g in groups if g["name"].endswith("availability"))["rules"]
    return objects, rules


def _alert(rules: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(r for r in rules if r.get("alert") == name)


def test_each_tier_is_one_promql_condition_with_the_prometheus_backends_expression(promql_ws: GcpWorkspace) -> None:
    """Query, `for` and labels are byte for byte the Prometheus rule's; no Service Monitoring objects are made."""
    objects, rules = _compiled(promql_ws)
    policy = objects["orders--availability--page.json"]
    (condition,) = policy["conditions"]
    promql = condition["conditionPrometheusQueryLanguage"]
    burn = _alert(rules, BURN_ALERT)
    assert promql["query"] == burn["expr"]
    assert promql["duration"] == "120s" and burn["for"] == "2m"
    assert promql["labels"] == burn["labels"]
    assert promql["alertRule"] == BURN_ALERT
    assert policy["combiner"] == "OR" and policy["severity"] == "CRITICAL"
    assert "slo:sli_error:ratio_rate" in policy["documentation"]["content"]
    assert not [name for name in objects if name.startswith(("orders.json", "availability"))], sorted(objects)
    no_data = objects["orders--availability--no-data.json"]["conditions"][0]["conditionPrometheusQueryLanguage"]
    assert no_data["query"] == _alert(rules, NO_DATA_ALERT)["expr"] and no_data["duration"] == "600s"


def test_a_goal_above_what_service_monitoring_holds_is_fine_as_promql(promql_ws: GcpWorkspace) -> None:
    """99.995% is MON804 for a Service Monitoring SLO, but a PromQL policy has no goal limit."""
    _workspace(promql_ws, objective="99.995")
    done = promql_ws.run("validate")
    assert done.code == 0 and "MON804" not in done.output, done.output


def test_without_managed_prometheus_the_slo_is_a_missing_gcp_source(promql_ws: GcpWorkspace) -> None:
    """The PromQL path is opt-in: the metrics must be in Managed Prometheus."""
    _workspace(promql_ws, managed=False)
    done = promql_ws.run("validate")
    assert "MON801" in done.output and "SLO orders/availability has no gcp source" in done.output, done.output


def test_apply_creates_the_policies_and_a_plan_after_it_is_empty(promql_ws: GcpWorkspace, gcp_fake: GcpFake) -> None:
    """The fake holds the PromQL conditions as sent; reading them back diffs to nothing."""
    promql_ws.converge()
    state = json.loads(gcp_fake.server.snapshot())
    policies = [p for p in state["alert_policies"].values() if "orders" in p["display_name"]]
    assert not state["service_level_objectives"], "a PromQL SLO makes no Service Monitoring SLO"
    conditions = [c for p in policies for c in p["conditions"]]
    assert all("condition_prometheus_query_language" in c for c in conditions), conditions
    assert sorted(p["display_name"] for p in policies) == [
        "orders/availability burn rate (page)",
        "orders/availability no SLI data",
    ]


def test_one_promtool_test_proves_the_rule_and_the_policy(promql_ws: GcpWorkspace) -> None:
    """`monaco test` runs promtool on the Prometheus rules; the policy's query is the same text, so it is proven too."""
    promtool = require_tool("promtool")
    objects, rules = _compiled(promql_ws)
    query = objects["orders--availability--page.json"]["conditions"][0]["conditionPrometheusQueryLanguage"]["query"]
    burn = _alert(rules, BURN_ALERT)
    assert query == burn["expr"]
    recorded = next(r for r in rules if r.get("record", "").startswith("slo:sli_error:ratio_rate"))
    fired = {**recorded["labels"], **burn["labels"]}
    tests = [
        _rule_test("a 10% error ratio pages", errors=10, at="20m", fires=[{"labels": fired}]),
        _rule_test("a 0.1% error ratio does not", errors="0.1", at="20m", fires=[]),
    ]
    spec = promql_ws.specs / "orders.yaml"
    service, team = spec.read_text().split("---\n")
    spec.write_text(service + "tests: " + json.dumps(tests) + "\n---\n" + team, encoding="utf-8")
    done = promql_ws.run("test", "--promtool", promtool)
    assert done.code == 0, done.output
    assert "2 rule tests, 0 failed." in done.output, done.output


def _rule_test(name: str, *, errors: object, at: str, fires: list[dict[str, Any]]) -> dict[str, Any]:
    """A rule test: 100 requests a minute, `errors` of them failing, and what fires at `at`."""
    return {
        "name": name,
        "interval": "1m",
        "input": [
            {"series": 'http_requests_total{job="orders",code="200"}', "values": f"0+{100 - float(str(errors))}x40"},
            {"series": 'http_requests_total{job="orders",code="500"}', "values": f"0+{errors}x40"},
        ],
        "expect": [{"at": at, "alert": BURN_ALERT, "fires": fires}],
    }
