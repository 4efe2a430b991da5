"""Prometheus' `/api/v1/query_range`: one bounded GET per query, its points as truthy timestamps per label set."""

from __future__ import annotations

import math
import urllib.parse
from dataclasses import dataclass

from monaco.backends.http import HttpResponse, request
from monaco.backtest.evaluate import Labels

MAX_POINTS = 11_000
"""Prometheus refuses a range query of more points per series than this."""


class Unreachable(Exception):
    """No answer from the server at all (refused, unresolvable, too slow): later queries would fare no better."""


class QueryFailed(Exception):
    """The server answered, but not with a result: a PromQL error, a timeout on its side, a wrong shape."""


@dataclass(frozen=True, slots=True)
class RangeQuery:
    """What one query asks: the expression and the evaluation grid."""

    expr: str
    start: float
    end: float
    step: float


def step_for(range_seconds: float, wanted: float) -> float:
    """`wanted`, raised when needed so that the range has at most MAX_POINTS points."""
    least = math.ceil(range_seconds / (MAX_POINTS - 1))
    return float(max(wanted, least))


def query_url(base: str, query: RangeQuery) -> str:
    """The GET URL of a range query."""
    params = {"query": query.expr, "start": _stamp(query.start), "end": _stamp(query.end), "step": _stamp(query.step)}
    return f"{base.rstrip('/')}/api/v1/query_range?{urllib.parse.urlencode(params)}"


def _stamp(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def query_range(base: str, query: RangeQuery, timeout: float) -> dict[Labels, list[float]]:
    """Per label set, the timestamps at which the expression returned a value; raises Unreachable or QueryFailed.

    A rule fires on any value it returns (a comparison filters; `NaN` counts too), so every point is truthy."""
    response = request("GET", query_url(base, query) + f"&timeout={max(1, int(timeout))}s", timeout=timeout + 1)
    if response.status == 0:
        raise Unreachable(response.body)
    data = response.json_or_none()
    if response.status != 200 or not isinstance(data, dict) or data.get("status") != "success":
        raise QueryFailed(_failure(response, data))
    result = data.get("data", {}).get("result") if isinstance(data.get("data"), dict) else None
    if not isinstance(result, list):
        raise QueryFailed(f"the answer is not a range query result: {response.excerpt()!r}")
    return _series(result)


def _failure(response: HttpResponse, data: object) -> str:
    """Prometheus' own `errorType: error`, else the status and the start of the body."""
    if isinstance(data, dict) and data.get("error"):
        return f"{data.get('errorType', 'error')}: {data['error']}"
    return response.describe()


def _series(result: list[object]) -> dict[Labels, list[float]]:
    """`[{metric: {...}, values: [[t, "v"], ...]}]` as label set -> timestamps."""
    found: dict[Labels, list[float]] = {}
    for item in result:
        if not isinstance(item, dict) or not isinstance(item.get("metric"), dict):
            raise QueryFailed("the answer is not a matrix of series")
        labels = tuple(sorted((str(k), str(v)) for k, v in item["metric"].items()))
        values = item.get("values") or []
        found.setdefault(labels, []).extend(float(point[0]) for point in values)
    return found
