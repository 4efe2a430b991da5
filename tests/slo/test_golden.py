"""Golden rule files for ratio, latency and gauge SLIs (with and without grouping), checked by promtool."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from monaco.backends.promrules.rule_tests import slo_rule_file
from monaco.diagnostics import Diagnostics
from tests.conftest import require_tool
from tests.slo.cases import CASES
from tests.slo.helpers import lowered, service_with

GOLDEN = Path(__file__).parent / "golden"


def rule_text(case: str) -> str:
    """The rule file of one case, as compiled today."""
    diagnostics = Diagnostics()
    slo = lowered(CASES[case], diagnostics)
    assert slo is not None, list(diagnostics)
    return slo_rule_file(service_with(slo), slo)


@pytest.mark.parametrize("case", sorted(CASES))
def test_rules_match_golden(case: str, update_golden: bool) -> None:
    path = GOLDEN / f"{case}.yaml"
    text = rule_text(case)
    if update_golden:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; regenerate with MONACO_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{case} differs from {path}; review, then MONACO_UPDATE_GOLDEN=1"


def test_rendering_is_deterministic() -> None:
    assert all(rule_text(case) == rule_text(case) for case in CASES)


def test_golden_files_pass_promtool_check(tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    files = sorted(GOLDEN.glob("*.yaml"))
    assert len(files) == len(CASES)
    proc = subprocess.run([promtool, "check", "rules", *map(str, files)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_float_artefacts_in_output() -> None:
    for case in CASES:
        text = rule_text(case)
        assert "99999999" not in text and "00000001" not in text and "e-0" not in text, case
