"""SLOs on Azure: KQL tiers as one log alert each (both windows in the query), platform metrics' reported fallback."""

from __future__ import annotations

from typing import Any

from monaco.backends.azure_monitor.backend import AzureMonitorBackend
from monaco.backends.base import RenderResult
from monaco.diagnostics import Level
from monaco.ir.nodes import Service
from tests.azure_monitor import builders as b
from tests.azure_monitor.conftest import Azure


def render(*services: Service, **config: Any) -> RenderResult:
    """Render `services` on a target with `config` overrides."""
    return AzureMonitorBackend().render(b.model(*services), b.target(b.config(**config), *services), b.fingerprint)


def bodies(result: RenderResult, kind: str) -> dict[str, Any]:
    """Rendered bodies of one kind by name."""
    return {r.name: r.body for r in result.resources if r.kind == kind}


def test_kql_tier_is_one_log_alert_firing_only_when_both_windows_burn() -> None:
    """The page tier: one rule, both pairs ORed, each pair's long AND short ratio above its exact threshold."""
    result = render(b.service(slos=(b.kql_slo(),)))
    page = bodies(result, "log_alert")["monaco-checkout-slo-availability-page"]["properties"]
    query = page["criteria"]["allOf"][0]["query"]
    assert "| where (ratio_1h > 0.0144 and ratio_5m > 0.0144) or (ratio_6h > 0.006 and ratio_30m > 0.006)" in query
    assert "ago(3600s)" in query and "ago(300s)" in query
    assert page["windowSize"] == "PT6H" and page["criteria"]["allOf"][0]["threshold"] == 0.0
    assert page["severity"] == 0


def test_kql_windows_beyond_two_days_are_left_out_and_reported() -> None:
    """The ticket tier's 3d/6h pair is MON905 (warning by default); its 1d/2h pair stays."""
    result = render(b.service(slos=(b.kql_slo(),)))
    ticket = bodies(result, "log_alert")["monaco-checkout-slo-availability-ticket"]["properties"]
    assert "ratio_3d" not in ticket["criteria"]["allOf"][0]["query"] and ticket["windowSize"] == "P1D"
    assert [(d.code, d.level) for d in result.diagnostics] == [("MON905", Level.WARNING)]


def test_platform_ratio_slo_is_mon904_and_renders_no_rule() -> None:
    """Two platform metrics cannot be divided on Azure: MON904 and no burn rule."""
    result = render(b.service(slos=(b.metric_slo(),)))
    assert [d.code for d in result.diagnostics] == ["MON904"]
    assert not [r for r in result.resources if r.kind != "action_group"]


def test_platform_gauge_slo_falls_back_to_long_window_metric_alerts() -> None:
    """One metric alert per pair on its long window (Average below 1 - threshold), the 3d pair MON905, MON904 said."""
    result = render(b.service(slos=(b.gauge_slo(),)))
    found = bodies(result, "metric_alert")
    assert sorted(found) == [
        "monaco-checkout-slo-uptime-page-1h",
        "monaco-checkout-slo-uptime-page-6h",
        "monaco-checkout-slo-uptime-ticket-1d",
    ]
    page = found["monaco-checkout-slo-uptime-page-1h"]["properties"]
    criterion = page["criteria"]["allOf"][0]
    assert (criterion["operator"], criterion["threshold"], criterion["timeAggregation"]) == (
        "LessThan",
        0.9856,
        "Average",
    )
    assert page["windowSize"] == "PT1H"
    assert sorted(d.code for d in result.diagnostics) == ["MON904", "MON905"]


def test_slo_rules_converge_on_the_fake(azure: Azure) -> None:
    """KQL and fallback metric SLO rules are accepted by the fake ARM server and plan empty after apply."""
    svc = b.service(slos=(b.kql_slo(), b.gauge_slo()))
    azure.converge(b.model(svc), b.target(azure.config(), svc))
