"""Which PromQL functions, aggregations and syntax each Prometheus release accepts.

Read from `promql/parser/functions.go` and `lex.go` at every minor release tag of prometheus/prometheus
(v2.0.0 ... v3.14.0) and from its CHANGELOG. A feature marked experimental in a release parses there
only with `--enable-feature=promql-experimental-functions` (or the flag named in `flag`); promtool
2.42, the toolchain here, is the ground truth for 2.42.
"""

from __future__ import annotations

from dataclasses import dataclass

Version = tuple[int, int]
"""A Prometheus major.minor release."""

EXPERIMENTAL_FUNCTIONS = "promql-experimental-functions"


@dataclass(frozen=True, slots=True)
class Feature:
    """A PromQL function or syntax: the release it appeared in, was made stable in, and last had it."""

    first: Version
    stable: Version | None = None
    """None when it is stable from `first`; a release after `first` when it started experimental."""
    last: Version | None = None
    flag: str = EXPERIMENTAL_FUNCTIONS
    replacement: str | None = None

    def experimental(self) -> bool:
        """True when the feature started behind a feature flag."""
        return self.stable != self.first


def _stable(first: Version, last: Version | None = None, replacement: str | None = None) -> Feature:
    return Feature(first, first, last, replacement=replacement)


def _experimental(first: Version, stable: Version | None = None, flag: str = EXPERIMENTAL_FUNCTIONS) -> Feature:
    return Feature(first, stable, flag=flag)


_BASE_2_0 = [
    "abs",
    "absent",
    "avg_over_time",
    "ceil",
    "changes",
    "clamp_max",
    "clamp_min",
    "count_over_time",
    "day_of_month",
    "day_of_week",
    "days_in_month",
    "delta",
    "deriv",
    "exp",
    "floor",
    "histogram_quantile",
    "hour",
    "idelta",
    "increase",
    "irate",
    "label_join",
    "label_replace",
    "ln",
    "log10",
    "log2",
    "max_over_time",
    "min_over_time",
    "minute",
    "month",
    "predict_linear",
    "quantile_over_time",
    "rate",
    "resets",
    "round",
    "scalar",
    "sort",
    "sort_desc",
    "sqrt",
    "stddev_over_time",
    "stdvar_over_time",
    "sum_over_time",
    "time",
    "timestamp",
    "vector",
    "year",
    "avg",
    "bottomk",
    "count",
    "count_values",
    "max",
    "min",
    "quantile",
    "stddev",
    "stdvar",
    "sum",
    "topk",
]
_TRIGONOMETRY = [
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "cos",
    "cosh",
    "deg",
    "pi",
    "rad",
    "sin",
    "sinh",
    "tan",
    "tanh",
]

FUNCTIONS: dict[str, Feature] = {
    **{name: _stable((2, 0)) for name in _BASE_2_0},
    "holt_winters": _stable((2, 0), last=(2, 55), replacement="double_exponential_smoothing"),
    "absent_over_time": _stable((2, 16)),
    "group": _stable((2, 20)),
    "clamp": _stable((2, 26)),
    "last_over_time": _stable((2, 26)),
    "sgn": _stable((2, 26)),
    "present_over_time": _stable((2, 29)),
    **{name: _stable((2, 31)) for name in _TRIGONOMETRY},
    "day_of_year": _stable((2, 36)),
    "histogram_count": _stable((2, 40)),
    "histogram_fraction": _stable((2, 40)),
    "histogram_sum": _stable((2, 40)),
    "histogram_stddev": _stable((2, 47)),
    "histogram_stdvar": _stable((2, 47)),
    "mad_over_time": _experimental((2, 49)),
    "sort_by_label": _experimental((2, 49)),
    "sort_by_label_desc": _experimental((2, 49)),
    "histogram_avg": _stable((2, 51)),
    "limitk": _experimental((2, 54)),
    "limit_ratio": _experimental((2, 54)),
    "info": _experimental((2, 55)),
    "double_exponential_smoothing": _experimental((3, 0)),
    "ts_of_last_over_time": _experimental((3, 5)),
    "ts_of_max_over_time": _experimental((3, 5)),
    "ts_of_min_over_time": _experimental((3, 5)),
    "first_over_time": _experimental((3, 7), stable=(3, 14)),
    "ts_of_first_over_time": _experimental((3, 7)),
    "histogram_quantiles": _experimental((3, 11)),
    "max_of": _experimental((3, 13)),
    "min_of": _experimental((3, 13)),
    "start_timestamp": _experimental((3, 14)),
}
"""Function and aggregation names -> when each was available (duration-expression helpers left out)."""

SYNTAX: dict[str, tuple[str, Feature]] = {
    "composite_duration": ("a composite duration such as 1h30m", _stable((2, 21))),
    "at_modifier": ("the `@` modifier", _experimental((2, 25), stable=(2, 33), flag="promql-at-modifier")),
    "negative_offset": ("a negative offset", _experimental((2, 26), stable=(2, 33), flag="promql-negative-offset")),
    "duration_as_number": ("a duration where a number goes (e.g. `time() - t > 10m`)", _stable((2, 54))),
    "quoted_name": ("a quoted (UTF-8) metric or label name", _stable((3, 0))),
}
"""Syntax that appeared after 2.0, by the name the PromQL scanner reports it under."""


def parse_version(text: str) -> Version:
    """`"2.42"` -> (2, 42); raises ValueError for anything else."""
    major, _, minor = text.partition(".")
    return int(major), int(minor)


def format_version(version: Version) -> str:
    """(2, 42) -> `"2.42"`."""
    return f"{version[0]}.{version[1]}"


def availability(feature: Feature, version: Version) -> str:
    """`missing`, `removed`, `experimental` or `stable`: what `feature` is in release `version`."""
    if version < feature.first:
        return "missing"
    if feature.last is not None and version > feature.last:
        return "removed"
    if feature.stable is None or version < feature.stable:
        return "experimental"
    return "stable"
