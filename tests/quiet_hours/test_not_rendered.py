"""MON267 as data: one workspace whose routes are muted / active during an interval, compiled for each backend
kind that has no recurring quiet hours (or, on aws_cloudwatch, cannot mute these); the code at each route's line
and column, at the level `levels` sets. aws_cloudwatch mutes what its alarm mute rules can say and reports
only the rest."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.cli_run import run_cli
from tests.quiet_hours.workspace import write_specs, write_target

KINDS: dict[str, dict[str, Any]] = {
    "aws_cloudwatch": {"region": "eu-west-1", "account_id": "123456789012"},
    "gcp_monitoring": {"project": "quiet-hours-1"},
}
"""Each kind's smallest target config that renders (compile reads no secret and calls no API)."""

CASES = [
    # (backend kind, the target's `levels`, the level MON267 is reported at, compile's exit code)
    ("gcp_monitoring", {}, "warning", 0),
    ("gcp_monitoring", {"MON267": "error"}, "error", 1),
    ("gcp_monitoring", {"MON267": "info"}, "info", 0),
]
REPORTED = re.compile(r"^(?P<file>\S+):(?P<line>\d+):(?P<col>\d+): (?P<level>\w+)\[MON267\]: (?P<message>.*)$", re.M)


def _route_positions(path: Path) -> dict[str, tuple[int, int]]:
    """`mute_during` / `active_during` -> (line, column) of the route mapping that sets it, 1-based."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: dict[str, tuple[int, int]] = {}
    for field in ("mute_during", "active_during"):
        at = next(i for i, line in enumerate(lines) if f'"{field}"' in line)
        start = next(i for i in range(at, -1, -1) if lines[i].strip() == "{")
        found[field] = (start + 1, lines[start].index("{") + 1)
    return found


@pytest.mark.parametrize(("kind", "levels", "level", "code"), CASES)
def test_quiet_hours_are_reported_at_each_route(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, levels: dict[str, str], level: str, code: int
) -> None:
    """Both routes with an interval are MON267 at their own position, at the target's level; the rest is not."""
    intervals = [{"name": "window", "intervals": [{"weekdays": ["saturday", "sunday"]}]}]
    write_specs(tmp_path / "specs", "http://127.0.0.1:9", intervals, "window", "window")
    config = KINDS[kind] | ({"levels": levels} if levels else {})
    write_target(tmp_path / "targets", "quiet", kind, config)
    done = run_cli(capsys, tmp_path / "specs", tmp_path / "targets", ("compile", "--out", str(tmp_path / "out")), ())
    assert done.code == code, done.output
    for found in _reported_at_each_interval_route(done.output, tmp_path, level):
        assert f"{kind} cannot express" in found["message"]
        assert found["message"].startswith("target quiet: a route of checkout")


def _reported_at_each_interval_route(output: str, root: Path, level: str) -> list[re.Match[str]]:
    """The MON267 reports in `output`: exactly one at each route naming `window` (at its line and column, at
    `level`, saying which field), and nowhere else."""
    reported = {(m["line"], m["col"]): m for m in REPORTED.finditer(output)}
    positions = _route_positions(root / "specs" / "payments.yaml")
    assert set(reported) == {(str(line), str(col)) for line, col in positions.values()}, output
    found = []
    for field, (line, col) in positions.items():
        report = reported[(str(line), str(col))]
        assert report["file"].endswith("payments.yaml") and report["level"] == level
        assert f"({field}: window)" in report["message"]
        found.append(report)
    return found


def _with_cloudwatch_source(path: Path, keep_routes: int = 3) -> None:
    """Give CheckoutDown a CloudWatch source (so the target renders its alarm) and keep the first routes."""
    data = [json.loads(doc) for doc in path.read_text(encoding="utf-8").split("\n---\n")]
    alert = data[-1]["alerts"][0]
    alert["source"]["cloudwatch"] = {"namespace": "AWS/EC2", "metric": "StatusCheckFailed", "stat": "Maximum"}
    alert["when"] = {"above": 0}
    data[-1]["routes"] = data[-1]["routes"][:keep_routes]
    path.write_text("\n---\n".join(json.dumps(doc, indent=2) for doc in data) + "\n", encoding="utf-8")


CLOUDWATCH_CASES = [
    # (the interval's periods, the target's `levels`, the level MON267 is reported at, compile's exit code, why)
    ([{"weekdays": ["saturday", "sunday"]}], {}, "warning", 0, "also notified through a route with other quiet hours"),
    ([{"weekdays": ["saturday", "sunday"]}], {"MON267": "error"}, "error", 1, "with other quiet hours"),
    ([{"years": ["2030"]}], {"MON267": "info"}, "info", 0, "not expressible: "),
]


@pytest.mark.parametrize(("periods", "levels", "level", "code", "why"), CLOUDWATCH_CASES)
def test_cloudwatch_reports_the_routes_it_cannot_mute(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    periods: list[dict[str, Any]],
    levels: dict[str, str],
    level: str,
    code: int,
    why: str,
) -> None:
    """The alarm reaches a muted, an active-only and a plain route (never muted half), or the hours have years:
    MON267 at both interval routes, at the target's level; no mute rule is written."""
    write_specs(
        tmp_path / "specs", "http://127.0.0.1:9", [{"name": "window", "intervals": periods}], "window", "window"
    )
    _with_cloudwatch_source(tmp_path / "specs" / "payments.yaml")
    config = KINDS["aws_cloudwatch"] | ({"levels": levels} if levels else {})
    write_target(tmp_path / "targets", "quiet", "aws_cloudwatch", config)
    done = run_cli(capsys, tmp_path / "specs", tmp_path / "targets", ("compile", "--out", str(tmp_path / "out")), ())
    assert done.code == code, done.output
    for found in _reported_at_each_interval_route(done.output, tmp_path, level):
        assert "aws_cloudwatch cannot mute" in found["message"] and why in found["message"]
    assert not list(tmp_path.glob("out/**/alarm_mute_rule/*.json"))


def test_cloudwatch_mutes_what_a_mute_rule_can_say(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One route, muted on Fridays and Saturdays, is the alarm's only route: no MON267, one mute rule of the alarm."""
    write_specs(
        tmp_path / "specs",
        "http://127.0.0.1:9",
        [{"name": "window", "intervals": [{"weekdays": ["friday:saturday"]}]}],
        "window",
        "window",
    )
    _with_cloudwatch_source(tmp_path / "specs" / "payments.yaml", keep_routes=1)
    write_target(
        tmp_path / "targets", "quiet", "aws_cloudwatch", KINDS["aws_cloudwatch"] | {"levels": {"MON267": "error"}}
    )
    done = run_cli(capsys, tmp_path / "specs", tmp_path / "targets", ("compile", "--out", str(tmp_path / "out")), ())
    assert done.code == 0 and "MON267" not in done.output, done.output
    [rule_file] = list(tmp_path.glob("out/**/alarm_mute_rule/*.json"))
    rule = json.loads(rule_file.read_text(encoding="utf-8"))
    assert rule["Rule"] == {"Schedule": {"Expression": "cron(0 0 * * FRI-SAT)", "Duration": "P1D"}}
    assert rule["MuteTargets"] == {"AlarmNames": ["monaco/checkout/CheckoutDown"]}


def test_routes_without_intervals_are_not_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same workspace without `mute_during` / `active_during`: no MON267 on any of the kinds."""
    write_specs(
        tmp_path / "specs",
        "http://127.0.0.1:9",
        [{"name": "window", "intervals": [{"years": ["2030"]}]}],
        "window",
        "window",
    )
    path = tmp_path / "specs" / "payments.yaml"
    data = [json.loads(doc) for doc in path.read_text(encoding="utf-8").split("\n---\n")]
    for route in data[1]["routes"]:
        route.pop("mute_during", None)
        route.pop("active_during", None)
    path.write_text("\n---\n".join(json.dumps(doc, indent=2) for doc in data) + "\n", encoding="utf-8")
    for kind, config in KINDS.items():
        write_target(tmp_path / "targets", "quiet", kind, config)
        done = run_cli(capsys, tmp_path / "specs", tmp_path / "targets", ("compile", "--out", str(tmp_path / kind)), ())
        assert done.code == 0 and "MON267" not in done.output, done.output


def test_a_pagerduty_target_which_routes_nothing_reports_no_quiet_hours(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """PagerDuty only receives what a routing target sends; that target mutes (or reports MON267), not this one."""
    write_specs(
        tmp_path / "specs",
        "http://127.0.0.1:9",
        [{"name": "window", "intervals": [{"weekdays": ["saturday", "sunday"]}]}],
        "window",
        "window",
    )
    config = {
        "token": {"env": "MONACO_TEST_PD_TOKEN"},
        "default_escalation_policy": "Default",
        "levels": {"MON267": "error"},
    }
    write_target(tmp_path / "targets", "quiet", "pagerduty", config)
    done = run_cli(capsys, tmp_path / "specs", tmp_path / "targets", ("compile", "--out", str(tmp_path / "out")), ())
    assert done.code == 0 and "MON267" not in done.output, done.output
