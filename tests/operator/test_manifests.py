"""What the prometheus_operator backend compiles: golden streams, CRD shapes, promtool, and the Prometheus groups.

Regenerate the golden streams on purpose with `pytest tests/operator --update-golden` and read the diff.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from monaco.plan.yamltext import dump_yaml
from tests.conftest import require_tool
from tests.operator.support import (
    GOLDEN,
    OPERATOR_TARGET,
    PROMETHEUS_TARGET,
    WORKSPACE,
    compile_workspace,
    crd_schema,
    documents,
    route_and_descendants,
)

CANARY = "canary-7f3a9c1e-not-a-real-hook"


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The workspace compiled for both targets, with the webhook secret set to a canary value."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SEARCH_HOOK_URL", CANARY)
        return compile_workspace(WORKSPACE, tmp_path_factory.mktemp("compiled"))


def _streams(compiled: dict[str, str]) -> dict[str, str]:
    prefix = f"{OPERATOR_TARGET}/"
    return {name[len(prefix) :]: text for name, text in compiled.items() if name.startswith(prefix)}


def _objects(compiled: dict[str, str], kind: str | None = None) -> list[dict[str, Any]]:
    found = [doc for text in _streams(compiled).values() for doc in documents(text)]
    return [doc for doc in found if kind is None or doc["kind"] == kind]


def test_streams_match_golden_files(compiled: dict[str, str], update_golden: bool) -> None:
    """One stream per namespace (the default and two team namespaces), each equal to its golden copy."""
    streams = _streams(compiled)
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        GOLDEN.mkdir()
        for name, text in streams.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    expected = {p.name: p.read_text(encoding="utf-8") for p in sorted(GOLDEN.iterdir())}
    assert sorted(streams) == ["monaco-data.yaml", "monaco-monitoring.yaml", "monaco-web.yaml"]
    assert sorted(streams) == sorted(expected)
    for name, text in streams.items():
        assert text == expected[name], f"{name} differs from its golden file; rerun with --update-golden if intended"


def test_compile_is_deterministic(compiled: dict[str, str], tmp_path: Path) -> None:
    """The same specs give the same bytes."""
    assert _streams(compile_workspace(WORKSPACE, tmp_path / "again")) == _streams(compiled)


def test_streams_are_kubectl_apply_able(compiled: dict[str, str]) -> None:
    """Owner header, then `---`-separated documents, each a named object in its file's namespace, none twice."""
    seen: set[tuple[str, str, str]] = set()
    for name, text in _streams(compiled).items():
        assert text.startswith(f"# managed-by: monaco\n# monaco-target: {OPERATOR_TARGET}\n")
        namespace = name.removeprefix("monaco-").removesuffix(".yaml")
        docs = documents(text)
        assert len(docs) == text.count("\n---\n") >= 2
        for doc in docs:
            metadata = doc["metadata"]
            assert (metadata["namespace"], doc["kind"]) == (namespace, doc["kind"])
            key = (doc["kind"], metadata["namespace"], metadata["name"])
            assert key not in seen
            seen.add(key)
    assert ("PrometheusRule", "web", "monaco-storefront-api") in seen
    assert ("AlertmanagerConfig", "monitoring", "monaco-search") in seen


def test_objects_match_the_crd_schemas(compiled: dict[str, str]) -> None:
    """Every object validates against its CRD's schema, child routes against the route schema."""
    rule_schema = crd_schema("prometheusrule-v1.schema.json")
    config_schema = crd_schema("alertmanagerconfig-v1alpha1.schema.json")
    route_schema = config_schema["properties"]["spec"]["properties"]["route"]
    rules, configs = _objects(compiled, "PrometheusRule"), _objects(compiled, "AlertmanagerConfig")
    assert len(rules) == 4 and len(configs) == 4
    for doc in rules:
        jsonschema.validate(doc, rule_schema)
    for doc in configs:
        jsonschema.validate(doc, config_schema)
        for route in route_and_descendants(doc["spec"]["route"])[1:]:
            jsonschema.validate(route, route_schema)


def test_a_misspelt_field_fails_the_schema_check(compiled: dict[str, str]) -> None:
    """The check has teeth: a receiver field the CRD does not define is refused."""
    doc = copy.deepcopy(_objects(compiled, "AlertmanagerConfig")[0])
    doc["spec"]["receivers"][0]["emailConfig"] = [{"to": "x@example.com"}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, crd_schema("alertmanagerconfig-v1alpha1.schema.json"))


def test_each_prometheus_rule_passes_promtool(compiled: dict[str, str], tmp_path: Path) -> None:
    """`promtool check rules` (lint fatal) accepts every PrometheusRule's spec.groups as a rule file."""
    promtool = require_tool("promtool")
    for doc in _objects(compiled, "PrometheusRule"):
        path = tmp_path / f"{doc['metadata']['name']}.rules.yml"
        path.write_text(dump_yaml({"groups": doc["spec"]["groups"]}), encoding="utf-8")
        result = subprocess.run(
            [promtool, "check", "rules", "--lint=all", "--lint-fatal", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "SUCCESS" in result.stdout


def test_groups_are_exactly_the_prometheus_backends(compiled: dict[str, str]) -> None:
    """spec.groups dumped as a rule file is the Prometheus backend's rule file, byte for byte after its header."""
    for doc in _objects(compiled, "PrometheusRule"):
        service = doc["metadata"]["labels"]["monaco.dev/service"]
        rule_file = compiled[f"{PROMETHEUS_TARGET}/monaco-{service}.rules.yml"]
        body = rule_file[rule_file.index("\ngroups:\n") + 1 :]
        assert dump_yaml({"groups": doc["spec"]["groups"]}) == body
    assert len(_objects(compiled, "PrometheusRule")) == sum(1 for n in compiled if n.startswith(PROMETHEUS_TARGET))


def test_objects_carry_the_targets_labels_and_ownership(compiled: dict[str, str]) -> None:
    """Selector labels from the target config, then monaco's ownership labels; team namespaces honoured."""
    rule = next(d for d in _objects(compiled, "PrometheusRule") if d["metadata"]["name"] == "monaco-orders-db")
    assert rule["metadata"]["namespace"] == "data"
    assert rule["metadata"]["labels"] == {
        "release": "kube-prometheus-stack",
        "app.kubernetes.io/managed-by": "monaco",
        "monaco.dev/target": OPERATOR_TARGET,
        "monaco.dev/service": "orders-db",
    }
    config = next(d for d in _objects(compiled, "AlertmanagerConfig") if d["metadata"]["name"] == "monaco-orders-db")
    assert config["metadata"]["labels"]["alertmanagerConfig"] == "monaco"
    assert "release" not in config["metadata"]["labels"]


def test_routes_use_structured_matchers_and_the_team_receiver(compiled: dict[str, str]) -> None:
    """The service route matches its service label; a route to two receivers is two children, the first continuing."""
    config = next(
        d for d in _objects(compiled, "AlertmanagerConfig") if d["metadata"]["name"] == "monaco-storefront-api"
    )
    route = config["spec"]["route"]
    assert route["receiver"] == "web-email"
    assert route["matchers"] == [{"name": "service", "value": "storefront-api", "matchType": "="}]
    critical = [
        r for r in route["routes"] if r["matchers"] == [{"name": "severity", "value": "critical", "matchType": "="}]
    ]
    assert [(r["receiver"], r.get("continue", False)) for r in critical] == [("web-pager", True), ("web-slack", False)]
    several = next(r for r in route["routes"] if r["matchers"][0]["matchType"] == "=~")
    assert several["matchers"] == [{"name": "severity", "value": "high|medium", "matchType": "=~"}]
    names = {r["receiver"] for r in route_and_descendants(route)}
    assert names <= {r["name"] for r in config["spec"]["receivers"]}


def test_secrets_are_secret_key_refs_never_values(compiled: dict[str, str]) -> None:
    """Every secret is a secretKeyRef into the target's Secret; no value, fingerprint or local path is written."""
    text = "".join(_streams(compiled).values())
    assert CANARY not in text
    assert "sensitive" not in text and "/etc/monaco" not in text and "SEARCH_HOOK_URL" not in text
    refs = {}
    for doc in _objects(compiled, "AlertmanagerConfig"):
        for receiver in doc["spec"]["receivers"]:
            for kind, field in (
                ("slackConfigs", "apiURL"),
                ("pagerdutyConfigs", "routingKey"),
                ("webhookConfigs", "urlSecret"),
            ):
                for config in receiver.get(kind, []):
                    if field in config:
                        refs[receiver["name"]] = config[field]
    assert refs["search-hook"] == {"name": "alerting-secrets", "key": "search-hook.url"}
    assert refs["web-pager"] == {"name": "alerting-secrets", "key": "web-pager.routing_key"}
    assert refs["dba-slack"] == {"name": "alerting-secrets", "key": "dba-slack.api_url"}
    redrive = next(
        d for d in _objects(compiled, "AlertmanagerConfig") if d["metadata"]["name"] == "monaco-order-worker"
    )
    hook = next(r for r in redrive["spec"]["receivers"] if r["name"] == "fulfillment-redrive")
    assert hook["webhookConfigs"][0]["url"] == "http://redrive.fulfillment.internal:9000/hooks/alertmanager"
