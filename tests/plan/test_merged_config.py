"""A plan shows the whole Alertmanager config as it will be live when it changes, secrets never in clear."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.workspace import make_workspace, run

ROUTING_KEY = "pd-routing-key-merged-0123456789"
SLACK_URL = "https://hooks.slack.example.com/services/T0/B0/merged-secret"


@pytest.fixture
def applied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """The default workspace applied once (real secrets in the live file), then one route changed."""
    root = make_workspace(tmp_path)
    team = root / "specs" / "payments-team.yaml"
    text = team.read_text().replace("{file: /etc/monaco/secrets/pd-payments}", "{env: PD_PAYMENTS_KEY}")
    team.write_text(text.replace("{file: /etc/monaco/secrets/slack-payments}", "{env: SLACK_PAYMENTS_URL}"))
    monkeypatch.setenv("PD_PAYMENTS_KEY", ROUTING_KEY)
    monkeypatch.setenv("SLACK_PAYMENTS_URL", SLACK_URL)
    assert run(root, "apply", "--auto-approve") == 0
    spec = root / "specs" / "checkout.yaml"
    spec.write_text(spec.read_text().replace("match: {severity: low}", "match: {severity: [low, medium]}"))
    capsys.readouterr()
    return root


def test_the_text_plan_shows_the_merged_file_diff_with_its_context(
    applied: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The changed route in its place in the merged tree, with the base config around it; no secret value."""
    assert run(applied, "plan") == 0
    out = capsys.readouterr().out
    head = out.index("alertmanager.yml as it will be live")
    merged = out[head:]
    assert "--- live/alertmanager.yml" in merged and "+++ after-apply/alertmanager.yml" in merged
    assert any(line.strip().startswith("+") and "medium" in line for line in merged.splitlines()), merged
    assert ROUTING_KEY not in out and SLACK_URL not in out


def test_json_and_markdown_carry_it_and_an_unchanged_config_has_none(
    applied: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`merged_diff` in the JSON plan, a section in the PR comment; after apply, no section at all."""
    assert run(applied, "plan", "--format", "json") == 0
    plan = json.loads(capsys.readouterr().out)
    (alertmanager,) = [t for t in plan["targets"] if t["backend"] == "alertmanager"]
    assert list(alertmanager["merged_diff"]) == ["alertmanager.yml"]
    assert run(applied, "plan", "--format", "markdown") == 0
    markdown = capsys.readouterr().out
    assert "<code>alertmanager.yml</code> as it will be live" in markdown and ROUTING_KEY not in markdown
    assert run(applied, "apply", "--auto-approve") == 0
    capsys.readouterr()
    assert run(applied, "plan", "--format", "json") == 0
    after = json.loads(capsys.readouterr().out)
    assert all("merged_diff" not in t for t in after["targets"])
