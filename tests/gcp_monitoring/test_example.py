"""The worked example (Cloud Run orders-api on Prometheus, Alertmanager and Cloud Monitoring): clean and appliable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from monaco.cli.main import main
from tests.fakes.gcp_monitoring import GcpFake

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "gcp-orders"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example (it writes ../out), with its PagerDuty key set."""
    monkeypatch.setenv("ORDERS_PD_ROUTING_KEY", "orders0routing0key0000000000000")
    shutil.copytree(EXAMPLE, tmp_path / "example")
    return tmp_path / "example"


def test_the_example_validates_without_errors_or_warnings(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every alert and SLO has a gcp source; only info notes (no-data alerts, set to info by the target)."""
    code, output = _run(capsys, "validate", str(example / "specs"), "--targets", str(example / "targets"))
    assert code == 0 and "warning" not in output.lower() and "error" not in output.lower(), output


def test_the_example_applies_to_cloud_monitoring_and_converges(
    example: Path, gcp_fake: GcpFake, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its gcp target pointed at the fake: 12 policies, 2 SLOs, a service, 2 channels; the next plan is empty."""
    targets = example / "targets" / "targets.yaml"
    text = targets.read_text(encoding="utf-8")
    local = f"  project: orders-prod-4711\n  endpoint: '{gcp_fake.endpoint}'\n  plaintext: true\n"
    targets.write_text(text.replace("  project: orders-prod-4711\n", local), encoding="utf-8")
    paths = ["--specs", str(example / "specs"), "--targets", str(targets), "--target", "prod-gcp"]
    code, output = _run(capsys, "apply", *paths, "--auto-approve")
    assert code == 0, output
    assert "Resources: 17 added, 0 changed, 0 destroyed" in output, output
    code, output = _run(capsys, "plan", *paths, "--detailed-exitcode")
    assert code == 0, output
    policies = list(gcp_fake.clients.alert_policies.list_alert_policies(name="projects/orders-prod-4711"))
    assert len(policies) == 12 and all(p.notification_channels for p in policies)
