"""The ruler receives exactly the Prometheus backend's rule groups, and one promtool run tests both copies."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.conformance.workspace import Workspace
from tests.conftest import require_tool
from tests.fakes.mimir import MimirFake
from tests.mimir_ruler.conftest import TENANT, ruler_config

RULE_TEST = """\
rule_files: [RULES]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'http_requests_total{job="checkout",code="200"}'
        values: '0+10x120'
      - series: 'http_requests_total{job="checkout",code="500"}'
        values: '0+10x120'
    promql_expr_test:
      - expr: slo:sli_error:ratio_rate5m{service="checkout",slo="availability"}
        eval_time: 90m
        exp_samples: [{labels: 'slo:sli_error:ratio_rate5m{service="checkout",slo="availability"}', value: 0.5}]
      - expr: slo:sli_error:ratio_rate1h{service="checkout",slo="availability"}
        eval_time: 90m
        exp_samples: [{labels: 'slo:sli_error:ratio_rate1h{service="checkout",slo="availability"}', value: 0.5}]
"""


def _both_targets(ws: Workspace, fake: MimirFake) -> None:
    """The workspace with a mimir_ruler target and a prometheus target writing rule files to `out/rules`."""
    ws.write("mimir_ruler", ruler_config(fake))
    prometheus = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": "files"}}
    prometheus |= {"backend": "prometheus", "config": {"rules_dir": "../out/rules"}}
    (ws.targets / "files.yaml").write_text(json.dumps(prometheus) + "\n", encoding="utf-8")


def _file_groups(ws: Workspace) -> dict[str, dict[str, Any]]:
    """Every group of the Prometheus backend's rule files, by name."""
    groups: dict[str, dict[str, Any]] = {}
    for path in sorted((ws.root / "out" / "rules").glob("*.rules.yml")):
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]:
            groups[group["name"]] = group
    return groups


def test_the_ruler_receives_the_prometheus_backends_groups_byte_for_byte(ws: Workspace, mimir_fake: MimirFake) -> None:
    """Each posted group equals the rule file's group, every expr the same string; each passed promtool."""
    _both_targets(ws, mimir_fake)
    ws.converge()
    received = {g["name"]: g for g in mimir_fake.received if g["name"] != "monaco_owner"}
    files = _file_groups(ws)
    assert sorted(received) == sorted(files) and len(files) == 4
    for name, group in files.items():
        assert received[name] == group
        posted = [rule["expr"] for rule in received[name]["rules"]]
        assert posted == [rule["expr"] for rule in group["rules"]]


def test_one_promtool_run_tests_the_rule_file_and_the_rulers_copy(
    ws: Workspace, mimir_fake: MimirFake, tmp_path: Path
) -> None:
    """The same unit test passes on the Prometheus backend's file and on the groups read back from the ruler."""
    promtool = require_tool("promtool")
    _both_targets(ws, mimir_fake)
    ws.converge()
    served = yaml.safe_load(mimir_fake.snapshot()[f"rules/{TENANT}/monaco-checkout/checkout.slo.availability"])
    ruler_file = tmp_path / "ruler-checkout.yml"
    ruler_file.write_text(yaml.safe_dump({"groups": [served]}, sort_keys=False), encoding="utf-8")
    files_rules = ws.root / "out" / "rules" / "monaco-checkout.rules.yml"
    tests = []
    for label, rules in (("files", files_rules), ("ruler", ruler_file)):
        test = tmp_path / f"{label}_test.yml"
        test.write_text(RULE_TEST.replace("RULES", json.dumps(str(rules))), encoding="utf-8")
        tests.append(str(test))
    done = subprocess.run([promtool, "test", "rules", *tests], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("SUCCESS") == 2, done.stdout
