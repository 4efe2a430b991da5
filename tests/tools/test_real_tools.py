"""Compiled output checked by the real tools: `promtool check rules`, `amtool check-config`, `amtool config routes test`."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from monaco import engine
from monaco.ir.routing import receivers_for
from tests.conftest import require_tool
from tests.tools.workspaces import Compiled, Workspace, all_workspaces, monaco

WORKSPACES = all_workspaces()
IDS = [ws.name for ws in WORKSPACES]
TABLE_FILE = Path(__file__).with_name("routing_table.yaml")


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run one tool, capturing output; never raises on a non-zero exit."""
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=60, check=False)


def _only(paths: list[Path], what: str) -> Path:
    """The single file of a kind a workspace compiles to (every workspace here has one Alertmanager target)."""
    assert len(paths) == 1, f"expected one {what}, found {paths}"
    return paths[0]


def _expected_rule_count(workspace: Workspace) -> int:
    """Alerting rules the specs ask for: one per alert with a Prometheus source (SLO rules come on top)."""
    return sum(
        1
        for service in workspace.of_kind("Service")
        for alert in service.get("alerts") or []
        if "prometheus" in alert["source"]
    )


@pytest.mark.parametrize("name", IDS)
def test_promtool_accepts_every_rule_file(name: str, compiled: dict[str, Compiled]) -> None:
    """Every compiled rule file passes `promtool check rules` with duplicate-rule lint fatal; no alert is dropped."""
    promtool = require_tool("promtool")
    output = compiled[name]
    assert output.rule_files, f"{name} compiled no rule files"
    found = 0
    for path in output.rule_files:
        result = _run(promtool, "check", "rules", "--lint=all", "--lint-fatal", path)
        assert result.returncode == 0, f"{path.name}:\n{result.stdout}{result.stderr}"
        counts = re.findall(r"SUCCESS: (\d+) rules found", result.stdout)
        assert len(counts) == 1, result.stdout
        found += int(counts[0])
    has_slos = any(s.get("slos") for s in output.workspace.of_kind("Service"))
    expected = _expected_rule_count(output.workspace)
    assert found >= expected if has_slos else found == expected


@pytest.mark.parametrize("name", IDS)
def test_amtool_accepts_the_alertmanager_config(name: str, compiled: dict[str, Compiled]) -> None:
    """The merged Alertmanager config passes `amtool check-config` and holds every receiver the specs define."""
    amtool = require_tool("amtool")
    path = _only(compiled[name].alertmanager_configs, "Alertmanager config")
    result = _run(amtool, "check-config", path)
    assert result.returncode == 0, f"{path}:\n{result.stdout}{result.stderr}"
    assert "SUCCESS" in result.stdout
    receivers = int(re.search(r"(\d+) receivers", result.stdout)[1])  # type: ignore[index]
    defined = sum(
        len(d.get("receivers") or [])
        for d in compiled[name].workspace.of_kind("Team") + compiled[name].workspace.of_kind("Service")
    )
    assert receivers >= defined + 1, "the base config's root receiver plus every spec receiver in use"


def resolve_receivers(amtool: str, config: Path, labels: dict[str, str]) -> list[str]:
    """The receivers Alertmanager picks for an alert with `labels`, in routing-tree order (`amtool config routes test`)."""
    result = _run(
        amtool, "config", "routes", "test", f"--config.file={config}", *(f"{k}={v}" for k, v in labels.items())
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[0].split(",")


@dataclass(frozen=True, slots=True)
class Case:
    """One row of the routing table: an alert's labels and the receivers it must reach, in order."""

    workspace: str
    labels: dict[str, str]
    receivers: tuple[str, ...]
    why: str

    @property
    def id(self) -> str:
        """A readable test id."""
        return f"{self.workspace}:{self.why}"


def _load_table() -> list[Case]:
    """The rows of `routing_table.yaml`."""
    data = YAML(typ="safe").load(TABLE_FILE.read_text(encoding="utf-8"))
    return [
        Case(workspace, {str(k): str(v) for k, v in row["labels"].items()}, tuple(row["receivers"]), row["why"])
        for workspace, rows in data.items()
        for row in rows
    ]


ROUTING_TABLE = _load_table()


@pytest.mark.parametrize("case", ROUTING_TABLE, ids=[c.id for c in ROUTING_TABLE])
def test_routing_table(case: Case, compiled: dict[str, Compiled]) -> None:
    """`amtool config routes test --verify.receivers` resolves each label set to exactly the expected receivers."""
    amtool = require_tool("amtool")
    config = _only(compiled[case.workspace].alertmanager_configs, "Alertmanager config")
    labels = [f"{k}={v}" for k, v in case.labels.items()]
    result = _run(
        amtool,
        "config",
        "routes",
        "test",
        f"--config.file={config}",
        f"--verify.receivers={','.join(case.receivers)}",
        *labels,
    )
    assert result.returncode == 0, (
        f"{case.labels} -> {result.stdout.strip()} (expected {','.join(case.receivers)})\n{result.stderr}"
    )


def test_routing_table_covers_every_workspace() -> None:
    """Each workspace has rows for its fallthrough to the team default and to the base config's root receiver."""
    for name in IDS:
        rows = [c for c in ROUTING_TABLE if c.workspace == name]
        assert any(c.receivers == ("platform-default",) for c in rows), f"{name}: no unknown-service row"
        assert len(rows) >= 4, f"{name}: too few routing rows"


@pytest.mark.parametrize("workspace", WORKSPACES, ids=IDS)
def test_alertmanager_routing_agrees_with_the_ir(workspace: Workspace, compiled: dict[str, Compiled]) -> None:
    """For every service, severity and route matcher, Alertmanager's routing equals monaco's own `receivers_for`."""
    amtool = require_tool("amtool")
    config = _only(compiled[workspace.name].alertmanager_configs, "Alertmanager config")
    session = engine.load([workspace.specs], [workspace.targets])
    assert session.model is not None and not session.diagnostics.has_errors
    root = next(t for t in session.targets if t.backend == "alertmanager")
    base = next(r for r in engine.render(session, root)[1].resources if r.kind == "base_config")
    root_receiver = str(base.body["config"]["route"]["receiver"])
    checked = 0
    for service in session.model.services:
        identity = {"service": service.name, "team": service.team}
        extras = [{}] + [{m.label: m.values[-1] for m in route.matchers} for route in service.routes]
        for severity in [s.name for s in session.model.severities] + ["unknown-severity"]:
            for extra in extras:
                labels = {**identity, "severity": severity, **extra}
                expected = list(receivers_for(service, labels)) or [root_receiver]
                assert resolve_receivers(amtool, config, labels) == expected, labels
                checked += 1
    assert checked >= len(session.model.services) * 5


@pytest.mark.parametrize("workspace", WORKSPACES, ids=IDS)
def test_every_compiled_alert_reaches_its_team(workspace: Workspace, compiled: dict[str, Compiled]) -> None:
    """Each alerting rule monaco compiled (threshold and SLO alike), with its static labels, routes to the
    receivers the IR predicts, and never falls through to the platform's root receiver."""
    amtool = require_tool("amtool")
    config = _only(compiled[workspace.name].alertmanager_configs, "Alertmanager config")
    session = engine.load([workspace.specs], [workspace.targets])
    assert session.model is not None
    services = {s.name: s for s in session.model.services}
    checked = 0
    for rule_file in compiled[workspace.name].rule_files:
        for group in YAML(typ="safe").load(rule_file.read_text(encoding="utf-8"))["groups"]:
            for rule in (r for r in group["rules"] if "alert" in r):
                labels = {**{str(k): str(v) for k, v in rule["labels"].items()}, "alertname": rule["alert"]}
                expected = list(receivers_for(services[labels["service"]], labels))
                assert expected, f"{rule['alert']} in {group['name']} reaches no team receiver"
                assert resolve_receivers(amtool, config, labels) == expected, labels
                checked += 1
    assert checked == sum(1 for _ in _alert_rules(compiled[workspace.name]))


def _alert_rules(output: Compiled) -> list[str]:
    """Names of every alerting rule in a workspace's compiled rule files (by text, independent of the YAML walk)."""
    return [
        m
        for path in output.rule_files
        for m in re.findall(r"^\s+- alert: (\S+)$", path.read_text(encoding="utf-8"), re.M)
    ]


@pytest.mark.parametrize("workspace", WORKSPACES, ids=IDS)
def test_rule_tests_in_specs_pass_under_promtool(workspace: Workspace) -> None:
    """`monaco test` runs every spec's `tests:` against the compiled rules with the real promtool; all pass."""
    promtool = require_tool("promtool")
    written = sum(len(s.get("tests") or []) for s in workspace.of_kind("Service"))
    if workspace.name.startswith("examples/"):
        assert written >= 1, f"{workspace.name} carries no rule test"
    result = monaco("test", "--specs", workspace.specs, "--targets", workspace.targets, "--promtool", promtool)
    assert result.returncode == 0, f"{result.stdout}{result.stderr}"
    summary = re.search(r"(\d+) rule tests, (\d+) failed", result.stdout + result.stderr)
    assert summary, result.stdout + result.stderr
    assert int(summary[1]) >= written and summary[2] == "0"
