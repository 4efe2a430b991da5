"""Quiet hours on the prometheus_operator backend: each AlertmanagerConfig defines the intervals its own routes
name (v1alpha1 `spec.muteTimeIntervals`), a period's zone v1alpha1 cannot hold is MON504, and routing reads on."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.operator.support import (
    WORKSPACE,
    compile_workspace,
    crd_schema,
    documents,
    operator_only_copy,
    route_and_descendants,
    run,
)

SETTINGS = "settings.yaml"


def _configs(compiled: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The operator target's AlertmanagerConfig objects, by name."""
    found = [doc for name, text in compiled.items() if name.startswith("k8s/") for doc in documents(text)]
    return {doc["metadata"]["name"]: doc for doc in found if doc["kind"] == "AlertmanagerConfig"}


@pytest.fixture(scope="module")
def configs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The workspace's AlertmanagerConfig objects, compiled once."""
    return _configs(compile_workspace(WORKSPACE, tmp_path_factory.mktemp("compiled")))


def test_each_object_defines_exactly_the_intervals_its_routes_name(configs: dict[str, dict[str, Any]]) -> None:
    """The operator scopes interval names per object and refuses a route naming one its object lacks
    (`mute time interval "x" not found`): every name a route uses is defined beside it, and nothing else."""
    for name, doc in configs.items():
        used = {
            interval
            for route in route_and_descendants(doc["spec"]["route"])
            for key in ("muteTimeIntervals", "activeTimeIntervals")
            for interval in route.get(key, [])
        }
        defined = [entry["name"] for entry in doc["spec"].get("muteTimeIntervals", [])]
        assert sorted(defined) == sorted(used) and len(set(defined)) == len(defined), name
    assert {n for n, d in configs.items() if "muteTimeIntervals" in d["spec"]} == {
        "monaco-order-worker",
        "monaco-storefront-api",
    }
    assert "summer-shutdown" not in json.dumps(configs)


def test_periods_are_in_the_v1alpha1_shape(configs: dict[str, dict[str, Any]]) -> None:
    """Times as {startTime, endTime}, days of the month as {start, end}; a UTC location is dropped as the default."""
    [office] = configs["monaco-storefront-api"]["spec"]["muteTimeIntervals"]
    assert office == {
        "name": "web-office-hours",
        "timeIntervals": [
            {"times": [{"startTime": "09:00", "endTime": "17:00"}], "weekdays": ["monday:friday"]},
            {
                "daysOfMonth": [{"start": -3, "end": -1}, {"start": 1, "end": 1}],
                "months": ["december", "1"],
                "years": ["2026:2027"],
            },
        ],
    }
    low = next(
        r
        for r in route_and_descendants(configs["monaco-storefront-api"]["spec"]["route"])
        if "activeTimeIntervals" in r
    )
    assert (low["receiver"], low["activeTimeIntervals"]) == ("web-email", ["web-office-hours"])


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("timeIntervals", 0, "weekdays", 0), "Mon"),
        (("timeIntervals", 0, "times", 0, "startTime"), "9:00"),
        (("timeIntervals", 1, "daysOfMonth", 0, "start"), -32),
        (("timeIntervals", 1, "years", 0), "1999"),
        (("timeIntervals", 1, "location"), "Europe/Berlin"),
    ],
    ids=["weekday", "time", "day-of-month", "year", "location"],
)
def test_the_schema_check_refuses_what_the_crd_does(
    configs: dict[str, dict[str, Any]], path: tuple[str | int, ...], value: Any
) -> None:
    """The check has teeth for intervals: a value the CRD's patterns or bounds refuse, and v1alpha1's lack of
    `location`, fail it."""
    doc = copy.deepcopy(configs["monaco-storefront-api"])
    node: Any = doc["spec"]["muteTimeIntervals"][0]
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    schema = crd_schema("alertmanagerconfig-v1alpha1.schema.json")
    jsonschema.validate(configs["monaco-storefront-api"], schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


def _zoned(workspace: Path, levels: str = "") -> None:
    """web-office-hours read in Europe/Berlin; the target's `levels` line, if any."""
    settings = workspace / "specs" / SETTINGS
    settings.write_text(settings.read_text(encoding="utf-8").replace("location: UTC", "location: Europe/Berlin"))
    if levels:
        targets = workspace / "targets" / "targets.yaml"
        targets.write_text(targets.read_text(encoding="utf-8") + f"  {levels}\n", encoding="utf-8")


def test_a_zone_other_than_utc_is_mon504_at_the_interval(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """v1alpha1 has no `location`: an error at the Settings interval by default; nothing is written."""
    workspace = operator_only_copy(tmp_path / "ws")
    _zoned(workspace)
    line = next(
        i + 1
        for i, text in enumerate((workspace / "specs" / SETTINGS).read_text(encoding="utf-8").splitlines())
        if "name: web-office-hours" in text
    )
    assert run(workspace, "apply", "--auto-approve") == 1
    err = capsys.readouterr().err
    assert f"{SETTINGS}:{line}:5: error[MON504]" in err and "Europe/Berlin" in err, err
    assert not (workspace / "out").exists()


def test_mon504_at_warning_writes_the_period_without_its_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`levels: {MON504: warning}`: reported, and the period is written read in UTC; the plan after is empty."""
    workspace = operator_only_copy(tmp_path / "ws")
    _zoned(workspace, "levels: {MON504: warning}")
    assert run(workspace, "apply", "--auto-approve") == 0
    assert "warning[MON504]" in capsys.readouterr().err
    assert run(workspace, "plan", "--detailed-exitcode") == 0
    stream = (workspace / "out" / "manifests" / "monaco-web.yaml").read_text(encoding="utf-8")
    config = next(d for d in documents(stream) if d["kind"] == "AlertmanagerConfig")
    [office] = config["spec"]["muteTimeIntervals"]
    assert office["timeIntervals"][0] == {
        "times": [{"startTime": "09:00", "endTime": "17:00"}],
        "weekdays": ["monday:friday"],
    }


def test_routes_still_reach_the_receiver_of_a_route_with_quiet_hours(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`monaco routes` walks the trees as before: the low-severity email route, active only in office hours,
    still names web-email (routing decides who, the interval decides when)."""
    workspace = operator_only_copy(tmp_path / "ws")
    capsys.readouterr()
    assert run(workspace, "routes", "service=storefront-api", "severity=low") == 0
    assert "web/monaco-storefront-api/web-email" in capsys.readouterr().out
