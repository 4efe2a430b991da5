"""Time intervals on Alertmanager: compiled configs pass `amtool check-config`, and a live Alertmanager mutes
a route during an interval that holds "now" and delivers when the interval does not."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import require_tool
from tests.e2e.live import WebhookReceiver, stopping
from tests.quiet_hours.live import alertmanager, base_config, receivers_hearing
from tests.quiet_hours.workspace import ACTIVE, MUTED, PLAIN, SERVICE, write_specs, write_target
from tests.tools.workspaces import REPO

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
"""Python's weekday() order."""

SHAPES: dict[str, list[dict[str, Any]]] = {
    "business hours in a zone": [
        {
            "times": [{"start_time": "09:00", "end_time": "17:00"}],
            "weekdays": ["monday:friday"],
            "location": "Europe/Berlin",
        }
    ],
    "weekends and nights": [
        {"weekdays": ["saturday", "sunday"]},
        {"times": [{"start_time": "00:00", "end_time": "07:00"}, {"start_time": "22:00", "end_time": "24:00"}]},
    ],
    "month ends": [{"days_of_month": ["-3:-1", "1"], "months": ["january:march", "12"]}],
    "a dated window": [{"days_of_month": [24, "25:26"], "months": ["december"], "years": ["2026", "2027:2028"]}],
    "every hour's first minutes": [{"times": [{"start_time": "00:00", "end_time": "00:15"}], "location": "UTC"}],
}


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def around_now() -> dict[str, Any]:
    """A period holding the current UTC moment: today's weekday, an hour either side (clipped to the day)."""
    now = datetime.datetime.now(datetime.UTC)
    minutes = now.hour * 60 + now.minute
    times = {"start_time": _hhmm(max(0, minutes - 60)), "end_time": _hhmm(min(24 * 60, minutes + 61))}
    return {"times": [times], "weekdays": [DAYS[now.weekday()]], "location": "UTC"}


def not_now() -> dict[str, Any]:
    """A period that does not hold the current moment: a weekday three days away."""
    return {"weekdays": [DAYS[(datetime.datetime.now(datetime.UTC).weekday() + 3) % 7]]}


def monaco(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """`python -m monaco ARGS`, stdin not a terminal, bounded."""
    argv = [sys.executable, "-m", "monaco", "--no-color", *map(str, args)]
    return subprocess.run(argv, cwd=REPO, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)


def _workspace(root: Path, periods: list[dict[str, Any]], base: dict[str, Any] | None = None) -> Path:
    """Specs whose routes use `window` (muted during it, and active only during it); returns the config path."""
    write_specs(root / "specs", "http://127.0.0.1:9", [{"name": "window", "intervals": periods}], "window", "window")
    config: dict[str, Any] = {"config_file": "../out/alertmanager.yml"}
    if base is not None:
        (root / "base.yml").write_text(json.dumps(base), encoding="utf-8")
        config["base_config"] = "../base.yml"
    write_target(root / "targets", "am", "alertmanager", config)
    return root / "out" / "alertmanager.yml"


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_compiled_intervals_pass_amtool(tmp_path: Path, shape: str) -> None:
    """Each shape compiles into `time_intervals` and the routes' fields, and amtool accepts the file."""
    amtool = require_tool("amtool")
    config = _workspace(tmp_path, SHAPES[shape])
    applied = monaco("apply", "--auto-approve", "--specs", tmp_path / "specs", "--targets", tmp_path / "targets")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    checked = subprocess.run([amtool, "check-config", str(config)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    data = YAML(typ="safe").load(config.read_text(encoding="utf-8"))
    [interval] = data["time_intervals"]
    assert interval["name"] == "window" and len(interval["time_intervals"]) == len(SHAPES[shape])
    [subtree] = data["route"]["routes"]
    by_receiver = {r["receiver"]: r for r in subtree["routes"]}
    assert by_receiver[MUTED]["mute_time_intervals"] == ["window"]
    assert by_receiver[ACTIVE]["active_time_intervals"] == ["window"]
    assert "mute_time_intervals" not in by_receiver[PLAIN] and "active_time_intervals" not in by_receiver[PLAIN]


def test_the_base_configs_intervals_are_kept_and_plan_after_apply_is_empty(tmp_path: Path) -> None:
    """A base config's own intervals stay (after monaco's); amtool accepts the merge; a second plan is empty."""
    amtool = require_tool("amtool")
    base = base_config("http://127.0.0.1:9")
    base["time_intervals"] = [{"name": "platform-freeze", "time_intervals": [{"months": ["december"]}]}]
    config = _workspace(tmp_path, [around_now()], base)
    args = ("--specs", tmp_path / "specs", "--targets", tmp_path / "targets")
    applied = monaco("apply", "--auto-approve", *args)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    data = YAML(typ="safe").load(config.read_text(encoding="utf-8"))
    assert [i["name"] for i in data["time_intervals"]] == ["window", "platform-freeze"]
    checked = subprocess.run([amtool, "check-config", str(config)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    planned = monaco("plan", "--detailed-exitcode", *args)
    assert planned.returncode == 0, planned.stdout + planned.stderr


def test_an_interval_named_like_the_base_configs_is_refused(tmp_path: Path) -> None:
    """MON306 at the Settings interval; nothing is written."""
    base = base_config("http://127.0.0.1:9")
    base["time_intervals"] = [{"name": "window", "time_intervals": [{"months": ["december"]}]}]
    config = _workspace(tmp_path, [not_now()], base)
    applied = monaco("apply", "--auto-approve", "--specs", tmp_path / "specs", "--targets", tmp_path / "targets")
    assert applied.returncode != 0 and "MON306" in applied.stdout + applied.stderr
    assert "settings.yaml:" in applied.stdout + applied.stderr
    assert not config.exists()


def _deliveries(root: Path, periods: list[dict[str, Any]]) -> set[str]:
    """Apply the specs with `window` = `periods`, run Alertmanager on the file, post a critical alert, and return
    the receivers the webhook heard from (waiting for the always-on one, then a few seconds more)."""
    webhook = WebhookReceiver()
    with stopping(webhook):
        webhook.start()
        write_specs(root / "specs", webhook.url, [{"name": "window", "intervals": periods}], "window", "window")
        (root / "base.yml").write_text(json.dumps(base_config(webhook.url)), encoding="utf-8")
        config = {"config_file": "../out/alertmanager.yml", "base_config": "../base.yml"}
        write_target(root / "targets", "am", "alertmanager", config)
        args = ("--specs", root / "specs", "--targets", root / "targets")
        applied = monaco("apply", "--auto-approve", *args)
        assert applied.returncode == 0, applied.stdout + applied.stderr
        with alertmanager(root, root / "out" / "alertmanager.yml") as url:
            return receivers_hearing(
                url, {"alertname": "CheckoutDown", "service": SERVICE, "severity": "critical"}, webhook
            )


def test_a_live_alertmanager_mutes_inside_the_interval(tmp_path: Path) -> None:
    """Now inside `window`: the muted route's receiver hears nothing, the active-during route's does."""
    assert _deliveries(tmp_path, [around_now()]) == {PLAIN, ACTIVE}


def test_a_live_alertmanager_delivers_outside_the_interval(tmp_path: Path) -> None:
    """Now outside `window`: the muted route's receiver is notified, the active-during route's is not."""
    assert _deliveries(tmp_path, [not_now()]) == {PLAIN, MUTED}
