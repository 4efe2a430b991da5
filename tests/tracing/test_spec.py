"""The `tracing:` block as validate reads it: Tempo needs its Grafana data source uid, the others refuse one."""

from __future__ import annotations

from pathlib import Path

import pytest

from monaco.diagnostics import Level
from tests.rules.workspace import codes, write_workspace

SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata:
  name: web
  team: platform
  tracing: {tracing}
"""


def _errors(tmp_path: Path, tracing: str) -> list[str]:
    found = codes(write_workspace(tmp_path, web=SERVICE.format(tracing=tracing)))
    return [d.message for d in found if d.level is Level.ERROR]


@pytest.mark.parametrize(
    ("tracing", "message"),
    [
        ("{kind: tempo, url: 'https://grafana.example.com'}", "needs `datasource`"),
        ("{kind: jaeger, url: 'https://jaeger.example.com', datasource: x}", "`datasource` is for tempo only"),
        ("{kind: honeycomb, url: 'https://ui.honeycomb.io'}", "jaeger"),
        ("{kind: zipkin, url: 'not a url'}", "URL"),
        ("{kind: zipkin}", "missing required field"),
    ],
)
def test_a_wrong_tracing_block_is_an_error(tmp_path: Path, tracing: str, message: str) -> None:
    """Each refused block gives one error naming what is wrong."""
    errors = _errors(tmp_path, tracing)
    assert len(errors) == 1 and message in errors[0], errors


@pytest.mark.parametrize(
    "tracing",
    [
        "{kind: tempo, url: 'https://grafana.example.com', datasource: tempo-main}",
        "{kind: jaeger, url: 'http://127.0.0.1:16686'}",
        "{kind: zipkin, url: 'http://127.0.0.1:9411'}",
    ],
)
def test_a_tracing_block_of_each_kind_is_accepted(tmp_path: Path, tracing: str) -> None:
    """Every supported kind validates with what it needs."""
    assert _errors(tmp_path, tracing) == []
