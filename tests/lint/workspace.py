"""Writing a lint case's files (spec, team, settings) into a directory and loading it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from monaco import engine

TEAM = """\
apiVersion: monaco/v1
kind: Team
metadata: {name: web}
default_receiver: web-slack
receivers:
  - name: web-slack
    slack: {channel: "#web", webhook_url: {env: WEB_SLACK}}
  - name: web-pager
    pagerduty: {routing_key: {env: WEB_PAGER}}
"""
"""The team every case's service belongs to unless the case gives its own: a Slack default and a pager."""


def write_case(directory: Path, case: dict[str, Any]) -> Path:
    """The case's documents as files under `directory`; returns the spec file's path."""
    spec = directory / "spec.yaml"
    spec.write_text(case["spec"], encoding="utf-8")
    (directory / "team.yaml").write_text(case.get("team", TEAM), encoding="utf-8")
    if "settings" in case:
        (directory / "settings.yaml").write_text(case["settings"], encoding="utf-8")
    for name, text in case.get("files", {}).items():  # pages a docs folder holds, not documents
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(text, encoding="utf-8")
    return spec


def load_case(directory: Path, case: dict[str, Any]) -> engine.Session:
    """The loaded, lowered session of a case; it must load without errors."""
    write_case(directory, case)
    session = engine.load([directory], [])
    errors = [str(d) for d in session.diagnostics if d.level.value == "error"]
    assert not errors and session.model is not None, errors
    return session
