"""Rendering: golden dashboards, validated by grafana-foundation-sdk's models, reading the rules' own series."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from grafana_foundation_sdk.cog import plugins
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import dashboard as models
from grafana_foundation_sdk.models import prometheus

from monaco import engine
from monaco.backends.grafana_dashboards.config import short_uid
from monaco.backends.promrules import record_names
from monaco.ir.burnmath import format_decimal
from tests.grafana_dashboards.helpers import CASE, Workspace, ws

__all__ = ["ws"]
GOLDEN = Path(__file__).parent / "golden"


def _compiled(ws: Workspace, tmp_path: Path) -> dict[str, str]:
    out = tmp_path / "out"
    ran = ws.run("compile", "--out", str(out))
    assert ran.code == 0, ran.output
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file()}


def _dashboards(files: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {name: json.loads(text) for name, text in files.items() if name.endswith(".json")}


def test_compiled_files_match_the_golden_files(ws: Workspace, tmp_path: Path, update_golden: bool) -> None:
    """The dashboards and provider YAML, byte for byte (`--update-golden` rewrites them, to be read in review)."""
    ws.write({"dashboards_dir": "../out/grafana"})
    files = _compiled(ws, tmp_path)
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, text in files.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    golden = {
        str(p.relative_to(GOLDEN)): p.read_text(encoding="utf-8") for p in sorted(GOLDEN.rglob("*")) if p.is_file()
    }
    assert files == golden


def test_every_dashboard_loads_back_through_the_sdk_models_unchanged(ws: Workspace, tmp_path: Path) -> None:
    """`Dashboard.from_json` keeps every key we wrote (nothing unknown to the schema) and types each query."""
    plugins.register_default_plugins()
    ws.write({"dashboards_dir": "../out/grafana"})
    boards = _dashboards(_compiled(ws, tmp_path))
    assert sorted(boards) == ["grafana-test/monaco-checkout.json"]
    for data in boards.values():
        model = models.Dashboard.from_json(data)
        assert json.loads(json.dumps(model, cls=JSONEncoder)) == data
        panels = [p for p in model.panels or [] if isinstance(p, models.Panel)]
        assert panels and all(p.type_val in ("timeseries", "state-timeline") for p in panels)
        queries = [t for p in panels for t in p.targets or []]
        assert queries and all(isinstance(q, prometheus.Dataquery) for q in queries)
        ids = [p.id_val for p in model.panels or []]
        assert len(set(ids)) == len(ids)


def _panel(board: dict[str, Any], title: str) -> dict[str, Any]:
    found = [p for p in board["panels"] if p["title"] == title]
    assert len(found) == 1, [p["title"] for p in board["panels"]]
    return found[0]


def test_the_numbers_drawn_are_the_irs_exact_values(ws: Workspace, tmp_path: Path) -> None:
    """Burn-rate steps are every pair's factor, the objective line is the objective, the alert line its threshold."""
    ws.write({"dashboards_dir": "../out/grafana"})
    board = next(iter(_dashboards(_compiled(ws, tmp_path)).values()))
    session = engine.load([ws.specs], [ws.targets])
    service = next(s for s in session.model.services if s.name == "checkout")
    slo = service.slos[0]
    steps = _panel(board, "availability: burn rate per window")["fieldConfig"]["defaults"]["thresholds"]["steps"]
    factors = sorted({pair.factor for tier in slo.tiers for pair in tier.windows})
    assert [s["value"] for s in steps[1:]] == [float(f) for f in factors]
    assert [json.dumps(s["value"]) for s in steps[1:]] == [
        format_decimal(f) if "." in format_decimal(f) else f"{f}.0" for f in factors
    ]
    sli = _panel(board, "availability: SLI against the 99.9% objective")["fieldConfig"]["defaults"]["thresholds"]
    assert sli["steps"][1]["value"] == float(slo.objective / 100) == 0.999
    cpu = _panel(board, "HighCPU (high)")
    assert cpu["fieldConfig"]["defaults"]["thresholds"]["steps"][1] == {"color": "red", "value": 0.9}
    assert cpu["links"][0]["url"] == "https://runbooks.example.com/checkout/cpu"
    disk = _panel(board, "LowDisk (medium)")["fieldConfig"]["defaults"]["thresholds"]["steps"]
    assert disk == [{"color": "red", "value": None}, {"color": "green", "value": 0.1}]


def test_grouped_slos_get_a_variable_per_grouping_label(ws: Workspace, tmp_path: Path) -> None:
    """`region` (latency's group_by) is a multi-value variable, and the latency queries filter by it."""
    ws.write({"dashboards_dir": "../out/grafana"})
    board = next(iter(_dashboards(_compiled(ws, tmp_path)).values()))
    variables = {v["name"]: v for v in board["templating"]["list"]}
    assert sorted(variables) == ["datasource", "region"]
    assert variables["region"]["query"] == 'label_values(slo:burn_rate:current{service="checkout"}, region)'
    assert variables["region"]["multi"] and variables["region"]["includeAll"]
    latency = _panel(board, "latency: burn rate per window")
    assert all('region=~"$region"' in t["expr"] for t in latency["targets"])
    availability = _panel(board, "availability: burn rate per window")
    assert not any("$region" in t["expr"] for t in availability["targets"])


SERIES = re.compile(r"\b(slo:[a-z_]+:[a-z_0-9]+)")


def test_every_series_a_dashboard_reads_is_one_the_prometheus_backend_records(ws: Workspace, tmp_path: Path) -> None:
    """The recording-rule names are one contract: compile a Prometheus target beside and find each name recorded."""
    ws.write({"dashboards_dir": "../out/grafana"})
    target = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": "rules"}}
    (ws.targets / "rules.yaml").write_text(
        json.dumps(
            target | {"backend": "prometheus", "config": {"rules_dir": "../out/rules", "levels": {"MON244": "warning"}}}
        ),
        encoding="utf-8",
    )
    files = _compiled(ws, tmp_path)
    rules = "\n".join(text for name, text in files.items() if name.endswith(".rules.yml"))
    recorded = set(re.findall(r"record: (\S+)", rules))
    board = next(iter(_dashboards(files).values()))
    read = {name for p in board["panels"] for t in p.get("targets", []) for name in SERIES.findall(t["expr"])}
    read |= set(SERIES.findall(json.dumps(board["templating"])))
    assert read and read <= recorded, read - recorded
    assert record_names.BUDGET_REMAINING in read and record_names.error_ratio("1h") in read


def test_what_cannot_be_drawn_is_reported_at_the_level_the_target_sets(ws: Workspace) -> None:
    """MON601 (alert), MON602 (SLO), MON603 (service) as registered; `levels` turns MON603 into an error."""
    ws.write({"dashboards_dir": "../out/grafana"})
    ran = ws.run("validate")
    assert ran.code == 0, ran.output
    assert "warning[MON601]" in ran.output and "QueueBacklog" in ran.output
    assert "warning[MON602]" in ran.output and "cloud-only" in ran.output
    assert "info[MON603]" in ran.output and "ledger" in ran.output
    ws.write({"dashboards_dir": "../out/grafana", "levels": {"MON603": "error"}})
    failed = ws.run("validate")
    assert failed.code == 1 and "error[MON603]" in failed.output


@pytest.mark.parametrize("name", ["checkout", "a" * 60, "payments-api-gateway-eu-west-1-primary"])
def test_uids_are_deterministic_valid_and_at_most_40_characters(name: str) -> None:
    """Short names are kept; long ones are cut and keep a hash of the whole, so two never collide."""
    uid = short_uid(f"monaco-{name}")
    assert uid == short_uid(f"monaco-{name}") and len(uid) <= 40 and re.fullmatch(r"[a-zA-Z0-9_-]+", uid)
    assert (uid == f"monaco-{name}") == (len(f"monaco-{name}") <= 40)
    assert short_uid(f"monaco-{name}x") != uid


def test_the_case_specs_exist() -> None:
    """The workspace these tests compile is in the repository."""
    assert (CASE / "specs" / "checkout.yaml").is_file()
