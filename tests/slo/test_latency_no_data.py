"""A latency SLI whose threshold is no bucket boundary has no SLI series: its no-data alert must fire (promtool)."""

from __future__ import annotations

from typing import Any

from monaco.backends.promrules.rule_tests import PromtoolTest, run_promtool_tests, slo_rule_file
from monaco.backends.promrules.slo_rules import render_slo_groups, source_selector
from tests.conftest import require_tool
from tests.slo.helpers import lowered, service_with

LATENCY_0_3: dict[str, Any] = {
    "name": "latency",
    "objective": 99,
    "period": "30d",
    "sli": {
        "latency": {
            "threshold": 0.3,
            "prometheus": {"metric": "http_request_duration_seconds", "matchers": {"job": "checkout"}},
        }
    },
    "alerting": {"no_data_for": "10m"},
}
BUCKETS = ("0.1", "0.5", "1", "+Inf")


def _histogram(per_minute: int, minutes: int) -> list[dict[str, str]]:
    """A histogram whose buckets are 0.1/0.5/1/+Inf (no 0.3), every request in the 0.1 bucket."""
    series = [
        {
            "series": f'http_request_duration_seconds_bucket{{job="checkout",le="{le}"}}',
            "values": f"0+{per_minute}x{minutes}",
        }
        for le in BUCKETS
    ]
    series.append(
        {"series": 'http_request_duration_seconds_count{job="checkout"}', "values": f"0+{per_minute}x{minutes}"}
    )
    return series


def _no_data_test(expected: list[dict[str, Any]]) -> PromtoolTest:
    content = {
        "rule_files": ["latency.rules.yml"],
        "evaluation_interval": "1m",
        "tests": [
            {
                "name": "threshold 0.3 is not a bucket",
                "interval": "1m",
                "input_series": _histogram(100, 60),
                "alert_rule_test": [{"eval_time": "30m", "alertname": "SLONoData", "exp_alerts": expected}],
            }
        ],
    }
    return PromtoolTest("latency no data", content)


def test_no_data_watches_the_threshold_bucket_the_sli_reads() -> None:
    slo = lowered(LATENCY_0_3)
    assert slo is not None
    assert source_selector(slo) == 'http_request_duration_seconds_bucket{job="checkout",le="0.3"}'


def test_no_data_fires_when_the_threshold_is_no_bucket_boundary() -> None:
    promtool = require_tool("promtool")
    slo = lowered(LATENCY_0_3)
    assert slo is not None
    service = service_with(slo)
    rule = next(r for r in render_slo_groups(service, slo)[0]["rules"] if r.get("alert") == "SLONoData")
    labels = {**rule["labels"], "job": "checkout", "le": "0.3"}
    expected = [{"exp_labels": labels, "exp_annotations": rule["annotations"]}]
    results = run_promtool_tests(
        {"latency.rules.yml": slo_rule_file(service, slo)}, [_no_data_test(expected)], promtool
    )
    assert results[0].ok, results[0].output
