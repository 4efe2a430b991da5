"""Quiet hours on azure_monitor through the CLI: validate reports what Azure cannot say at its line; apply
creates one alert processing rule per quiet route in the fake ARM; plan is then empty; dropping a route's
`mute_during` deletes its rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from monaco.cli.main import main
from tests.fakes.azure_arm import AzureArmFake, azure_arm_server, azure_fake

__all__ = ["azure_arm_server", "azure_fake"]  # pytest finds fixtures by the names a module holds

SUB = "00000000-0000-4000-8000-000000000000"
SITE = f"/subscriptions/{SUB}/resourceGroups/rg-shop/providers/Microsoft.Web/sites/shop"
TOKEN_ENV = "MONACO_TEST_AZURE_TOKEN"
INTERVALS = [
    {
        "name": "business-hours",
        "intervals": [
            {
                "weekdays": ["monday:friday"],
                "times": [{"start_time": "09:00", "end_time": "17:00"}],
                "location": "Europe/Berlin",
            }
        ],
    },
    {"name": "sunday-maintenance", "intervals": [{"weekdays": ["sunday"], "location": "Europe/Berlin"}]},
]


def _alert(name: str, severity: str, metric: str) -> dict[str, Any]:
    source = {"scope": SITE, "namespace": "Microsoft.Web/sites", "metric": metric, "aggregation": "Total"}
    summary = f"{name} above 10 on shop"
    return {"name": name, "severity": severity, "when": {"above": 10}, "source": {"azure": source}, "summary": summary}


def write_workspace(root: Path, fake: AzureArmFake, intervals: list[dict[str, Any]], mute: bool = True) -> None:
    """Specs (Settings, a team, shop: a critical alert muted on Sundays, a low one only in business hours)
    and an azure_monitor target pointed at the fake."""
    pager_route: dict[str, Any] = {"match": {"severity": "critical"}, "to": ["pager"]}
    if mute:
        pager_route["mute_during"] = ["sunday-maintenance"]
    service = {
        "apiVersion": "monaco/v1",
        "kind": "Service",
        "metadata": {"name": "shop", "team": "web"},
        "alerts": [_alert("Http5xx", "critical", "Http5xx"), _alert("Http4xx", "low", "Http4xx")],
        "routes": [pager_route, {"match": {}, "to": ["mail"], "active_during": ["business-hours"]}],
        "receivers": [
            {"name": "pager", "webhook": {"url": "https://pager.example.com/hook"}},
            {"name": "mail", "email": {"to": ["web@example.com"]}},
        ],
    }
    docs = [
        {"apiVersion": "monaco/v1", "kind": "Settings", "time_intervals": intervals},
        {"apiVersion": "monaco/v1", "kind": "Team", "metadata": {"name": "web"}},
        service,
    ]
    (root / "specs").mkdir(parents=True, exist_ok=True)
    (root / "specs" / "shop.yaml").write_text("\n---\n".join(json.dumps(d, indent=2) for d in docs) + "\n")
    config = {
        "subscription_id": SUB,
        "resource_group": "rg-shop",
        "location": "westeurope",
        "base_url": fake.url,
        "ca_file": str(fake.ca_file),
        "credential": "access_token",
        "access_token": {"env": TOKEN_ENV},
        "retry_backoff_seconds": 0.01,
    }
    target = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": "azure"}, "backend": "azure_monitor"}
    (root / "targets").mkdir(exist_ok=True)
    (root / "targets" / "azure.yaml").write_text(json.dumps({**target, "config": config}, indent=2) + "\n")


def _run(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main([*args, "--specs", str(root / "specs"), "--targets", str(root / "targets")])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _processing_rules(fake: AzureArmFake) -> dict[str, Any]:
    documents = (json.loads(raw) for key, raw in fake.snapshot().items() if "/actionrules/" in key.lower())
    return {d["name"]: d["properties"] for d in documents}


def test_apply_creates_the_processing_rules_and_converges(
    tmp_path: Path, azure_fake: AzureArmFake, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two quiet routes, two processing rules; plan empty after; without the mute one is deleted."""
    monkeypatch.setenv(TOKEN_ENV, "test-token")
    write_workspace(tmp_path, azure_fake, INTERVALS)
    code, output = _run(capsys, tmp_path, "apply", "--auto-approve")
    assert code == 0, output
    assert "+ processing_rule.monaco-quiet-shop-route0" in output and "Resources: 6 added" in output, output
    rules = _processing_rules(azure_fake)
    assert rules["monaco-quiet-shop-route0"]["schedule"] == {
        "timeZone": "W. Europe Standard Time",
        "recurrences": [{"recurrenceType": "Weekly", "daysOfWeek": ["Sunday"]}],
    }
    assert len(rules["monaco-quiet-shop-route1"]["schedule"]["recurrences"]) == 3
    code, output = _run(capsys, tmp_path, "plan", "--detailed-exitcode")
    assert code == 0, output
    write_workspace(tmp_path, azure_fake, INTERVALS, mute=False)
    code, output = _run(capsys, tmp_path, "apply", "--auto-approve")
    assert code == 0 and "- processing_rule.monaco-quiet-shop-route0" in output, output
    assert sorted(_processing_rules(azure_fake)) == ["monaco-quiet-shop-route1"]


def test_validate_reports_a_period_azure_cannot_say_at_its_line(
    tmp_path: Path, azure_fake: AzureArmFake, capsys: pytest.CaptureFixture[str]
) -> None:
    """A December-only maintenance: MON912 with the Settings file's line, and no processing rule for it."""
    december = [INTERVALS[0], {"name": "sunday-maintenance", "intervals": [{"months": ["december"]}]}]
    write_workspace(tmp_path, azure_fake, december)
    code, output = _run(capsys, tmp_path, "validate")
    assert code == 0, output  # a warning at its registered level
    assert "MON912" in output and "shop.yaml:" in output and "months are not expressible" in output, output
