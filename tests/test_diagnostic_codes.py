"""The code registry is complete and collision-free: each code is reported by its one owner, and documented."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

from monaco.diagnostic_codes import CODES, markdown

PACKAGE = Path(__file__).resolve().parents[1] / "monaco"
CODE = re.compile(r"^MON\d{3,4}$")


def _codes_written() -> dict[str, set[str]]:
    """Code -> the modules (dotted, under monaco.) whose source holds it as a string literal."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        if module == "diagnostic_codes":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
                found[node.value].add(module)
    return found


def test_every_code_written_is_registered() -> None:
    """A new code goes into `monaco/diagnostic_codes.py` with its owner and meaning."""
    missing = sorted(set(_codes_written()) - set(CODES))
    assert not missing, f"unregistered codes: {missing}"


def test_every_registered_code_is_used() -> None:
    """The registry lists no code that nothing reports any more."""
    unused = sorted(set(CODES) - set(_codes_written()))
    assert not unused, f"registered but never reported: {unused}"


def test_each_code_is_written_only_by_its_owner() -> None:
    """No two packages report one code (MON420 once meant two things in two backends)."""
    strays = {
        code: sorted(m for m in modules if not (m == CODES[code].owner or m.startswith(CODES[code].owner + ".")))
        for code, modules in _codes_written().items()
        if code in CODES
    }
    assert not {c: m for c, m in strays.items() if m}, "codes written outside their owner package"


def test_the_docs_page_is_current() -> None:
    """`docs/diagnostics.md` is generated from the registry."""
    page = PACKAGE.parent / "docs" / "diagnostics.md"
    assert page.read_text(encoding="utf-8") == markdown(), "regenerate: python -m monaco.diagnostic_codes"
