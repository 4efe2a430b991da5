"""Rendering (pure): golden objects, the node chain of each rule, PromQL identical to the Prometheus backend's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from monaco.spec.secrets import fingerprint
from tests.grafana_alerting.workspace import SECRETS, TARGET, GrafanaWorkspace

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def offline(tmp_path: Path, capsys: pytest.CaptureFixture[str], secrets_set: None) -> GrafanaWorkspace:
    """The workspace with no server: compile only."""
    workspace = GrafanaWorkspace(tmp_path, capsys)
    workspace.write()
    return workspace


def _compiled(ws: GrafanaWorkspace) -> dict[str, str]:
    out = ws.root / "out"
    done = ws.run("compile", "--out", str(out))
    assert done.code == 0, done.output
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file()}


def _objects(produced: dict[str, str], kind: str) -> list[dict[str, Any]]:
    return [json.loads(text) for name, text in produced.items() if name.startswith(f"{TARGET}/{kind}/")]


def test_compiled_objects_match_the_golden_files(offline: GrafanaWorkspace, update_golden: bool) -> None:
    """Every rule, group, contact point and the subtree; regenerate with --update-golden and read the diff."""
    produced = _compiled(offline)
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, text in produced.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = {str(p.relative_to(GOLDEN)): p.read_text(encoding="utf-8") for p in sorted(GOLDEN.rglob("*.json"))}
    assert produced == expected


def test_each_rule_is_query_reduce_condition(offline: GrafanaWorkspace) -> None:
    """A on the target's datasource, B = last of A, C the condition; threshold for > and <, math otherwise."""
    rules = {r["title"]: r for r in _objects(_compiled(offline), "rule")}
    for rule in rules.values():
        assert [n["refId"] for n in rule["data"]] == ["A", "B", "C"] and rule["condition"] == "C"
        assert rule["data"][0]["datasourceUid"] == "prom-main" and rule["data"][0]["model"]["instant"] is True
        assert rule["data"][1]["model"] | {"datasource": None} == {
            "refId": "B",
            "type": "reduce",
            "expression": "A",
            "reducer": "last",
            "datasource": None,
        }
    high = rules["HighErrorRate"]["data"][2]["model"]
    assert high["type"] == "threshold" and high["conditions"] == [{"evaluator": {"type": "gt", "params": [0.05]}}]
    assert rules["LowThroughput"]["data"][2]["model"]["expression"] == "$B <= 1"
    assert rules["LowThroughput"]["data"][0]["model"]["expr"] == 'sum (rate(http_requests_total{job="checkout"}[5m]))'
    assert rules["Down"]["data"][2]["model"]["expression"] == "$B == $B"
    assert rules["Down"]["for"] == "2m" and rules["HighErrorRate"]["labels"]["severity"] == "critical"
    assert rules["HighErrorRate"]["annotations"]["runbook_url"] == "https://runbooks.example.com/checkout"


def test_burn_and_no_data_queries_are_the_prometheus_backends(offline: GrafanaWorkspace) -> None:
    """The PromQL of every SLO rule is byte for byte the Prometheus backend's alert expression."""
    target = offline.targets / "prom.yaml"
    prom = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": "prom"}}
    target.write_text(json.dumps(prom | {"backend": "prometheus", "config": {"rules_dir": "../prom-rules"}}))
    produced = _compiled(offline)
    files = [p for p in (offline.root / "out" / "prom").rglob("*.yml")]
    groups = [g for f in files for g in yaml.safe_load(f.read_text(encoding="utf-8"))["groups"]]
    prom_exprs = sorted(r["expr"] for g in groups if ".slo." in g["name"] for r in g["rules"] if "alert" in r)
    slo_rules = [r for r in _objects(produced, "rule") if "slo" in r["labels"]]
    assert sorted(r["data"][0]["model"]["expr"] for r in slo_rules) == prom_exprs
    assert len(prom_exprs) == 3


def test_secrets_are_fingerprints_with_references(offline: GrafanaWorkspace) -> None:
    produced = _compiled(offline)
    points = {p["name"]: p for p in _objects(produced, "contact_point")}
    slack = points["monaco-payments-slack"]["settings"]
    assert slack == {
        "recipient": "#payments-alerts",
        "url": f"(sensitive {fingerprint(SECRETS['GRAFANA_TEST_SLACK_URL'])})",
    }
    assert points["monaco-payments-mail"]["disableResolveMessage"] is True
    assert (
        points["monaco-payments-mail"]["settings"]["addresses"]
        == "payments-oncall@example.com;payments-leads@example.com"
    )
    assert all(value not in "".join(produced.values()) for value in SECRETS.values())


def test_for_not_a_multiple_of_the_interval_is_mon631(offline: GrafanaWorkspace) -> None:
    offline.write(interval="2m")
    done = offline.run("validate")
    assert done.code != 0 and "MON631" in done.output and "HighErrorRate" in done.output


def test_interval_not_a_multiple_of_10s_is_mon632(offline: GrafanaWorkspace) -> None:
    offline.edit(
        "checkout.yaml", "metadata: {name: checkout,", "rule_group: {interval: 15s}\nmetadata: {name: checkout,"
    )
    done = offline.run("validate")
    assert done.code != 0 and "MON632" in done.output


def test_recording_series_note_and_missing_source(offline: GrafanaWorkspace) -> None:
    offline.edit(
        "checkout.yaml",
        '      prometheus: up{job="checkout"} == 0\n',
        "      cloudwatch: {namespace: AWS/EC2, metric: StatusCheckFailed}\n",
    )
    done = offline.run("validate")
    assert "MON633" in done.output and "MON630" in done.output and "checkout/Down" in done.output


def test_rules_and_tree_are_what_the_foundation_sdk_models_hold(offline: GrafanaWorkspace) -> None:
    """Every rule key and enum value is one grafana-foundation-sdk's `Rule` knows; the tree round-trips as a policy."""
    import typing

    from grafana_foundation_sdk.models import alerting

    produced = _compiled(offline)
    hints = typing.get_type_hints(alerting.Rule)
    for rule in _objects(produced, "rule"):
        model = alerting.Rule.from_json(rule)
        sent = json.loads(json.dumps(model.to_json(), default=lambda o: o.to_json()))
        assert {k: v for k, v in sent.items() if k != "orgID"} == {
            k: v for k, v in rule.items() if k != "keep_firing_for"
        }
        assert rule["noDataState"] in typing.get_args(hints["no_data_state"])
        assert rule["execErrState"] in typing.get_args(hints["exec_err_state"])
        assert [q["refId"] for q in sent["data"]] == ["A", "B", "C"]
    (tree,) = _objects(produced, "policy")
    policy = alerting.NotificationPolicy.from_json(tree)
    assert json.loads(json.dumps(policy.to_json(), default=lambda o: o.to_json())) == tree
