"""Each tracing system's link against the URL format its UI documents: path, query parameters and lookback."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from monaco.ir.tracing import TraceSystem, alert_window_seconds, lookback_text, trace_url


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, strict_parsing=True)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "1m"),
        (30, "1m"),
        (60, "1m"),
        (61, "2m"),
        (300, "5m"),
        (5400, "90m"),
        (3600, "1h"),
        (21600, "6h"),
        (86400, "1d"),
        (259200, "3d"),
        (90000, "25h"),
    ],
)
def test_lookback_is_one_unit_rounded_up_to_whole_minutes(seconds: int, text: str) -> None:
    """Jaeger's UI reads a lookback as a number and one moment unit (m, h, d); a window is never shortened."""
    assert lookback_text(seconds) == text


def test_alert_window_is_for_then_group_interval_then_prometheus_default() -> None:
    """A threshold alert's window: its `for`, else its group's interval, else the 1m default evaluation interval."""
    assert alert_window_seconds(600, 30) == 600
    assert alert_window_seconds(0, 30) == 30
    assert alert_window_seconds(0, None) == 60


def test_jaeger_link_is_the_ui_search_with_the_error_tag_and_a_lookback() -> None:
    """Jaeger UI `/search?service=…&tags={"error":"true"}&lookback=…`: tags is the JSON object the UI writes."""
    url = trace_url(TraceSystem("jaeger", "https://jaeger.example.com"), "checkout", 300)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "jaeger.example.com", "/search")
    query = _query(url)
    assert query == {"service": ["checkout"], "tags": ['{"error":"true"}'], "lookback": ["5m"]}
    assert json.loads(query["tags"][0]) == {"error": "true"}


def test_zipkin_link_is_lens_discover_with_an_error_annotation_query_and_a_fixed_lookback() -> None:
    """Zipkin Lens `/zipkin/?serviceName=…&annotationQuery=error&lookback=1h`: a window Lens lists is its value."""
    url = trace_url(TraceSystem("zipkin", "http://zipkin.internal:9411"), "checkout", 3600)
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("zipkin.internal:9411", "/zipkin/")
    assert _query(url) == {"serviceName": ["checkout"], "annotationQuery": ["error"], "lookback": ["1h"]}


def test_zipkin_link_gives_other_windows_as_a_millis_lookback() -> None:
    """Lens reads any other window as `lookback=millis&millis=<milliseconds>` (3d is not among its fixed values)."""
    url = trace_url(TraceSystem("zipkin", "http://zipkin.internal:9411"), "checkout", 259200)
    assert _query(url) == {
        "serviceName": ["checkout"],
        "annotationQuery": ["error"],
        "lookback": ["millis"],
        "millis": ["259200000"],
    }


def test_tempo_link_is_grafana_explore_with_a_traceql_error_query_on_the_data_source() -> None:
    """Grafana Explore `/explore?left=<pane JSON>`: the Tempo data source uid, a TraceQL query, `now-…` to `now`."""
    url = trace_url(TraceSystem("tempo", "https://grafana.example.com/grafana", "tempo-uid"), "checkout", 21600)
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("grafana.example.com", "/grafana/explore")
    query = _query(url)
    assert list(query) == ["left"]
    pane = json.loads(query["left"][0])
    assert pane["datasource"] == "tempo-uid"
    assert pane["range"] == {"from": "now-6h", "to": "now"}
    assert pane["queries"] == [
        {
            "refId": "A",
            "datasource": {"type": "tempo", "uid": "tempo-uid"},
            "queryType": "traceql",
            "query": '{ resource.service.name = "checkout" && status = error }',
        }
    ]


@pytest.mark.parametrize("kind", ["jaeger", "zipkin", "tempo"])
def test_links_are_fully_percent_encoded_so_go_templates_leave_them_alone(kind: str) -> None:
    """No brace, quote or space survives encoding: Prometheus expands annotations as Go templates."""
    url = trace_url(TraceSystem(kind, "https://traces.example.com", "uid" if kind == "tempo" else None), "web", 60)
    assert not set(url) & set('{}" ')
