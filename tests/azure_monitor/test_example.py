"""The worked example (orders-api on App Service, Prometheus, Alertmanager and Azure Monitor): clean and appliable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from monaco.cli.main import main
from tests.fakes.azure_arm import AzureArmFake

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "azure-orders"
TOKEN_ENV = "MONACO_EXAMPLE_AZURE_TOKEN"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example (it writes ../out)."""
    shutil.copytree(EXAMPLE, tmp_path / "example")
    return tmp_path / "example"


def test_the_example_validates_without_errors_or_warnings(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every alert and the SLO land somewhere on Azure; only info notes (the 3d pair, `for`, set by the target)."""
    code, output = _run(capsys, "validate", str(example / "specs"), "--targets", str(example / "targets"))
    assert code == 0 and "warning" not in output.lower() and "error" not in output.lower(), output
    assert "MON905" in output


def test_the_example_applies_to_azure_and_converges(
    example: Path, azure_fake: AzureArmFake, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its azure target pointed at the fake: 2 action groups, a metric alert, 3 log alerts, 1 rule group; plan empty."""
    monkeypatch.setenv(TOKEN_ENV, "example-token")
    targets = example / "targets" / "local.yaml"
    text = targets.read_text(encoding="utf-8")
    local = (
        f"  location: westeurope\n  base_url: {azure_fake.url}\n  ca_file: {azure_fake.ca_file}\n"
        f"  credential: access_token\n  access_token: {{env: {TOKEN_ENV}}}\n  retry_backoff_seconds: 0.01\n"
    )
    targets.write_text(text.replace("  location: westeurope\n", local), encoding="utf-8")
    paths = ["--specs", str(example / "specs"), "--targets", str(targets), "--target", "prod-azure"]
    code, output = _run(capsys, "apply", *paths, "--auto-approve")
    assert code == 0, output
    assert "Resources: 7 added, 0 changed, 0 destroyed" in output, output
    code, output = _run(capsys, "plan", *paths, "--detailed-exitcode")
    assert code == 0, output
    kinds = sorted(key.split("/providers/")[1].split("/")[1].lower() for key in azure_fake.snapshot())
    assert kinds == ["actiongroups"] * 2 + ["metricalerts"] + ["prometheusrulegroups"] + ["scheduledqueryrules"] * 3
