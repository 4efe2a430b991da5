"""SLO specs used by the golden and promtool tests: ratio, latency and gauge SLIs, with and without grouping."""

from __future__ import annotations

from typing import Any

from tests.slo.helpers import RATIO_SLI

CASES: dict[str, dict[str, Any]] = {
    "ratio_promql": {
        "name": "availability",
        "objective": 99.9,
        "period": "30d",
        "sli": RATIO_SLI,
        "alerting": {"min_events": 100},
    },
    "ratio_grouped": {
        "name": "availability",
        "objective": 99.5,
        "period": "28d",
        "group_by": ["route"],
        "sli": {
            "ratio": {
                "bad": {
                    "prometheus": {"metric": "http_requests_total", "matchers": {"job": "checkout", "code": "~5.."}}
                },
                "total": {"prometheus": {"metric": "http_requests_total", "matchers": {"job": "checkout"}}},
            }
        },
    },
    "ratio_good_promql_grouped": {
        "name": "payments",
        "objective": 99.95,
        "period": "7d",
        "group_by": ["tenant"],
        "sli": {
            "ratio": {
                "good": {"prometheus": 'sum by (tenant) (rate(payments_total{outcome="ok"}[{{window}}]))'},
                "total": {"prometheus": "sum by (tenant) (rate(payments_attempts_total[{{window}}]))"},
            }
        },
        "alerting": {"ticket": {"severity": "low", "for": "30m"}},
    },
    "latency": {
        "name": "latency",
        "objective": 99,
        "period": "30d",
        "sli": {
            "latency": {
                "threshold": 0.3,
                "prometheus": {"metric": "http_request_duration_seconds", "matchers": {"job": "checkout"}},
            }
        },
        "alerting": {"min_events": 1000},
    },
    "latency_grouped": {
        "name": "latency",
        "objective": 99.9,
        "period": "30d",
        "group_by": ["route"],
        "sli": {
            "latency": {
                "threshold": 1,
                "prometheus": {
                    "metric": "http_request_duration_seconds",
                    "matchers": {"job": "checkout", "route": "~/api/.*"},
                },
            }
        },
        "alerting": {"page": [{"for": "5m"}, {"disabled": True}], "no_data_for": "15m"},
    },
    "gauge": {
        "name": "uptime",
        "objective": 99.9,
        "period": "30d",
        "sli": {"gauge": {"prometheus": 'up{job="checkout"}'}},
    },
    "gauge_grouped": {
        "name": "probe",
        "objective": 99,
        "period": "14d",
        "group_by": ["instance"],
        "sli": {"gauge": {"prometheus": {"metric": "probe_success", "matchers": {"job": "blackbox"}}}},
        "alerting": {"page": {"severity": "high", "long_window": "2h"}, "ticket": {"disabled": True}, "min_events": 5},
    },
}
