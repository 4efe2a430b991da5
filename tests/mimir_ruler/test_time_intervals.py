"""Quiet hours on a mimir_ruler tenant's Alertmanager config: the intervals the routes use go in with them
(Mimir refuses a route naming an undefined interval), beside the tenant's own, read back and diffed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli_run import Run, run_cli
from tests.conftest import require_tool
from tests.fakes.mimir import MimirFake
from tests.mimir_ruler.conftest import TENANT, mimir_fake, mimir_server, ruler_config
from tests.quiet_hours.workspace import ACTIVE, MUTED, PLAIN, write_specs, write_target

__all__ = ["mimir_fake", "mimir_server"]

WINDOW = {"name": "window", "intervals": [{"weekdays": ["monday:friday"], "location": "Europe/Berlin"}]}
UNUSED = {"name": "unused", "intervals": [{"months": ["december"]}]}
TENANT_CONFIG = """\
route:
  receiver: platform
  routes:
    - {receiver: platform, matchers: ['team="db"'], mute_time_intervals: [platform-freeze]}
receivers: [{name: platform}]
time_intervals:
  - name: platform-freeze
    time_intervals: [{months: [december], days_of_month: ['20:31']}]
"""


class Quiet:
    """The quiet-hours workspace on one mimir_ruler target with `alertmanager: true`, run in-process."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str], fake: MimirFake) -> None:
        self.root, self.capsys, self.fake = root, capsys, fake
        self.specs(WINDOW, UNUSED)
        self.target()

    def specs(self, *intervals: dict[str, Any]) -> None:
        """Settings with `intervals`; checkout's routes muted / active during `window`."""
        write_specs(self.root / "specs", "http://127.0.0.1:9", list(intervals), "window", "window")

    def target(self, **extra: Any) -> None:
        """The one target, on the fake."""
        write_target(self.root / "targets", "mimir", "mimir_ruler", ruler_config(self.fake, alertmanager=True, **extra))

    def run(self, *args: str) -> Run:
        """`monaco ARGS` on the workspace."""
        return run_cli(self.capsys, self.root / "specs", self.root / "targets", args, ())

    def stored(self) -> dict[str, Any]:
        """The tenant's config as the fake holds it, parsed."""
        data: dict[str, Any] = yaml.safe_load(self.fake.store.alertmanager[TENANT]["alertmanager_config"])
        return data

    def seed(self, text: str) -> None:
        """The tenant's own config, stored out of band."""
        with self.fake.store.lock:
            self.fake.store.alertmanager[TENANT] = {"template_files": {}, "alertmanager_config": text}


@pytest.fixture
def quiet(tmp_path: Path, capsys: pytest.CaptureFixture[str], mimir_fake: MimirFake) -> Quiet:
    """The workspace, on an empty fake tenant."""
    return Quiet(tmp_path, capsys, mimir_fake)


def _amtool_check(config: dict[str, Any], tmp: Path) -> None:
    path = tmp / "checked.yml"
    path.write_text(json.dumps(config), encoding="utf-8")
    done = subprocess.run(
        [require_tool("amtool"), "check-config", str(path)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _checkout_routes(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """checkout's child routes by receiver."""
    subtree = next(r for r in config["route"]["routes"] if r.get("matchers") == ['service="checkout"'])
    return {r["receiver"]: r for r in subtree["routes"]}


def test_compile_writes_the_used_intervals_only(quiet: Quiet, tmp_path: Path) -> None:
    """alertmanager.yaml defines `window` (not the unused interval) beside the routes naming it; amtool accepts it."""
    assert quiet.run("compile", "--out", str(tmp_path / "out")).code == 0
    config = yaml.safe_load((tmp_path / "out" / "mimir" / "alertmanager.yaml").read_text(encoding="utf-8"))
    assert config["time_intervals"] == [
        {"name": "window", "time_intervals": [{"weekdays": ["monday:friday"], "location": "Europe/Berlin"}]}
    ]
    routes = _checkout_routes(config)
    assert routes[MUTED]["mute_time_intervals"] == ["window"] and routes[ACTIVE]["active_time_intervals"] == ["window"]
    assert "mute_time_intervals" not in routes[PLAIN]
    _amtool_check(config, tmp_path)


def test_apply_to_an_empty_tenant_then_plan_is_empty(quiet: Quiet, tmp_path: Path) -> None:
    """The fake (which refuses an undefined interval) takes the config; the plan after it is empty."""
    planned = quiet.run("plan")
    assert planned.code == 0 and "time_intervals" in planned.output, planned.output
    assert quiet.run("apply", "--auto-approve").code == 0
    assert [i["name"] for i in quiet.stored()["time_intervals"]] == ["window"]
    _amtool_check(quiet.stored(), tmp_path)
    assert quiet.run("plan", "--detailed-exitcode").code == 0


def test_the_tenants_own_intervals_are_kept_and_a_changed_interval_is_an_update(quiet: Quiet, tmp_path: Path) -> None:
    """monaco's interval goes first, the tenant's stays (and its route still uses it); editing the Settings
    interval plans as a change of that one field, applies, and plans empty again."""
    quiet.seed(TENANT_CONFIG)
    assert quiet.run("apply", "--auto-approve").code == 0
    stored = quiet.stored()
    assert [i["name"] for i in stored["time_intervals"]] == ["window", "platform-freeze"]
    assert stored["route"]["routes"][-1]["mute_time_intervals"] == ["platform-freeze"]
    _amtool_check(stored, tmp_path)
    assert quiet.run("plan", "--detailed-exitcode").code == 0
    quiet.specs({"name": "window", "intervals": [{"times": [{"start_time": "22:00", "end_time": "24:00"}]}]}, UNUSED)
    planned = quiet.run("plan", "--detailed-exitcode")
    assert planned.code == 2 and "time_intervals.window" in planned.output, planned.output
    assert "routes." not in planned.output, "only the interval changed"
    assert quiet.run("apply", "--auto-approve").code == 0
    window = quiet.stored()["time_intervals"][0]
    assert window == {"name": "window", "time_intervals": [{"times": [{"start_time": "22:00", "end_time": "24:00"}]}]}
    assert [i["name"] for i in quiet.stored()["time_intervals"]] == ["window", "platform-freeze"]
    assert quiet.run("plan", "--detailed-exitcode").code == 0


def test_an_interval_the_tenant_also_defines_is_mon678_at_the_route(quiet: Quiet) -> None:
    """The tenant's own config defines `window`: plan reports MON678 at the first route using it; apply writes
    nothing."""
    quiet.seed(TENANT_CONFIG.replace("platform-freeze", "window"))
    planned = quiet.run("plan")
    assert planned.code == 1 and "MON678" in planned.output, planned.output
    assert "payments.yaml:27:5" in planned.output and "tenant team-a" in planned.output
    assert quiet.run("apply", "--auto-approve").code == 1
    assert quiet.fake.store.alertmanager[TENANT]["alertmanager_config"] == TENANT_CONFIG.replace(
        "platform-freeze", "window"
    )


def test_an_interval_the_base_file_also_defines_is_mon678_at_settings(quiet: Quiet) -> None:
    """With `alertmanager_base_config` defining `window`: MON678 at the Settings interval, when validating."""
    base = {
        "route": {"receiver": "base"},
        "receivers": [{"name": "base"}],
        "time_intervals": [{"name": "window", "time_intervals": [{"weekdays": ["sunday"]}]}],
    }
    (quiet.root / "am-base.yaml").write_text(json.dumps(base), encoding="utf-8")
    quiet.target(alertmanager_base_config="../am-base.yaml")
    checked = quiet.run("validate")
    assert checked.code == 1 and "MON678" in checked.output and "settings.yaml:" in checked.output, checked.output
    assert "alertmanager_base_config ../am-base.yaml" in checked.output


def test_intervals_no_route_uses_any_more_are_taken_out(quiet: Quiet) -> None:
    """Routes that stop naming `window`: apply takes monaco's interval out and keeps the tenant's; plan empty."""
    quiet.seed(TENANT_CONFIG)
    assert quiet.run("apply", "--auto-approve").code == 0
    payments = quiet.root / "specs" / "payments.yaml"
    data = [json.loads(doc) for doc in payments.read_text(encoding="utf-8").split("\n---\n")]
    for route in data[1]["routes"]:
        route.pop("mute_during", None)
        route.pop("active_during", None)
    payments.write_text("\n---\n".join(json.dumps(doc, indent=2) for doc in data) + "\n", encoding="utf-8")
    planned = quiet.run("plan", "--detailed-exitcode")
    assert planned.code == 2 and "time_intervals.window" in planned.output, planned.output
    assert quiet.run("apply", "--auto-approve").code == 0
    stored = quiet.stored()
    assert [i["name"] for i in stored["time_intervals"]] == ["platform-freeze"]
    assert "mute_time_intervals" not in json.dumps(_checkout_routes(stored))
    assert quiet.run("plan", "--detailed-exitcode").code == 0
