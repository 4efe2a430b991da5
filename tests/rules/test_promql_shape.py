"""A query's shape answers as the query itself: parse verdict, root node, kept labels and selectors agree."""

from __future__ import annotations

import re

import promql_parser
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from monaco.backends.promrules import promql_shape
from monaco.backends.promrules.promql import parse_query, parse_shape, root_kind
from monaco.backends.promrules.promql_labels import kept_labels, labels_kept_by
from monaco.backends.promrules.promql_shape import query_shape

VALUES = ("checkout", "", "a b", "it's", 'say "hi"', "back\\\\slash", "tab\there", "é日本", "5..", "=", "x}", "⟦0⟧")
FRAGMENTS = (
    "sum(",
    "sum by (job) (",
    "count_values(",
    '"dst", ',
    "label_replace(",
    ', "dst", "$1", "src", "(.*)")',
    "rate(",
    "http_requests_total",
    "{",
    "}",
    "job=",
    "job!=",
    "code=~",
    "job = ",
    "__name__=",
    '"a.b"=',
    ",",
    "[{{window}}]",
    "[5m]",
    ")",
    " == ",
    " != ",
    " >= ",
    " or ",
    " on (job) ",
    '# note job="x"\n',
    "`raw`",
    " offset 5m",
)


def _literal(value: str, quote: str) -> str:
    escaped = value.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return f"{quote}{escaped}{quote}"


matchers = st.lists(
    st.builds(
        lambda label, op, value, quote: f"{label}{op}{_literal(value, quote)}",
        st.sampled_from(["job", "code", "__name__", '"a.b"']),
        st.sampled_from(["=", "!=", "=~", "!~", " = ", "= "]),
        st.sampled_from(VALUES),
        st.sampled_from(['"', "'"]),
    ),
    min_size=1,
    max_size=3,
).map(",".join)
selectors = st.builds(lambda metric, inner: f"{metric}{{{inner}}}", st.sampled_from(["", "up", "x_total"]), matchers)
expressions = st.recursive(
    selectors,
    lambda inner: st.one_of(
        st.builds("rate({}[{{{{window}}}}])".format, selectors),
        st.builds("sum by (job) ({})".format, inner),
        st.builds('label_replace({}, "dst", "$1", "job", "(.*)")'.format, inner),
        st.builds('count_values("job", {})'.format, inner),
        st.builds(lambda a, op, b: f"{a}{op}{b}", inner, st.sampled_from(FRAGMENTS[-8:]), inner),
    ),
    max_leaves=4,
)
queries = st.one_of(
    expressions,
    st.builds(
        lambda q, at, fragment: q[:at] + fragment + q[at:], expressions, st.integers(0, 60), st.sampled_from(FRAGMENTS)
    ),
    st.lists(st.sampled_from(FRAGMENTS), max_size=10).map("".join),
)


def _selectors(query: str) -> list[str]:
    found: list[str] = []

    def visit(node: object) -> bool:
        if isinstance(node, promql_parser.VectorSelector):
            found.append(node.prettify())
        return True

    tree = parse_query(query).tree
    if tree is not None:
        promql_parser.walk(tree, visit)
    return found


COMMON = [
    'sum(rate(http_requests_total{job="checkout",code=~"5.."}[{{window}}]))',
    'sum by (job) (rate(http_requests_total{job!="a b", route="/x"}[5m])) / on (job) group_left up{job="x"}',
    'label_replace(up{job="x"}, "dst", "$1", "job", "(.*)")',
    'count_values("job", up{job="x"})',
    'up{job=""}',
    'up{job="a"} == "b"',
    "up{job='single'}",
    'up{job="x"} # comment job="y"',
    'up{job="unterminated}',
    '{job="[{{window}}]checkout"}',
]


@pytest.mark.parametrize("query", COMMON)
def test_common_queries_agree(query: str) -> None:
    """Hand-picked shapes, including refusals and comments, agree with their queries."""
    _assert_agrees(query)


@settings(max_examples=400, deadline=None)
@given(queries)
@example('x{a="b",c!="d"}')
def test_generated_queries_agree(query: str) -> None:
    """Whatever the text, the shape's verdict, root, kept labels and selectors are the query's own."""
    _assert_agrees(query)


def _assert_agrees(query: str) -> None:
    direct = parse_query(query)
    shape = query_shape(query)
    assert (parse_shape(query).error is None) == (direct.error is None), (query, shape.text)
    assert root_kind(query) == (None if direct.tree is None else type(direct.tree).__name__)
    assert kept_labels(query) == (() if direct.tree is None else labels_kept_by(direct.tree))
    shape_selectors = [shape.restore(s) for s in _selectors(shape.text)]
    assert shape_selectors == _selectors(query)


def test_equality_values_share_one_shape() -> None:
    """A thousand services' queries that differ only in equality values are one shape."""
    texts = {query_shape(f'sum(rate(x{{job="svc-{i}",route="/r{i}"}}[5m]))').text for i in range(1000)}
    assert texts == {'sum(rate(x{job="⟦0⟧",route="⟦1⟧"}[5m]))'}


_REFERENCE_STRING = r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`"""
_REFERENCE_TOKENS = re.compile(
    rf"""(?P<label>[A-Za-z_][A-Za-z0-9_]*|"[^"\\\n]*"|'[^'\\\n]*')\s*(?P<op>=~|!~|!=|=)\s*(?P<value>{_REFERENCE_STRING})"""
    rf"""|{_REFERENCE_STRING}"""
)
"""The matcher tokens as first written: every position tried, every identifier suffix retried (slow, plain)."""
IDENTIFIER_RUNS = ("1abc=", "a1b=", "12=", "a:b=", "_x=", "rate5m=", "9 job=", "x_total:rate5m{job=")


def _reference_tokens(query: str) -> list[tuple[int, int, str]]:
    """(value start, value end, label) of each matcher token the plain pattern finds."""
    found = _REFERENCE_TOKENS.finditer(query)
    return [(m.start("value"), m.end("value"), m.group("label").strip("\"'")) for m in found if m.group("op")]


def _tokens(query: str) -> list[tuple[int, int, str]]:
    """The same, from the linear pattern query_shape uses."""
    found = promql_shape._TOKENS.finditer(query)
    return [(m.start("value"), m.end("value"), promql_shape._label(m)) for m in found if m.group("op")]


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        queries, st.lists(st.sampled_from([*FRAGMENTS, *IDENTIFIER_RUNS, '"v"', "'v'"]), max_size=12).map("".join)
    )
)
@example('1abc="x",a:b="y", x1y="z"')
def test_the_linear_scan_finds_the_plain_patterns_matchers(query: str) -> None:
    """Same matchers, values and label names as the plain pattern, whatever the text (digits, colons, quotes)."""
    assert _tokens(query) == _reference_tokens(query)


@settings(max_examples=1000, deadline=None)
@given(
    st.one_of(
        queries,
        st.lists(st.sampled_from([*FRAGMENTS, *IDENTIFIER_RUNS, '"v"', '""', '"a\tb"', "\n", " "]), max_size=12).map(
            "".join
        ),
    )
)
@example('x{"a.b"="x"}')
@example('="x"')
@example('x{job=="a"}')
def test_splitting_at_quotes_gives_the_scans_shape(query: str) -> None:
    """Where the quick split decides, its shape is the token scan's, exactly."""
    quick = promql_shape._split_shape(query)
    if "#" not in query and quick is not None:
        assert quick == promql_shape._scanned_shape(query)


def test_the_quick_split_decides_the_usual_queries() -> None:
    """The queries a thousand services write take the quick path."""
    for query in COMMON[:6]:
        assert promql_shape._split_shape(query) is not None, query
