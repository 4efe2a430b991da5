"""The default, server-less target: Grafana provisioning files in a directory (dashboard JSON + a provider YAML).

Grafana's file provisioning (`provisioning/dashboards/*.yaml`, `apiVersion: 1`, a `file` provider whose
`options.path` holds the JSON files) loads every `*.json` under the path into the provider's folder.
monaco writes one `<uid>.json` per dashboard and `monaco-<target>.provider.yaml` beside them; point
Grafana's `provisioning/dashboards` at the YAML (copy or link it) and `options.path` at the directory.

A JSON file is this target's when its dashboard carries monaco's tag and this target's tag (JSON has no
comments for a header); the provider YAML starts with the usual owner header. A file of a name monaco
would write that is not this target's is read as unowned, so writing it is refused.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from monaco.backends.base import LiveState, Target
from monaco.backends.grafana_dashboards.config import GrafanaDashboardsConfig, holder_of, tag_owner
from monaco.backends.ownership import Claim, file_owner, owner_header
from monaco.diagnostics import Diagnostic, Level, Span
from monaco.plan.model import Resource
from monaco.plan.yamltext import dump_yaml
from monaco.spec.yaml_data import YamlReadError, load_one_yaml

DASHBOARD = "dashboard"
PROVIDER = "provider"
GENERATED_NOTE = "# Generated from service specs by monaco. Edit the specs, not this file.\n"
NOT_A_DASHBOARD = "MON604"


def provider_file(target: str) -> str:
    """The provider YAML's file name."""
    return f"monaco-{target}.provider.yaml"


def provider_body(config: GrafanaDashboardsConfig, target: str) -> dict[str, Any]:
    """The dashboards provider (Grafana's provisioning docs): a file provider into the monaco folder."""
    provider = {
        "name": f"monaco-{target}",
        "orgId": 1,
        "folder": config.folder,
        "folderUid": config.folder_uid,
        "type": "file",
        "disableDeletion": False,
        "allowUiUpdates": False,
        "updateIntervalSeconds": 30,
        "options": {"path": config.grafana_path, "foldersFromFilesStructure": False},
    }
    return {"apiVersion": 1, "providers": [provider]}


def dashboard_file(uid: str) -> str:
    """The JSON file of one dashboard."""
    return f"{uid}.json"


def dashboard_text(model: dict[str, Any]) -> str:
    """A dashboard's file content: sorted keys, two-space indent, a final newline."""
    return json.dumps(model, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def compile_files(target: Target, resources: Sequence[Resource]) -> dict[str, str]:
    """Every file of these resources, by name."""
    files: dict[str, str] = {}
    for resource in resources:
        if resource.kind == DASHBOARD:
            files[dashboard_file(resource.name)] = dashboard_text(resource.body["dashboard"])
        elif resource.kind == PROVIDER:
            files[resource.name] = owner_header(target.name) + GENERATED_NOTE + dump_yaml(resource.body)
    return dict(sorted(files.items()))


def read_dir(directory: Path, target: Target, config: GrafanaDashboardsConfig) -> LiveState:
    """Every dashboard JSON file and this target's provider YAML in `directory`, ownership read from each."""
    state = LiveState()
    if not directory.is_dir():
        return state
    for path in sorted(p for p in directory.iterdir() if p.is_file() and p.suffix == ".json"):
        state.calls += 1
        state.resources.append(_read_dashboard(path, target, config, state.diagnostics))
    provider = directory / provider_file(target.name)
    if provider.is_file():
        state.calls += 1
        state.resources.append(_read_provider(provider, target.name))
    return state


def _read_dashboard(
    path: Path, target: Target, config: GrafanaDashboardsConfig, problems: list[Diagnostic]
) -> Resource:
    """One JSON file as a dashboard resource keyed by its file name's stem (the uid monaco names it by)."""
    try:
        model = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        model = None
        why = str(exc)
    else:
        why = "its JSON is not an object with a title"
    if not isinstance(model, dict) or not isinstance(model.get("title"), str):
        problems.append(
            Diagnostic(
                NOT_A_DASHBOARD, f"{path.name} is not a dashboard: {why}", Span(str(path), 1, 1), level=Level.WARNING
            )
        )
        return Resource(DASHBOARD, path.stem, {}, owned=False, holder="not monaco (not a dashboard's JSON)")
    if tag_owner(model.get("tags")) != target.name:
        return Resource(DASHBOARD, path.stem, {}, owned=False, holder=holder_of(model.get("tags")))
    return Resource(DASHBOARD, path.stem, {"folder": config.folder_uid, "dashboard": model})


def _read_provider(path: Path, target: str) -> Resource:
    """The provider YAML: ours by its header, its body as parsed."""
    text = path.read_text(encoding="utf-8", errors="replace")
    owner = file_owner(text)
    if owner.claim(target, True) is not Claim.OURS:
        return Resource(PROVIDER, path.name, {}, owned=False, holder=owner.describe())
    try:
        body = load_one_yaml(text) or {}
    except YamlReadError:
        body = {}
    return Resource(PROVIDER, path.name, body if isinstance(body, dict) else {})


def foreign_holder(path: Path, target: str) -> str | None:
    """Who holds an existing file, when it is not this target's to change; None when it is ours."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".json":
        try:
            model = json.loads(text)
        except ValueError:
            return "not monaco (not a dashboard's JSON)"
        tags = model.get("tags") if isinstance(model, dict) else None
        return None if tag_owner(tags) == target else holder_of(tags)
    owner = file_owner(text)
    return None if owner.claim(target, True) is Claim.OURS else owner.describe()
