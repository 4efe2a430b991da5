"""A latency SLI names a histogram's base name; a `_bucket`, `_count` or `_sum` series gets an error with the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from monaco import engine
from monaco.diagnostics import Diagnostic, Level

SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: api, team: web}
slos:
  - name: latency
    objective: 99
    sli:
      latency:
        threshold: 0.3
        prometheus: {metric: %s, matchers: {job: api}}
"""
METRIC_LINE, METRIC_COL = 10, 30
"""Where the metric's value starts in SERVICE (1-based), the position the diagnostic must point at."""


def _errors(tmp_path: Path, metric: str) -> list[Diagnostic]:
    """The error diagnostics `engine.load` reports for SERVICE with `metric` as the histogram."""
    (tmp_path / "api.yaml").write_text(SERVICE % metric, encoding="utf-8")
    session = engine.load([tmp_path], [])
    return [d for d in session.diagnostics.sorted() if d.level is Level.ERROR]


@pytest.mark.parametrize("suffix", ["_bucket", "_count", "_sum"])
def test_a_histogram_series_name_is_refused_with_the_base_name(tmp_path: Path, suffix: str) -> None:
    """`http_request_duration_seconds_bucket` gets MON113 at the value, saying to write the base name."""
    errors = _errors(tmp_path, f"http_request_duration_seconds{suffix}")
    assert len(errors) == 1, errors
    (error,) = errors
    assert error.code == "MON113"
    assert error.span is not None and (error.span.line, error.span.col) == (METRIC_LINE, METRIC_COL)
    assert error.message.startswith("slos.0.sli.latency.prometheus.metric: ")
    assert f"({suffix})" in error.message
    assert error.message.endswith("write the histogram's base name: http_request_duration_seconds")


@pytest.mark.parametrize("metric", ["http_request_duration_seconds", "bucket_fill_seconds", "_sum"])
def test_a_base_name_is_accepted(tmp_path: Path, metric: str) -> None:
    """A base name, even one that merely contains or is a suffix word, loads without errors."""
    assert _errors(tmp_path, metric) == []
