"""No input, however broken, gives a traceback: generated garbage and classic hostile YAML."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monaco.diagnostics import Diagnostics
from monaco.engine import load_checked

HOSTILE = {
    "empty": b"",
    "binary": bytes(range(256)) * 4,
    "latin1": "name: caf\xe9\n".encode("latin-1"),
    "list_root": b"- a\n- b\n",
    "deep_flow": b"[" * 200_000 + b"]" * 200_000,
    "deep_block": "".join("  " * i + "a:\n" for i in range(3000)).encode(),
    "billion_laughs": b"a: &a [x, x, x, x, x, x, x, x, x]\n"
    + b"".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n".encode() for i in range(8)),
    "python_tag": b"!!python/object/apply:os.system ['echo hi']\n",
    "ten_megabytes": b"apiVersion: monaco/v1\nkind: Service\nmetadata: {name: x, team: y}\nalerts:\n"
    + b"  - {name: A, severity: low, source: {prometheus: up}, summary: s}\n" * 150_000,
}


def _load(path: Path) -> Diagnostics:
    diagnostics = Diagnostics()
    load_checked([path], diagnostics)
    return diagnostics


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_give_diagnostics_not_tracebacks(tmp_path: Path, name: str) -> None:
    """Each hostile file loads without raising; broken ones get a diagnostic."""
    path = tmp_path / "spec.yaml"
    path.write_bytes(HOSTILE[name])
    diagnostics = _load(path)
    if name not in ("empty",):
        assert diagnostics.has_errors


_yaml_text = st.recursive(
    st.one_of(st.text(max_size=12), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.binary(max_size=400))
def test_random_bytes_never_raise(tmp_path: Path, garbage: bytes) -> None:
    """Arbitrary bytes are read or refused with a diagnostic."""
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(garbage)
    _load(path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(metadata=_yaml_text, alerts=_yaml_text, routes=_yaml_text)
def test_random_structures_in_a_service_never_raise(
    tmp_path: Path, metadata: object, alerts: object, routes: object
) -> None:
    """Any JSON-like values in a service's fields give diagnostics, never an exception."""
    import json

    path = tmp_path / "fuzz.yaml"
    doc = {"apiVersion": "monaco/v1", "kind": "Service", "metadata": metadata, "alerts": alerts, "routes": routes}
    path.write_text(json.dumps(doc, default=str))
    _load(path)
