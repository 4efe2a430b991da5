"""The fast YAML writer gives ruamel's bytes exactly, or declines; on monaco's own output it never declines."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from monaco.plan.views import prefixed_lines
from monaco.plan.yaml_fast import fast_dump, wants_literal
from monaco.plan.yamltext import dump_yaml, ruamel_dump

_PIECES = st.sampled_from([*"abcXYZ019 _-:#'\"{}[]|>?*&!%@`,.=~/\\$\t\né€", "{{ $labels.x }}", "le", "  ", ": "])
TEXT = st.one_of(
    st.lists(_PIECES, max_size=12).map("".join),
    st.sampled_from(["", "y", "n", "on", "off", "yes", "null", "~", "true", "12", "0x1f", "1e3", ".5", "2024-01-01"]),
    st.sampled_from(["- a", "? x", "a: b", "a #b", "#x", "'q'", "it's", "x\ny", "x\ny\n", "a\n\nb\n", " lead"]),
)
SCALAR = st.one_of(TEXT, st.integers(-(10**20), 10**20), st.floats(allow_nan=True), st.booleans(), st.none())
KEY = st.one_of(TEXT, st.sampled_from(["n", "y", "expr", "labels"]))
DOCUMENT = st.recursive(
    SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEY, inner, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.dictionaries(KEY, DOCUMENT, min_size=1, max_size=5), st.lists(DOCUMENT, min_size=1, max_size=4)))
def test_fast_dump_is_ruamel_byte_for_byte_or_declines(value: Any) -> None:
    """Whatever it writes is exactly what ruamel writes."""
    fast = fast_dump(value)
    if fast is not None:
        assert fast == ruamel_dump(value)


def test_monaco_shaped_documents_take_the_fast_path() -> None:
    """A rule file and an Alertmanager config as monaco generates them are written fast, and identically."""
    rules = {
        "groups": [
            {
                "name": "checkout",
                "interval": "30s",
                "rules": [
                    {
                        "alert": "HighErrorRate",
                        "expr": 'sum(rate(http_requests_total{code=~"5.."}[5m]))\n  / sum(rate(http_requests_total[5m])) > 0.001',
                        "for": "5m",
                        "labels": {"severity": "critical", "service": "checkout", "n": "1"},
                        "annotations": {"summary": "{{ $labels.instance }}: errors at {{ $value }}", "runbook_url": ""},
                    },
                    {"record": "slo:sli_error:ratio_rate5m", "expr": "x / y", "labels": {"slo": "availability"}},
                ],
            }
        ]
    }
    config = {
        "route": {"receiver": "default", "routes": [{"matchers": ['service="checkout"'], "continue": True}]},
        "receivers": [
            {"name": "default", "webhook_configs": [{"url": "http://127.0.0.1:9/x", "send_resolved": False}]}
        ],
        "inhibit_rules": [{"source_matchers": ['severity="critical"'], "equal": ["alertname"]}],
        "templates": [],
        "threshold": 0.000466666666666667,
    }
    for value in (rules, config):
        assert fast_dump(value) is not None
        assert dump_yaml(value) == ruamel_dump(value)


def _wants_literal_by_lines(text: str) -> bool:
    """The rule `wants_literal` keeps, written the slow way: every line clean of trailing space and leading tab."""
    return "\n" in text and not any(line != line.rstrip() or line.startswith("\t") for line in text.splitlines())


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from([*"ab #\t\n\r\x85\u2028", "  ", " \n", "\n\t"]), max_size=10).map("".join))
def test_wants_literal_matches_the_line_by_line_rule(text: str) -> None:
    """Its quick path for printable ASCII decides exactly as a check of each line does."""
    assert wants_literal(text) == _wants_literal_by_lines(text)


@given(st.lists(st.sampled_from([*"ab -:\n\r\x0b\x85é"]), max_size=12).map("".join))
def test_prefixed_lines_is_each_line_after_the_prefix(text: str) -> None:
    """The plan's `+ ` lines are Python's own line split, whatever line breaks the text holds."""
    assert prefixed_lines(text, "  + ") == "\n".join("  + " + line for line in text.splitlines())
