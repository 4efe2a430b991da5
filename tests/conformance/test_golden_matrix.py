"""The golden matrix: one realistic workspace compiled for every registered backend, and what `validate` says.

`golden/specs` holds SLOs of every SLI kind (ratio, latency, gauge), threshold alerts with Prometheus and
CloudWatch sources, routes, and every receiver kind. Each registered backend gets one target (its kit's
`golden_config`); `monaco compile` must write exactly `golden/expected/<target>/`, and `monaco validate`
must print exactly `golden/expected/validate.txt`. Regenerate on purpose with `--update-golden` and read
the diff in review. Secrets are set to fixed dummy values that must appear in no compiled file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from monaco.backends import REGISTRY
from monaco.cli.main import main
from tests.conformance.kits import KITS

GOLDEN = Path(__file__).parent / "golden"
EXPECTED = GOLDEN / "expected"
VALIDATE_FILE = "validate.txt"
SECRETS = {
    "GOLDEN_PD_ROUTING_KEY": "golden0pagerduty0routing0key0000",
    "GOLDEN_SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T000/B000/golden-slack-token",
    "GOLDEN_HOOK_URL": "https://hooks.example.com/golden-hook-token",
}
"""Dummy values behind the specs' secret references; compiled output may hold placeholders, never these."""


def target_name(kind: str) -> str:
    """The golden target of a backend kind (`aws_cloudwatch` -> `aws-cloudwatch`)."""
    return kind.replace("_", "-")


def _write_workspace(root: Path) -> None:
    """The golden specs, and one target per registered backend kind from its kit."""
    shutil.copytree(GOLDEN / "specs", root / "specs")
    targets = root / "targets"
    targets.mkdir()
    documents = []
    for kind in sorted(REGISTRY):
        assert kind in KITS, f"backend {kind!r} has no conformance kit: add one to tests/conformance/kits/<kind>.py"
        KITS[kind].write_inputs(targets)
        document = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": target_name(kind)}}
        documents.append(json.dumps(document | {"backend": kind, "config": KITS[kind].golden_config()}))
    (targets / "targets.yaml").write_text("\n---\n".join(documents) + "\n", encoding="utf-8")


def _produce(root: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    """`validate`'s output and every file `compile --out` writes, by path relative to `expected/`."""
    capsys.readouterr()
    assert main(["validate", "specs", "--targets", "targets"]) == 0, capsys.readouterr()
    captured = capsys.readouterr()
    produced = {VALIDATE_FILE: captured.out + captured.err}
    out = root / "out" / "compiled"
    assert main(["compile", "--specs", "specs", "--targets", "targets", "--out", str(out)]) == 0, capsys.readouterr()
    capsys.readouterr()
    for path in sorted(out.rglob("*")):
        if path.is_file():
            produced[str(path.relative_to(out))] = path.read_text(encoding="utf-8")
    return produced


def _expected() -> dict[str, str]:
    """Every committed golden file, by path relative to `expected/`."""
    files = sorted(p for p in EXPECTED.rglob("*") if p.is_file()) if EXPECTED.is_dir() else []
    return {str(p.relative_to(EXPECTED)): p.read_text(encoding="utf-8") for p in files}


def _update(produced: dict[str, str]) -> None:
    """Rewrite `expected/` from what was produced."""
    shutil.rmtree(EXPECTED, ignore_errors=True)
    for name, text in produced.items():
        (EXPECTED / name).parent.mkdir(parents=True, exist_ok=True)
        (EXPECTED / name).write_text(text, encoding="utf-8")


def test_the_golden_workspace_compiles_to_the_golden_files_on_every_backend(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, update_golden: bool
) -> None:
    """Every backend's compiled files and validate's diagnostics equal their golden copies; no file missing or extra."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    _write_workspace(tmp_path)
    monkeypatch.chdir(tmp_path)
    produced = _produce(tmp_path, capsys)
    for name, text in produced.items():
        leaked = [value for value in SECRETS.values() if value in text]
        assert not leaked, f"{name} holds a secret value"
    compiled_targets = {name.split("/", 1)[0] for name in produced if name != VALIDATE_FILE}
    assert compiled_targets == {target_name(kind) for kind in REGISTRY}, "every backend compiles something"
    if update_golden:
        _update(produced)
    expected = _expected()
    assert sorted(produced) == sorted(expected), "files differ from golden/expected; rerun with --update-golden"
    for name, text in produced.items():
        assert text == expected[name], f"{name} differs from its golden file; rerun with --update-golden if intended"
