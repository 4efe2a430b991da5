"""Grafana's mute timings checked by the real Alertmanager whose time intervals Grafana embeds.

Grafana has no local server here, but its notification policies and mute timings are Alertmanager's
(`MuteTimeInterval`, `mute_time_intervals`, `active_time_intervals`). So the grafana_alerting target's
compiled mute timings, subtree and contact points are put into an Alertmanager config as they are:
`amtool check-config` accepts every shape, and a live Alertmanager mutes and delivers by them. The live
periods name the current month and year, which Grafana's spelling turns into numbers, so a wrong
re-spelling would show as a wrong delivery.
"""

from __future__ import annotations

import datetime
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from monaco.spec.time_intervals import MONTHS
from tests.conftest import require_tool
from tests.e2e.live import WebhookReceiver, stopping
from tests.quiet_hours.live import FAST_ROOT, alertmanager, receivers_hearing
from tests.quiet_hours.test_alertmanager_intervals import SHAPES, around_now, monaco, not_now
from tests.quiet_hours.workspace import ACTIVE, MUTED, PLAIN, SERVICE, write_specs, write_target

TARGET = "grafana"


def _compiled(root: Path, webhook: str, periods: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The grafana_alerting target's compiled objects for specs whose routes use `window`, by kind."""
    write_specs(root / "specs", webhook, [{"name": "window", "intervals": periods}], "window", "window")
    write_target(root / "targets", TARGET, "grafana_alerting", {"url": "http://127.0.0.1:9", "datasource_uid": "p"})
    out = root / "out"
    done = monaco("compile", "--specs", root / "specs", "--targets", root / "targets", "--out", out)
    assert done.returncode == 0, done.stdout + done.stderr
    return {
        kind: [json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / TARGET / kind).glob("*.json"))]
        for kind in ("mute_timing", "policy", "contact_point")
    }


def _am_route(route: dict[str, Any]) -> dict[str, Any]:
    """A Grafana policy route as an Alertmanager route: `object_matchers` as matcher strings, the rest as is."""
    converted = {k: v for k, v in route.items() if k not in ("object_matchers", "routes")}
    if route.get("object_matchers"):
        converted["matchers"] = [f'{label}{op}"{value}"' for label, op, value in route["object_matchers"]]
    if route.get("routes"):
        converted["routes"] = [_am_route(child) for child in route["routes"]]
    return converted


def am_config(compiled: dict[str, list[dict[str, Any]]], fallback: str) -> dict[str, Any]:
    """Grafana's objects in one Alertmanager config: the timings as `time_intervals`, the subtree under a root."""
    receivers = [
        {
            "name": point["name"],
            "webhook_configs": [{"url": point["settings"]["url"], "send_resolved": not point["disableResolveMessage"]}],
        }
        for point in compiled["contact_point"]
    ]
    (subtree,) = compiled["policy"]
    return {
        "route": {**FAST_ROOT, "routes": [_am_route(subtree)]},
        "receivers": [{"name": FAST_ROOT["receiver"], "webhook_configs": [{"url": fallback}]}, *receivers],
        "time_intervals": compiled["mute_timing"],
    }


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_grafanas_mute_timings_pass_amtool(tmp_path: Path, shape: str) -> None:
    """Each shape's timing, in Grafana's spelling, with the subtree naming it, is a valid Alertmanager config."""
    amtool = require_tool("amtool")
    compiled = _compiled(tmp_path, "http://127.0.0.1:9", SHAPES[shape])
    (timing,) = compiled["mute_timing"]
    assert timing["name"] == f"monaco-{TARGET}.window" and len(timing["time_intervals"]) == len(SHAPES[shape])
    config = tmp_path / "alertmanager.yml"
    config.write_text(json.dumps(am_config(compiled, "http://127.0.0.1:9/x")), encoding="utf-8")
    checked = subprocess.run([amtool, "check-config", str(config)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _this_month() -> dict[str, Any]:
    now = datetime.datetime.now(datetime.UTC)
    return {"months": [MONTHS[now.month - 1]], "years": [str(now.year)]}


def _deliveries(root: Path, periods: list[dict[str, Any]]) -> set[str]:
    """Compile Grafana's objects with `window` = `periods`, run Alertmanager on them, post checkout's critical
    alert (labelled for the target's subtree), and return the receivers the webhook heard from."""
    webhook = WebhookReceiver()
    with stopping(webhook):
        webhook.start()
        compiled = _compiled(root, webhook.url, periods)
        config = root / "alertmanager.yml"
        config.write_text(json.dumps(am_config(compiled, f"{webhook.url}/x")), encoding="utf-8")
        with alertmanager(root, config) as url:
            labels = {"alertname": "CheckoutDown", "service": SERVICE, "severity": "critical", "monaco_owner": TARGET}
            return receivers_hearing(url, labels, webhook)


def test_a_live_alertmanager_mutes_by_grafanas_timing_inside_the_interval(tmp_path: Path) -> None:
    """Now (this weekday, hour, month and year) inside `window`: the muted route is silent, the active one heard."""
    assert _deliveries(tmp_path, [around_now() | _this_month()]) == {PLAIN, ACTIVE}


def test_a_live_alertmanager_delivers_by_grafanas_timing_outside_the_interval(tmp_path: Path) -> None:
    """Now outside `window`: the muted route's receiver is notified, the active-during route's is not."""
    assert _deliveries(tmp_path, [not_now() | _this_month()]) == {PLAIN, MUTED}
