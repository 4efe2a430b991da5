"""The worked examples: present, complete, carrying the editor schema comment, valid and deterministic."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from tests.tools.workspaces import EXAMPLES, REPO, Workspace, all_workspaces, compile_workspace, monaco

SCHEMA_COMMENT = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)$")
REQUIRED_EXAMPLES = ("http-api", "queue-worker", "postgres")
RECEIVER_KINDS = ("slack", "pagerduty", "email", "webhook")
WORKSPACES = all_workspaces()
EXAMPLE_WORKSPACES = [ws for ws in WORKSPACES if ws.name.startswith("examples/")]


def _ids(workspaces: list[Workspace]) -> list[str]:
    """Test ids: the workspace names."""
    return [ws.name for ws in workspaces]


def _spec_files(workspace: Workspace) -> list[Path]:
    """Every spec and target file the loader reads (`_`-prefixed files and folders are not specs)."""
    files = []
    for root in (workspace.specs, workspace.targets):
        files.extend(
            p for p in sorted(root.rglob("*.y*ml")) if not any(s.startswith("_") for s in p.relative_to(root).parts)
        )
    return files


def test_the_required_examples_exist() -> None:
    """An HTTP API, a queue worker and a database, each a folder with specs/ and targets/."""
    names = {ws.name.removeprefix("examples/") for ws in EXAMPLE_WORKSPACES}
    assert set(REQUIRED_EXAMPLES) <= names, f"missing examples: {set(REQUIRED_EXAMPLES) - names}"
    assert (EXAMPLES / "README.md").is_file()


@pytest.mark.parametrize("workspace", EXAMPLE_WORKSPACES, ids=_ids(EXAMPLE_WORKSPACES))
def test_example_is_complete(workspace: Workspace) -> None:
    """A Service with an SLO, alerts and routes, its Team with a default receiver, and both local targets with a base config."""
    services, teams = workspace.of_kind("Service"), workspace.of_kind("Team")
    assert services and teams
    for service in services:
        assert service.get("alerts"), f"{service['metadata']['name']} has no alerts"
        assert service.get("routes"), f"{service['metadata']['name']} has no routes"
        assert service.get("slos"), f"{service['metadata']['name']} has no SLO"
        assert service["metadata"]["team"] in {t["metadata"]["name"] for t in teams}
    for team in teams:
        assert team.get("default_receiver") and team.get("routes")
    targets = workspace.of_kind("Target")
    assert {t["backend"] for t in targets} >= {"prometheus", "alertmanager"}
    for target in targets:
        if target["backend"] == "alertmanager":
            base = workspace.targets / target["config"]["base_config"]
            config = YAML(typ="safe").load(base.read_text(encoding="utf-8"))
            assert {"smtp_smarthost", "smtp_from"} <= set(config["global"]), "email receivers need global smtp settings"
        for key in ("rules_dir", "config_file"):
            if key in target["config"]:
                written = (workspace.targets / target["config"][key]).resolve()
                assert written.is_relative_to(workspace.specs.parent / "out"), (
                    f"{key} writes outside the example's out/"
                )


def test_examples_use_every_receiver_kind_with_secret_references() -> None:
    """Across the examples, Slack, PagerDuty, email and webhook receivers appear; secrets are references only."""
    seen: set[str] = set()
    for workspace in EXAMPLE_WORKSPACES:
        for doc in workspace.of_kind("Team") + workspace.of_kind("Service"):
            for receiver in doc.get("receivers") or []:
                kind = next(k for k in RECEIVER_KINDS if k in receiver)
                seen.add(kind)
                secret = {"slack": "webhook_url", "pagerduty": "routing_key"}.get(kind)
                if secret:
                    assert set(receiver[kind][secret]) <= {"env", "file"}, f"{receiver['name']}: secret not a reference"
    assert seen == set(RECEIVER_KINDS)


@pytest.mark.parametrize("workspace", WORKSPACES, ids=_ids(WORKSPACES))
def test_every_spec_file_names_the_committed_schema(workspace: Workspace) -> None:
    """Each file starts with the yaml-language-server comment; the path resolves to the schema; documents conform."""
    assert _spec_files(workspace)
    for path in _spec_files(workspace):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = SCHEMA_COMMENT.match(first)
        assert match, f"{path.relative_to(REPO)}: first line is not the schema comment: {first!r}"
        schema_path = (path.parent / match["path"]).resolve()
        assert schema_path.is_file(), f"{path.relative_to(REPO)}: schema {match['path']} does not exist"
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        for doc in YAML(typ="safe", pure=True).load_all(path.read_text(encoding="utf-8")):
            jsonschema.validate(json.loads(json.dumps(doc)), schema)


@pytest.mark.parametrize("workspace", WORKSPACES, ids=_ids(WORKSPACES))
def test_workspace_validates_cleanly(workspace: Workspace) -> None:
    """`monaco validate` exits 0 and reports neither errors nor warnings."""
    result = monaco("validate", workspace.specs, "--targets", workspace.targets)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower() and "warning" not in result.stderr.lower(), result.stderr


@pytest.mark.parametrize("workspace", WORKSPACES, ids=_ids(WORKSPACES))
def test_compile_is_deterministic(workspace: Workspace, tmp_path: Path) -> None:
    """Compiling twice gives the same files, byte for byte."""
    first = compile_workspace(workspace, tmp_path / "a").out
    second = compile_workspace(workspace, tmp_path / "b").out
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert names and names == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
