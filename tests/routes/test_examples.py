"""The cross-backend answer for every example: routes computed without errors, every alert reaches someone or is
listed first as reaching no one, and each cloud backend names exactly the objects its rendered rules notify."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from monaco import engine
from monaco.backends import REGISTRY
from monaco.cli.main import main
from monaco.ir.route_query import service_queries
from monaco.ir.routing import receivers_for
from monaco.routes import route_rows
from monaco.spec.yaml_data import load_one_yaml

REPO = Path(__file__).resolve().parents[2]
NOTIFY_KEYS = {"AlarmActions", "notificationChannels", "actionGroupId", "actionGroups"}
"""Where CloudWatch alarms, GCP policies and Azure rules name what they notify."""


def _registered_kinds(example: Path) -> bool:
    """True when every target of the example is of a registered kind (an example for a backend another engineer
    has not registered yet cannot load; it is tested once its kind is registered)."""
    kinds = set()
    for path in (example / "targets").rglob("*.yaml"):
        for document in path.read_text(encoding="utf-8").split("\n---"):
            data = load_one_yaml(document)
            if isinstance(data, dict) and data.get("kind") == "Target":
                kinds.add(str(data.get("backend")))
    return kinds <= set(REGISTRY)


EXAMPLES = sorted(p for p in (REPO / "examples").iterdir() if (p / "specs").is_dir() and _registered_kinds(p))


def test_the_examples_cover_every_backend_with_its_own_router() -> None:
    """The parametrized examples include Alertmanager, the operator, CloudWatch, GCP and Azure targets."""
    assert {"alb-gateway", "gcp-orders", "azure-orders", "kubernetes"} <= {p.name for p in EXAMPLES}


def _notified(value: Any) -> set[str]:
    """Every object a rendered body notifies (the values under NOTIFY_KEYS, at any depth)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key in NOTIFY_KEYS:
                found |= {item} if isinstance(item, str) else {str(v) for v in item}
            else:
                found |= _notified(item)
    elif isinstance(value, list):
        for item in value:
            found |= _notified(item)
    return found


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_alert_of_the_example_is_routed_on_every_target(example: Path) -> None:
    """No render error; one row per generated alert; rows reaching no one on some target come first."""
    session = engine.load([example / "specs"], [example / "targets"])
    assert not session.diagnostics.has_errors
    assert session.model is not None
    queries = [q for s in session.model.services for q in service_queries(s)]
    rows = route_rows(session, queries)
    assert not session.diagnostics.has_errors, [str(d) for d in session.diagnostics if d.level.value == "error"]
    assert len(rows) == len(queries) > 0
    flags = [bool(row.unreached_on) for row in rows]
    assert flags == sorted(flags, reverse=True)
    for row in rows:
        assert set(row.deliveries) == {t.name for t in session.targets}
        carried = [d for d in row.deliveries.values() if d is not None]
        assert carried, f"{row.query.alert} is carried by no target"
        assert row.unreached_on or all(carried)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_cloud_answers_are_what_the_rendered_rules_notify(example: Path) -> None:
    """On CloudWatch, GCP and Azure targets, the objects the answers name are exactly those the rendered alarms,
    policies and rules notify (Azure by action group name)."""
    session = engine.load([example / "specs"], [example / "targets"])
    assert session.model is not None
    queries = [q for s in session.model.services for q in service_queries(s)]
    for target in session.targets:
        if target.backend not in ("aws_cloudwatch", "gcp_monitoring", "azure_monitor"):
            continue
        backend, result = engine.render(session, target, need_secrets=False)
        answers = backend.route_deliveries(session.model, target, result.resources, queries)
        named = {item.name for answer in answers if answer for item in answer}
        notified = set().union(*(_notified(r.body) for r in result.resources))
        if target.backend == "azure_monitor":
            named = {name.lower() for name in named}
            notified = {ref.rsplit("/", 1)[-1].lower() for ref in notified}
        assert named == notified and named, target.name


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_monaco_routes_runs_on_the_example(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`monaco routes --format json` exits 0 and lists every target."""
    args = ["routes", "--specs", str(example / "specs"), "--targets", str(example / "targets"), "--format", "json"]
    assert main(args) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["format_version"] == 1 and answer["alerts"]
    assert {t["name"] for t in answer["targets"]} == set(answer["alerts"][0]["targets"])


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_tree_walks_agree_with_the_ir(example: Path) -> None:
    """Alertmanager's compiled tree and the operator's AlertmanagerConfig trees, walked on their own, give each
    generated alert the IR's receivers (or, when the IR gives none, the tree's fallback receiver)."""
    session = engine.load([example / "specs"], [example / "targets"])
    assert session.model is not None
    for target in session.targets:
        if target.backend not in ("alertmanager", "prometheus_operator"):
            continue
        backend, result = engine.render(session, target, need_secrets=False)
        services = {s.name: s for s in target.selected}
        queries = [q for s in target.selected for q in service_queries(s)]
        answers = backend.route_deliveries(session.model, target, result.resources, queries)
        for query, answer in zip(queries, answers, strict=True):
            assert answer is not None
            walked = [receiver for item in answer for receiver in item.receivers]
            expected = list(receivers_for(services[str(query.service)], query.label_map()))
            assert walked == expected or (not expected and len(walked) == 1), (target.name, query.alert)
            if target.backend == "prometheus_operator":
                assert all(item.name.count("/") == 2 and item.name.endswith("/" + item.receivers[0]) for item in answer)
