"""One Grafana alert rule from a PromQL query: query A on the Prometheus datasource, reduce B (last), condition C.

C is a `threshold` node for the comparisons Grafana's threshold evaluator has (`gt`, `lt`), and a `math` node
for the others (`>=`, `<=`, `==`, `!=`). A query that is itself the condition (an SLO burn expression, an
`absent()`, PromQL written as a condition) returns series only while it holds: C is then `$B == $B`, true for
every series A returns whatever its value (`up == 0` returns 0s). Pure.
"""

from __future__ import annotations

from typing import Any

from monaco.backends.promrules.service_rules import format_number
from monaco.spec.types import format_duration

EXPRESSION_UID = "__expr__"
"""The datasource uid of Grafana's server-side expressions (reduce, threshold, math)."""
THRESHOLD_TYPES = {"above": "gt", "below": "lt"}
MATH_OPERATORS = {"above_or_equal": ">=", "below_or_equal": "<=", "equal": "==", "not_equal": "!="}
EXPRESSION_SOURCE = {"type": EXPRESSION_UID, "uid": EXPRESSION_UID}


def query_node(expr: str, datasource_uid: str, range_seconds: int) -> dict[str, Any]:
    """Node A: an instant PromQL query on the target's Prometheus datasource."""
    return {
        "refId": "A",
        "queryType": "",
        "relativeTimeRange": {"from": range_seconds, "to": 0},
        "datasourceUid": datasource_uid,
        "model": {
            "refId": "A",
            "expr": expr,
            "instant": True,
            "range": False,
            "datasource": {"type": "prometheus", "uid": datasource_uid},
        },
    }


def _expression(ref_id: str, model: dict[str, Any]) -> dict[str, Any]:
    return {
        "refId": ref_id,
        "queryType": "",
        "relativeTimeRange": {"from": 0, "to": 0},
        "datasourceUid": EXPRESSION_UID,
        "model": {"refId": ref_id, **model, "datasource": dict(EXPRESSION_SOURCE)},
    }


def reduce_node() -> dict[str, Any]:
    """Node B: each series of A reduced to its last value."""
    return _expression("B", {"type": "reduce", "expression": "A", "reducer": "last"})


def condition_node(comparison: str | None, threshold: float | None) -> dict[str, Any]:
    """Node C: B compared with the alert's threshold, or true for every series when A is the condition."""
    if comparison is None or threshold is None:
        return _expression("C", {"type": "math", "expression": "$B == $B"})
    if comparison in THRESHOLD_TYPES:
        value = int(threshold) if float(threshold).is_integer() and abs(threshold) < 1e15 else threshold
        evaluator = {"type": THRESHOLD_TYPES[comparison], "params": [value]}
        return _expression("C", {"type": "threshold", "expression": "B", "conditions": [{"evaluator": evaluator}]})
    return _expression(
        "C", {"type": "math", "expression": f"$B {MATH_OPERATORS[comparison]} {format_number(threshold)}"}
    )


def rule_body(
    *,
    uid: str,
    title: str,
    folder_uid: str,
    group: str,
    data: list[dict[str, Any]],
    for_seconds: int,
    keep_firing_for_seconds: int | None,
    labels: dict[str, str],
    annotations: dict[str, str],
) -> dict[str, Any]:
    """A ProvisionedAlertRule as monaco writes it and reads it back (no server-set fields)."""
    body: dict[str, Any] = {
        "uid": uid,
        "title": title,
        "folderUID": folder_uid,
        "ruleGroup": group,
        "condition": "C",
        "data": data,
        "noDataState": "OK",
        "execErrState": "Error",
        "for": format_duration(for_seconds),
        "labels": dict(sorted(labels.items())),
        "annotations": dict(sorted(annotations.items())),
        "isPaused": False,
    }
    if keep_firing_for_seconds:
        body["keep_firing_for"] = format_duration(keep_firing_for_seconds)
    return body
