"""Secrets are never lost: whatever apply writes carries the real value, whichever resources changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.workspace import make_workspace, run
from tests.conftest import require_tool

ROUTING_KEY = "pd-routing-key-0123456789abcdef"
SLACK_URL = "https://hooks.slack.example.com/services/T0/B0/slack-secret"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default workspace with the PagerDuty and Slack secrets in environment variables."""
    root = make_workspace(tmp_path)
    team = root / "specs" / "payments-team.yaml"
    text = team.read_text().replace("{file: /etc/monaco/secrets/pd-payments}", "{env: PD_PAYMENTS_KEY}")
    team.write_text(text.replace("{file: /etc/monaco/secrets/slack-payments}", "{env: SLACK_PAYMENTS_URL}"))
    monkeypatch.setenv("PD_PAYMENTS_KEY", ROUTING_KEY)
    monkeypatch.setenv("SLACK_PAYMENTS_URL", SLACK_URL)
    return root


def _live(ws: Path) -> str:
    return (ws / "live" / "alertmanager.yml").read_text()


def _change_an_unrelated_route(ws: Path) -> None:
    spec = ws / "specs" / "checkout.yaml"
    spec.write_text(spec.read_text().replace("match: {severity: low}", "match: {severity: [low, medium]}"))


def test_an_unrelated_change_keeps_every_real_secret(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Apply, change only a route, apply again: the live file still holds both real values, and plan is empty."""
    assert run(ws, "apply", "--auto-approve") == 0
    assert ROUTING_KEY in _live(ws) and SLACK_URL in _live(ws)
    _change_an_unrelated_route(ws)
    assert run(ws, "apply", "--auto-approve") == 0
    live = _live(ws)
    assert f"routing_key: {ROUTING_KEY}" in live and f"api_url: {SLACK_URL}" in live
    assert "(sensitive" not in live and "monaco-secret-" not in live and "monaco-secret.invalid" not in live
    capsys.readouterr()
    assert run(ws, "plan", "--detailed-exitcode") == 0
    result = require_tool("amtool")
    import subprocess

    checked = subprocess.run([result, "check-config", str(ws / "live" / "alertmanager.yml")], capture_output=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_live_file_is_private_when_it_holds_secret_values(ws: Path) -> None:
    """A config file holding a resolved secret is readable by its owner only."""
    assert run(ws, "apply", "--auto-approve") == 0
    assert (ws / "live" / "alertmanager.yml").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("placeholder", ["(sensitive sha256:0123456789ab)", "monaco-secret-env-PD_PAYMENTS_KEY"])
def test_placeholder_text_in_a_live_file_is_drift(
    ws: Path, capsys: pytest.CaptureFixture[str], placeholder: str
) -> None:
    """A fingerprint or placeholder where a secret belongs shows in the plan, and apply puts the value back."""
    assert run(ws, "apply", "--auto-approve") == 0
    path = ws / "live" / "alertmanager.yml"
    path.write_text(path.read_text().replace(ROUTING_KEY, placeholder))
    capsys.readouterr()
    assert run(ws, "plan", "--detailed-exitcode") == 2
    out = capsys.readouterr().out
    assert "~ receiver.payments-pager" in out and "not a secret" in out
    assert run(ws, "apply", "--auto-approve") == 0
    assert f"routing_key: {ROUTING_KEY}" in _live(ws)
    assert run(ws, "plan", "--detailed-exitcode") == 0


def test_a_saved_plan_is_refused_when_a_secret_it_needs_is_missing(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Applying a saved plan re-resolves secrets; an unset one refuses the apply, and nothing is written."""
    plan_file = ws / "plan.json"
    assert run(ws, "plan", "--out", str(plan_file)) == 0
    monkeypatch.delenv("SLACK_PAYMENTS_URL")
    capsys.readouterr()
    assert run(ws, "apply", str(plan_file)) == 1
    err = capsys.readouterr().err
    assert "secret env:SLACK_PAYMENTS_URL used by receiver.payments-slack is not set" in err
    assert SLACK_URL not in err
    assert not (ws / "live" / "alertmanager.yml").exists()
