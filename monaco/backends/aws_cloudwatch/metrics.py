"""Spec CloudWatch sources (one metric, or metric math) to PutMetricAlarm metric parameters (pure)."""

from __future__ import annotations

import re
from typing import Any

from monaco.backends.aws_cloudwatch.sources import CloudWatchMath, CloudWatchMetric
from monaco.spec.types import parse_duration

STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")
_EXTENDED = re.compile(r"^(p|tm|wm|tc|ts)\d{1,2}(\.\d{1,10})?$|^(TM|WM|TC|TS|PR)\(\d*(\.\d+)?%?:\d*(\.\d+)?%?\)$|^IQM$")
_ID = re.compile(r"^[a-z][A-Za-z0-9_]*$")


def stat_error(stat: str) -> str | None:
    """Why `stat` is not a CloudWatch statistic or extended statistic, or None when it is one."""
    if stat in STATISTICS or _EXTENDED.match(stat):
        return None
    return f"{stat!r} is not a CloudWatch statistic ({', '.join(STATISTICS)}, or pNN, tmNN, PR(a:b), IQM, ...)"


def _dimensions(metric: CloudWatchMetric) -> list[dict[str, str]]:
    return [{"Name": k, "Value": v} for k, v in sorted(metric.dimensions.items())]


def metric_stat(metric: CloudWatchMetric, period: int, stat: str | None = None) -> dict[str, Any]:
    """A `MetricStat` for a metric-math query."""
    inner: dict[str, Any] = {"Namespace": metric.namespace, "MetricName": metric.metric}
    if metric.dimensions:
        inner["Dimensions"] = _dimensions(metric)
    out: dict[str, Any] = {"Metric": inner, "Period": period, "Stat": stat or metric.stat}
    if metric.unit:
        out["Unit"] = metric.unit
    return out


def single_metric(metric: CloudWatchMetric) -> dict[str, Any]:
    """Namespace, MetricName, Dimensions, Statistic or ExtendedStatistic, Period and Unit of one metric."""
    params: dict[str, Any] = {"Namespace": metric.namespace, "MetricName": metric.metric}
    if metric.dimensions:
        params["Dimensions"] = _dimensions(metric)
    params["Statistic" if metric.stat in STATISTICS else "ExtendedStatistic"] = metric.stat
    params["Period"] = parse_duration(metric.period)
    if metric.unit:
        params["Unit"] = metric.unit
    return params


def rename_ids(expression: str, mapping: dict[str, str]) -> str:
    """`expression` with each metric id renamed (`errors` -> `bad_errors`), leaving functions untouched."""
    if not mapping:
        return expression
    pattern = re.compile(r"(?<![A-Za-z0-9_\"'])(" + "|".join(map(re.escape, mapping)) + r")(?![A-Za-z0-9_(])")
    return pattern.sub(lambda m: mapping[m.group(1)], expression)


def counter_queries(
    source: CloudWatchMetric | CloudWatchMath, query_id: str, period: int
) -> tuple[list[dict[str, Any]], list[str]]:
    """Metric-data queries computing one counter under id `query_id` at `period`, and any problems found.

    A single metric becomes one `MetricStat` query; metric math becomes its metrics (ids prefixed with
    `query_id_` so two counters never clash) plus the expression under `query_id`.
    """
    if isinstance(source, CloudWatchMetric):
        error = stat_error(source.stat)
        query = {"Id": query_id, "MetricStat": metric_stat(source, period), "ReturnData": False}
        return [query], [error] if error is not None else []
    mapping = {name: f"{query_id}_{name}" for name in source.metrics}
    queries, problems = _math_inputs(source, period, mapping)
    queries.append({"Id": query_id, "Expression": rename_ids(source.expression, mapping), "ReturnData": False})
    return queries, problems


def math_alarm_metrics(source: CloudWatchMath) -> tuple[list[dict[str, Any]], list[str]]:
    """The `Metrics` of a threshold alarm on metric math: the metrics, then the expression returned."""
    queries, problems = _math_inputs(source, parse_duration(source.period), {n: n for n in source.metrics})
    result_id = "result" if "result" not in source.metrics else "monaco_result"
    queries.append({"Id": result_id, "Expression": source.expression, "ReturnData": True})
    return queries, problems


def _math_inputs(source: CloudWatchMath, period: int, ids: dict[str, str]) -> tuple[list[dict[str, Any]], list[str]]:
    """The metric-math expression's input metrics as unreturned queries (under `ids`), and problems found."""
    problems: list[str] = []
    queries: list[dict[str, Any]] = []
    for name, metric in sorted(source.metrics.items()):
        if not _ID.match(name):
            problems.append(f"metric id {name!r} must start with a lowercase letter ([a-z][A-Za-z0-9_]*)")
        if (error := stat_error(metric.stat)) is not None:
            problems.append(error)
        queries.append({"Id": ids[name], "MetricStat": metric_stat(metric, period), "ReturnData": False})
    return queries, problems
