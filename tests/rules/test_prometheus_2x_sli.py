"""An SLI query that only Prometheus 2.x reads (holt_winters) validates, renders and passes promtool 2.42."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from monaco.diagnostics import Level
from tests.conftest import require_tool
from tests.rules.workspace import codes, compile_workspace, write_workspace

SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: web, team: platform}
slos:
  - name: availability
    objective: 99.9
    sli:
      ratio:
        bad: {prometheus: 'holt_winters(sum(rate(http_errors_total[{{window}}]))[30m:1m], 0.5, 0.5)'}
        total: {prometheus: 'sum(rate(http_requests_total[{{window}}]))'}
"""


GAUGE = """\
      gauge: {prometheus: 'holt_winters(up{job="web"}[10m], 0.5, 0.5) > bool 0.5'}
"""


@pytest.mark.parametrize("sli", ["ratio", "gauge"])
def test_a_holt_winters_sli_renders_and_promtool_accepts_it(tmp_path: Path, sli: str) -> None:
    """The renderer reads queries through the one version-aware parse, so a 2.x function never crashes it."""
    promtool = require_tool("promtool")
    spec = SERVICE if sli == "ratio" else SERVICE[: SERVICE.index("      ratio:")] + GAUGE
    root = write_workspace(tmp_path, web=spec)
    assert not [d for d in codes(root) if d.level is Level.ERROR]
    code, _files = compile_workspace(root)
    assert code == 0
    rules = root / "out" / "prom" / "monaco-web.rules.yml"
    assert "holt_winters(" in rules.read_text()
    check = subprocess.run([promtool, "check", "rules", str(rules)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
