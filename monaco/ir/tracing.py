"""Trace links: a service's tracing system lowered from its spec (or its team's), and one URL template per system.

Every link searches the service's traces with errors only, over a lookback ending now. A Prometheus
annotation is expanded as a Go template, so links are static text: the lookback is fixed per alert
(its `for`, else its group's evaluation interval; a burn tier's longest window; a no-data alert's
`no_data_for`) and every query value is percent-encoded, so no `{{` ever reaches the template engine.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from monaco.spec.models import ServiceSpec, TeamSpec
from monaco.spec.types import DEFAULT_EVALUATION_SECONDS


@dataclass(frozen=True, slots=True)
class TraceSystem:
    """Where a service's traces are searched: `kind` jaeger, zipkin or tempo, its base URL, Tempo's data source uid."""

    kind: str
    url: str
    datasource: str | None = None


def lower_tracing(service: ServiceSpec, team: TeamSpec | None) -> TraceSystem | None:
    """The service's own `metadata.tracing`, else its team's `tracing`, else None."""
    spec = service.metadata.tracing or (team.tracing if team is not None else None)
    if spec is None:
        return None
    return TraceSystem(spec.kind, str(spec.url).rstrip("/"), spec.datasource)


def alert_window_seconds(for_seconds: int, interval_seconds: int | None) -> int:
    """A threshold alert's window: its `for`, else its group's evaluation interval, else Prometheus's default."""
    return for_seconds or interval_seconds or DEFAULT_EVALUATION_SECONDS


def lookback_text(seconds: int) -> str:
    """A lookback in one unit (m, h or d), rounded up to whole minutes: what Jaeger's UI parses (`90m`, `2h`, `1d`)."""
    minutes = max(1, -(-seconds // 60))
    if minutes % 1440 == 0:
        return f"{minutes // 1440}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


def jaeger_url(base: str, service: str, seconds: int) -> str:
    """Jaeger UI search: `/search?service=…&tags={"error":"true"}&lookback=…` (tags is JSON, as the UI writes it)."""
    tags = json.dumps({"error": "true"}, separators=(",", ":"))
    query = {"service": service, "tags": tags, "lookback": lookback_text(seconds)}
    return f"{base}/search?{urlencode(query, quote_via=quote)}"


ZIPKIN_FIXED_LOOKBACKS = {
    60: "1m",
    300: "5m",
    900: "15m",
    1800: "30m",
    3600: "1h",
    7200: "2h",
    10800: "3h",
    21600: "6h",
    43200: "12h",
    86400: "1d",
    172800: "2d",
    604800: "7d",
}
"""Zipkin Lens's fixed lookbacks (zipkin-lens DiscoverPage/lookback.ts); any other window is `lookback=millis`."""


def zipkin_url(base: str, service: str, seconds: int) -> str:
    """Zipkin Lens discover page: `/zipkin/?serviceName=…&annotationQuery=error&lookback=…` in Lens's own
    vocabulary (a fixed value such as `1h`, else `lookback=millis&millis=<ms>`); a static link carries no `endTs`."""
    query = {"serviceName": service, "annotationQuery": "error"}
    fixed = ZIPKIN_FIXED_LOOKBACKS.get(seconds)
    query.update({"lookback": fixed} if fixed else {"lookback": "millis", "millis": str(seconds * 1000)})
    return f"{base}/zipkin/?{urlencode(query, quote_via=quote)}"


def traceql_errors(service: str) -> str:
    """The TraceQL query of a service's error spans: `{ resource.service.name = "x" && status = error }`."""
    return f"{{ resource.service.name = {json.dumps(service)} && status = error }}"


def tempo_url(base: str, datasource: str, service: str, seconds: int) -> str:
    """Grafana Explore on a Tempo data source: `/explore?left=<JSON>` with a TraceQL query and a `now-…` range."""
    pane = {
        "datasource": datasource,
        "queries": [
            {
                "refId": "A",
                "datasource": {"type": "tempo", "uid": datasource},
                "queryType": "traceql",
                "query": traceql_errors(service),
            }
        ],
        "range": {"from": f"now-{lookback_text(seconds)}", "to": "now"},
    }
    left = json.dumps(pane, separators=(",", ":"))
    return f"{base}/explore?{urlencode({'left': left}, quote_via=quote)}"


def trace_url(system: TraceSystem, service: str, seconds: int) -> str:
    """The link to `service`'s error traces over the last `seconds`, in the format of `system.kind`."""
    if system.kind == "jaeger":
        return jaeger_url(system.url, service, seconds)
    if system.kind == "zipkin":
        return zipkin_url(system.url, service, seconds)
    assert system.datasource is not None, "the spec requires a datasource for tempo"
    return tempo_url(system.url, system.datasource, service, seconds)
