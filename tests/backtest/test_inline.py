"""Recording rules inlined into alert expressions (monaco.backtest.inline), checked to parse as PromQL."""

from __future__ import annotations

import promql_parser

from monaco.backtest.inline import Recording, inline, recordings

RATIO = Recording("slo:ratio:rate5m", "sum(rate(e[5m])) / sum(rate(t[5m]))", (("service", "api"), ("slo", "a")), 60)
OTHER = Recording("slo:ratio:rate5m", "sum(rate(x[5m]))", (("service", "web"), ("slo", "a")), 60)
USER = Recording("job:up:avg", "avg(up)", (), 30)


def parses(expr: str) -> str:
    """`expr`, after checking that it parses."""
    promql_parser.parse(expr)
    return expr


def test_instant_selector_with_matching_labels_is_inlined() -> None:
    """`r{service="api",slo="a"}` becomes the recording of those labels, in parentheses; the other is left out."""
    got = inline('slo:ratio:rate5m{service="api",slo="a"} > 0.01', [RATIO, OTHER])
    assert parses(got) == "(sum(rate(e[5m])) / sum(rate(t[5m]))) > 0.01"


def test_range_over_a_recording_becomes_a_subquery_at_its_interval() -> None:
    """`sum_over_time(r[6h])` reads the recording's expression at its group interval: `[6h:30s]`."""
    got = inline("sum_over_time(job:up:avg[6h])", [USER])
    assert parses(got) == "sum_over_time((avg(up))[6h:30s])"


def test_a_subquery_keeps_its_own_step() -> None:
    """`r[1h:5m]` keeps the written resolution."""
    assert parses(inline("max_over_time(job:up:avg[1h:5m])", [USER])) == "max_over_time((avg(up))[1h:5m])"


def test_selectors_that_cannot_be_inlined_exactly_are_kept() -> None:
    """A regex matcher, or labels no recording has, read the recorded series from history instead."""
    kept = ['slo:ratio:rate5m{service=~"a.*"}', 'slo:ratio:rate5m{service="db"}', "job:up:avg_other"]
    for expr in kept:
        assert inline(expr, [RATIO, OTHER, USER]) == expr


def test_no_matchers_takes_every_recording_of_the_name() -> None:
    """A bare name matches every recording of it, joined with `or`."""
    got = inline("slo:ratio:rate5m > 1", [RATIO, OTHER])
    assert parses(got) == "((sum(rate(e[5m])) / sum(rate(t[5m]))) or (sum(rate(x[5m])))) > 1"


def test_recordings_of_recordings_are_inlined_too() -> None:
    """A recording reading another is expanded until only raw series remain."""
    outer = Recording("job:up:ratio", "job:up:avg / 2", (), 60)
    assert parses(inline("job:up:ratio < 0.5", [outer, USER])) == "((avg(up)) / 2) < 0.5"


def test_recordings_of_groups_carry_their_interval() -> None:
    """recordings() reads each group's interval (1m when unset) and the rules' static labels."""
    groups = [
        {
            "name": "g",
            "interval": "30s",
            "rules": [{"record": "a:b", "expr": "x", "labels": {"k": "v"}}, {"alert": "A"}],
        },
        {"name": "h", "rules": [{"record": "c:d", "expr": "y"}]},
    ]
    assert recordings(groups) == [Recording("a:b", "x", (("k", "v"),), 30), Recording("c:d", "y", (), 60)]
