"""Secrets are referenced, never printed: plans show fingerprints, apply writes the value where it must go."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.workspace import make_workspace, run

SECRET = "https://hooks.example.com/T0/B0/very-secret-token"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace whose team has a webhook receiver reading its URL from an environment variable."""
    root = make_workspace(tmp_path)
    team = root / "specs" / "payments-team.yaml"
    hook = "receivers:\n  - name: payments-hook\n    webhook: {url: {env: PAYMENTS_HOOK}}\n"
    team.write_text(team.read_text().replace("receivers:\n", hook))
    spec = root / "specs" / "checkout.yaml"
    spec.write_text(spec.read_text().replace("to: [payments-email]", "to: [payments-email, payments-hook]"))
    monkeypatch.setenv("PAYMENTS_HOOK", SECRET)
    return root


def test_plans_show_a_fingerprint_and_never_the_secret(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Text and JSON plans carry `(sensitive sha256:…)` and the reference, not the value."""
    assert run(ws, "plan") == 0
    assert run(ws, "plan", "--format", "json") == 0
    out = capsys.readouterr()
    assert SECRET not in out.out and SECRET not in out.err
    assert "(sensitive sha256:" in out.out
    assert '"env:PAYMENTS_HOOK"' in out.out


def test_apply_writes_the_value_and_a_changed_secret_plans_an_update(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The live file gets the real URL; rotating the secret shows as a fingerprint change."""
    assert run(ws, "apply", "--auto-approve") == 0
    assert SECRET in (ws / "live" / "alertmanager.yml").read_text()
    assert run(ws, "plan", "--detailed-exitcode") == 0
    monkeypatch.setenv("PAYMENTS_HOOK", SECRET + "-rotated")
    capsys.readouterr()
    assert run(ws, "plan", "--detailed-exitcode") == 2
    out = capsys.readouterr().out
    assert "~ receiver.payments-hook" in out and "rotated" not in out and SECRET not in out


def test_a_saved_plan_is_refused_when_a_secret_changed(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the plan fingerprinted must be what apply writes."""
    plan_file = ws / "plan.json"
    assert run(ws, "plan", "--out", str(plan_file)) == 0
    assert SECRET not in plan_file.read_text()
    json.loads(plan_file.read_text())
    monkeypatch.setenv("PAYMENTS_HOOK", "https://hooks.example.com/other")
    capsys.readouterr()
    assert run(ws, "apply", str(plan_file)) == 1
    assert "secret env:PAYMENTS_HOOK used by receiver.payments-hook changed" in capsys.readouterr().err
    assert not (ws / "live" / "alertmanager.yml").exists()


def test_an_unset_secret_is_an_error_for_plan(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Planning needs every referenced secret; the diagnostic names the reference, not a value."""
    monkeypatch.delenv("PAYMENTS_HOOK")
    assert run(ws, "plan") == 1
    assert "MON401" in capsys.readouterr().err


def test_validate_needs_no_secret_values_and_says_each_unset_one_once(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """validate checks references, not values: an unset one is one note (exit 0); plan says it once, as an error."""
    monkeypatch.delenv("PAYMENTS_HOOK")
    assert run(ws, "validate") == 0
    err = capsys.readouterr().err
    assert err.count("info[MON401]") == 1 and "plan and apply read it" in err
    assert run(ws, "plan") == 1
    assert capsys.readouterr().err.count("error[MON401]") == 1
