"""The version prefilter is sound: a query it lets through unscanned has no version problem in that release."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from monaco.backends.promrules import promql_scan
from monaco.backends.promrules.promql import version_triggers
from monaco.backends.promrules.promql_versions import FUNCTIONS, SYNTAX, availability

FRAGMENTS = (
    "rate(",
    "sum by (job) (",
    "sum without (",
    "holt_winters(",
    "double_exponential_smoothing(",
    "mad_over_time(",
    "sort_by_label(",
    "absent_over_time(",
    "present_over_time(",
    "up",
    "http_requests_total",
    '{job="x"}',
    '{"my.metric", job="x"}',
    "{ 'a.b'=\"1\"}",
    'by ("a.b")',
    "[5m]",
    "[1h30m]",
    "[5m:1m]",
    "[ 5m ]",
    "offset 5m",
    "offset -5m",
    "offset1m",
    "@ 1609746000",
    "@ start()",
    " > 10m",
    " - 1h",
    "10m",
    "0x5d",
    "1.5",
    ")",
    " ",
    " and ",
    " or ",
    ", ",
    "# a comment 5m\n",
    '"5m"',
    "`raw`",
    "x5m",
)
VERSIONS = ((2, 0), (2, 20), (2, 30), (2, 42), (2, 53), (2, 55), (3, 0), (3, 5))


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=9), st.sampled_from(VERSIONS))
def test_no_trigger_means_no_version_problem(parts: list[str], version: tuple[int, int]) -> None:
    """Whatever the text, an unmatched query uses nothing the release lacks (the scan finds nothing)."""
    query = "".join(parts)
    if version_triggers(version).search(query) is not None:
        return
    for use in promql_scan.uses(query):
        feature = SYNTAX[use.name][1] if use.is_syntax else FUNCTIONS.get(use.name)
        assert feature is None or availability(feature, version) == "stable", (query, use)


def test_plain_sli_queries_are_not_scanned() -> None:
    """The common case skips the scan: counters over a range, a ratio, a threshold."""
    plain = 'sum(rate(http_requests_total{job="api",code=~"5.."}[000000005m])) / sum(rate(x[5m])) > 0.1'
    assert version_triggers((2, 42)).search(plain) is None


def test_what_a_release_lacks_is_matched() -> None:
    """Each construct 2.42 lacks trips the prefilter, so the scan runs and reports it."""
    for query in ('{"my.metric"} == 0', "time() - t > 10m", "mad_over_time(up[5m])", "sort_by_label(up, 'a')"):
        assert version_triggers((2, 42)).search(query) is not None, query
