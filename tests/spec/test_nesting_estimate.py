"""The nesting bound read before parsing: refuses exactly what nests past the limit, on flow and block nesting."""

from __future__ import annotations

import random
import re
from itertools import accumulate

import pytest

from monaco.diagnostics import Diagnostics
from monaco.spec.yaml_loader import _MAX_DEPTH, load_documents, nesting_estimate


def reference_flow_depth(text: str) -> int:
    """The deepest bracket nesting outside quotes and comments, as a running count of opens minus closes."""
    stripped = re.sub(r"'[^'\n]*'|\"(?:[^\"\\\n]|\\.)*\"|#[^\n]*", "", text)
    return max(accumulate(1 if c in "[{" else -1 for c in stripped if c in "[{]}"), default=0)


@pytest.mark.parametrize("seed", range(200))
def test_balanced_flow_depth_is_exact(seed: int) -> None:
    """Balanced brackets, nested at random, give the running count's depth exactly."""
    rng = random.Random(seed)
    parts: list[str] = []
    depth = 0
    for _ in range(rng.randrange(1, 400)):
        if depth and rng.random() < 0.5:
            parts.append(rng.choice("]}"))
            depth -= 1
        else:
            parts.append(rng.choice(["[", "{", "a: [", "'[' ", "# ]\n"]) if rng.random() < 0.9 else "x")
            depth += parts[-1] in ("[", "{", "a: [")
    text = "".join(parts) + "]" * depth
    assert nesting_estimate(text) == reference_flow_depth(text)


@pytest.mark.parametrize("seed", range(100))
def test_unbalanced_brackets_never_estimate_below_the_running_count(seed: int) -> None:
    rng = random.Random(seed)
    text = "".join(rng.choice("[]{}x '\"#\n") for _ in range(rng.randrange(1, 300)))
    assert nesting_estimate(text) >= reference_flow_depth(text)


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("[" * _MAX_DEPTH + "]" * _MAX_DEPTH, False),
        ("[" * (_MAX_DEPTH + 1) + "]" * (_MAX_DEPTH + 1), True),
        ("".join("  " * i + "a:\n" for i in range(_MAX_DEPTH)), False),
        ("".join("  " * i + "a:\n" for i in range(_MAX_DEPTH + 2)), True),
        ("  " * 150 + "- " * 60 + "x\n", True),
        ("a: " + "[" * 150 + "\n" + "  " * 60 + "b\n", True),
        ("q: '" + "[" * 500 + "'\n", False),
    ],
)
def test_the_limit_is_where_the_loader_refuses(text: str, refused: bool) -> None:
    diagnostics = Diagnostics()
    load_documents(text, "deep.yaml", diagnostics)
    deep = [d for d in diagnostics.items if "nests deeper" in d.message]
    assert bool(deep) is refused
