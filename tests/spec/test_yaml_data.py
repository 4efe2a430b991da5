"""Live files read back by libyaml's events give exactly what ruamel's YAML 1.2 loader gave."""

from __future__ import annotations

import copy
import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from monaco.plan.yamltext import dump_yaml
from monaco.spec.yaml_data import YamlReadError, load_one_yaml, load_yaml_data, plain_copy
from tests.plan.test_yaml_fast import DOCUMENT, KEY


def _ruamel(text: str) -> list[Any]:
    return list(YAML(typ="safe", pure=True).load_all(text))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEY, DOCUMENT, min_size=1, max_size=5))
def test_what_monaco_writes_reads_back_as_ruamel_reads_it(value: Any) -> None:
    """Every document monaco's writer produces loads to the same data through both readers."""
    text = dump_yaml(value)
    assert repr(load_yaml_data(text)) == repr(_ruamel(text))


@pytest.mark.parametrize(
    "text",
    [
        "a: 0777\nb: 0x1F\nc: on\nd: -1_000\ne: ~\nf: .5\ng: true\nh: ''\ni:\nj: 0o17\nk: 1e3\n---\n- x\n",
        "when: 2024-01-01\n",  # a date: the full constructor
        "a: &x {b: 1}\nc: *x\n",  # an alias
        "base: &b {x: 1}\nmerged: {<<: *b, y: 2}\n",  # a merge key
        "a: !!str 12\n",  # an explicit tag
        "",
        "---\n...\n",
        "flow: {a: [1, {b: c}], 'q': \"d\"}\n",
        "text: |\n  line one\n  line two\n",
    ],
)
def test_hand_written_files_read_as_ruamel_reads_them(text: str) -> None:
    """Anchors, merges, tags, dates and YAML 1.2 numbers: the same data as ruamel's loader."""
    assert repr(load_yaml_data(text)) == repr(_ruamel(text))


def test_a_syntax_error_has_a_position_and_two_documents_are_refused_where_one_is_expected() -> None:
    """Errors say what and where; `load_one_yaml` refuses a stream of several documents."""
    with pytest.raises(YamlReadError) as error:
        load_yaml_data("a: [1,\n")
    assert error.value.line is not None and error.value.problem
    with pytest.raises(YamlReadError):
        load_one_yaml("a: 1\n---\nb: 2\n")


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEY, DOCUMENT, min_size=1, max_size=5))
def test_a_plain_copy_is_a_deep_copy(value: Any) -> None:
    """Equal to deepcopy's, and sharing no container with the original."""
    copied = plain_copy(value)
    assert repr(copied) == repr(copy.deepcopy(value))
    assert not _shared_containers(value, copied)


def test_a_value_marshal_does_not_know_is_deep_copied() -> None:
    value = {"when": [datetime.date(2026, 12, 3)], "note": {"a": 1}}
    copied = plain_copy(value)
    assert copied == value and copied["note"] is not value["note"]


def _shared_containers(a: Any, b: Any) -> bool:
    """True when some dict or list inside `a` is the very object at the same place in `b`."""
    if isinstance(a, dict | list) and a is b:
        return True
    if isinstance(a, dict):
        return any(_shared_containers(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return any(_shared_containers(x, y) for x, y in zip(a, b, strict=True))
    return False
