"""Rendering (pure): golden bodies, Azure's fixed sets at validate time, severities, action groups, PromQL parity."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from monaco.backends.azure_monitor.action_groups import short_name
from monaco.backends.azure_monitor.backend import AzureMonitorBackend
from monaco.backends.azure_monitor.rule_groups import promql_part
from monaco.backends.base import RenderResult
from monaco.backends.promrules.service_rules import service_groups
from monaco.diagnostics import Level
from monaco.ir.nodes import Service
from monaco.plan.yamltext import dump_yaml
from monaco.spec.types import format_duration
from tests.azure_monitor import builders as b
from tests.conftest import require_tool

GOLDEN = Path(__file__).parent / "golden"


def full_service() -> Service:
    """A service with every kind of rule: metric, log and PromQL alerts; KQL, PromQL and platform SLOs."""
    alerts = (
        b.alert("Http5xx"),
        b.alert("LogErrors", source=b.log_source(), for_seconds=1800),
        b.alert("HighCPU", source=b.prom_source(), severity="critical", for_seconds=600),
    )
    return b.service(alerts=alerts, slos=(b.kql_slo(), b.prom_slo(), b.metric_slo()))


def render(*services: Service, **config: Any) -> RenderResult:
    """Render `services` on a target with `config` overrides."""
    target = b.target(b.config(**config), *services)
    return AzureMonitorBackend().render(b.model(*services), target, b.fingerprint)


def by_key(result: RenderResult) -> dict[str, Any]:
    """Rendered bodies by resource key."""
    return {r.key: r.body for r in result.resources}


def test_rendered_bodies_match_golden_files(update_golden: bool) -> None:
    """Every resource's body, as compile writes it, against its reviewed golden file."""
    result = render(full_service())
    files = AzureMonitorBackend().compile_files(b.target(b.config()), result.resources)
    if update_golden:
        for old in GOLDEN.rglob("*.json"):
            old.unlink()
        for name, text in files.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = {str(p.relative_to(GOLDEN)): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.json")}
    assert files == expected, "rendered bodies differ from tests/azure_monitor/golden; rerun with --update-golden"


def test_render_is_deterministic() -> None:
    """The same input gives the same bytes."""
    first, second = render(full_service()), render(full_service())
    assert [r.to_json() for r in first.resources] == [r.to_json() for r in second.resources]


def test_what_azure_cannot_express_is_reported_never_dropped() -> None:
    """The platform-metric SLO (MON904) and the ticket tier's 3d window (MON905), at their default levels."""
    codes = {(d.code, d.level) for d in render(full_service()).diagnostics}
    assert codes == {("MON904", Level.WARNING), ("MON905", Level.WARNING)}


def test_levels_are_set_by_the_target() -> None:
    """`levels: {MON904: error}` makes the platform-metric SLO an error."""
    found = [d for d in render(full_service(), levels={"MON904": "error"}).diagnostics if d.code == "MON904"]
    assert [d.level for d in found] == [Level.ERROR]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"window": "10m"}, "window PT10M is not one Azure accepts"),
        ({"frequency": "2m"}, "evaluation frequency PT2M is not one Azure accepts"),
        ({"frequency": "15m", "window": "5m"}, "window PT5M is shorter than the frequency PT15M"),
    ],
)
def test_metric_alert_timing_outside_azures_sets_is_mon903_with_the_spec_line(
    overrides: dict[str, str], message: str
) -> None:
    """A window or frequency outside Azure's fixed sets is an error at validate, on the alert's line."""
    svc = b.service(alerts=(b.alert("Http5xx", source=b.metric_source(**overrides), origin=b.span(41)),))
    result = render(svc)
    found = [d for d in result.diagnostics if d.code == "MON903"]
    assert len(found) == 1 and message in found[0].message and found[0].span == b.span(41)
    assert not [r for r in result.resources if r.kind == "metric_alert"]


def test_log_alert_one_minute_window_needs_one_minute_frequency() -> None:
    """PT1M windows only with PT1M frequency (azurerm docs)."""
    svc = b.service(alerts=(b.alert("Logs", source=b.log_source(window="1m", frequency="5m")),))
    assert [d.code for d in render(svc).diagnostics] == ["MON903"]


def test_severities_map_to_azure_zero_to_four_and_can_be_configured() -> None:
    """critical 0, high 1, medium 2, low 3 by rank; `severities` overrides one."""
    alerts = tuple(b.alert(f"A{s}", severity=s) for s in ("critical", "high", "medium", "low"))
    svc = b.service(alerts=alerts)
    found = {k: v["properties"]["severity"] for k, v in by_key(render(svc)).items() if k.startswith("metric_alert")}
    assert found == {
        f"metric_alert.monaco-checkout-A{s}": i for i, s in enumerate(("critical", "high", "medium", "low"))
    }
    custom = by_key(render(svc, severities={"low": 4}))
    assert custom["metric_alert.monaco-checkout-Alow"]["properties"]["severity"] == 4


def test_not_equal_is_not_expressible() -> None:
    """`!=` is MON902; a dynamic threshold takes only above or below."""
    svc = b.service(alerts=(b.alert("Neq", comparison="not_equal"),))
    assert [d.code for d in render(svc).diagnostics] == ["MON902"]
    dyn = b.service(alerts=(b.alert("Dyn", source=b.metric_source(dynamic="Medium"), comparison="above_or_equal"),))
    assert [d.code for d in render(dyn).diagnostics] == ["MON902"]


def test_dynamic_threshold_uses_multiple_resource_criteria() -> None:
    """A dynamic source renders DynamicThresholdCriterion with its sensitivity."""
    svc = b.service(alerts=(b.alert("Dyn", source=b.metric_source(dynamic="High")),))
    criteria = by_key(render(svc))["metric_alert.monaco-checkout-Dyn"]["properties"]["criteria"]
    assert criteria["odata.type"] == "Microsoft.Azure.Monitor.MultipleResourceMultipleMetricCriteria"
    assert criteria["allOf"][0]["criterionType"] == "DynamicThresholdCriterion"
    assert criteria["allOf"][0]["alertSensitivity"] == "High"


def test_one_action_group_per_routed_receiver_set_with_secrets_as_fingerprints() -> None:
    """Two receiver sets -> two groups; secrets only as fingerprints, references kept per JSON pointer."""
    result = render(full_service())
    groups = {r.name: r for r in result.resources if r.kind == "action_group"}
    assert sorted(groups) == ["monaco-ag-payments-hook_payments-mail", "monaco-ag-payments-pager"]
    pager = groups["monaco-ag-payments-pager"]
    uri = pager.body["properties"]["webhookReceivers"][0]["serviceUri"]
    assert (
        uri == f"https://events.pagerduty.com/integration/secret:{b.fingerprint('env:PD_PAYMENTS_KEY', None)}/enqueue"
    )
    assert pager.secrets == {"/properties/webhookReceivers/0/serviceUri": "env:PD_PAYMENTS_KEY"}
    text = json.dumps([r.to_json() for r in result.resources])
    assert all(secret not in text for secret in b.SECRETS.values())


def test_group_short_names_are_deterministic_and_at_most_12() -> None:
    """groupShortName is the first receiver's start plus a hash of the set: stable, unique per set, <= 12."""
    sets = [("payments-pager",), ("payments-hook", "payments-mail"), ("a",), ("x" * 40, "y")]
    names = [short_name(s) for s in sets]
    assert all(1 <= len(n) <= 12 for n in names) and len(set(names)) == len(names)
    assert short_name(("payments-mail", "payments-hook")) == short_name(("payments-hook", "payments-mail"))


def test_unrouted_alert_is_mon906() -> None:
    """An alert that reaches no receiver is a warning and carries no action group."""
    svc = b.service(alerts=(b.alert("Lonely"),))
    svc = Service(**{**{f: getattr(svc, f) for f in svc.__dataclass_fields__}, "routes": ()})
    result = render(svc)
    assert [d.code for d in result.diagnostics] == ["MON906"]
    assert "actions" not in by_key(result)["metric_alert.monaco-checkout-Lonely"]["properties"]


def test_alert_without_azure_source_or_workspace_is_mon901() -> None:
    """PromQL without a monitor_workspace cannot be placed: MON901 at the target's level."""
    svc = b.service(alerts=(b.alert("Cpu", source=b.prom_source()),))
    assert [d.code for d in render(svc, monitor_workspace=None).diagnostics] == ["MON901"]


def _prometheus_form(rule_group: dict[str, Any], name: str) -> dict[str, Any]:
    """An Azure rule group's rules written back as a Prometheus rule group (for comparison and promtool)."""
    rules = []
    for rule in rule_group["properties"]["rules"]:
        out: dict[str, Any] = {("record" if "record" in rule else "alert"): rule.get("record") or rule["alert"]}
        out["expr"] = rule["expression"]
        if "for" in rule:
            out["for"] = format_duration({"PT10M": 600, "PT2M": 120, "PT15M": 900, "PT1H": 3600}[rule["for"]])
        for key in ("labels", "annotations"):
            if key in rule:
                out[key] = rule[key]
        rules.append(out)
    return {"name": name, "rules": rules}


def test_rule_groups_hold_exactly_the_prometheus_backends_rules(tmp_path: Path) -> None:
    """The rule groups' rules are the Prometheus backend's (same expressions, labels, annotations); promtool agrees."""
    svc = full_service()
    expected, _ = service_groups(promql_part(svc), lambda code: Level.WARNING)
    bodies = by_key(render(svc))
    azure = [_prometheus_form(bodies[f"rule_group.monaco-{g.name}"], g.name) for g in expected]
    prometheus = [{"name": g.name, "rules": g.body["rules"]} for g in expected]
    assert azure == prometheus and len(azure) == 2
    path = tmp_path / "azure.rules.yml"
    path.write_text(dump_yaml({"groups": azure}), encoding="utf-8")
    promtool = require_tool("promtool")
    result = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "SUCCESS" in result.stdout, result.stdout + result.stderr


def test_rule_group_alerts_route_through_the_ir() -> None:
    """The critical PromQL alert reaches the pager's action group; its rule carries Azure severity 0."""
    rules = by_key(render(full_service()))["rule_group.monaco-checkout"]["properties"]["rules"]
    cpu = next(r for r in rules if r.get("alert") == "HighCPU")
    assert cpu["severity"] == 0 and cpu["for"] == "PT10M"
    assert cpu["actions"] == [{"actionGroupId": b.config().action_group_id("monaco-ag-payments-pager")}]
