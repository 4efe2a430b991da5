"""A query's shape: its text with each equality matcher's value replaced by a numbered placeholder.

A thousand services write the same few queries with different label values (`job="checkout"`,
`job="cart"`). Whether a query parses, its root node and which labels it keeps depend on its
structure, not on those values, so each shape is parsed once and its answers are shared: what a
value contributes (a kept label's pinned value) is put back from the query's own values.

Only values that cannot change a verdict become placeholders: the string after `=` or `!=` that is
non-empty (`{job=""}` alone is refused) and has no escape, quote, brace or control character. Regex matchers (`=~`, `!~`),
function arguments (`label_replace`'s label names) and raw strings stay as written, and a query
with a `#` comment keeps its text, so the tokenizer never disagrees with the lexer about where a
string is.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

_STRING = r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`"""
_TOKENS = re.compile(
    rf"""(?:(?<![A-Za-z0-9_])[0-9]*+(?P<name>[A-Za-z_][A-Za-z0-9_]*+)|(?P<quoted>"[^"\\\n]*"|'[^'\\\n]*'))"""
    rf"""\s*(?P<op>=~|!~|!=|=)\s*(?P<value>{_STRING})|{_STRING}"""
)
"""A label matcher (groups `name` or `quoted`, `op`, `value`), or any other string literal, kept whole.

A label name is tried only where a run of name characters starts (digits first are skipped, as a name cannot
start with one), and taken whole: the scan stays linear in the query's length instead of retrying every
suffix of every identifier."""
_SIMPLE = re.compile(r"""(?:"[^"'\\{\x00-\x1f\x7f]+"|'[^"'\\{\x00-\x1f\x7f]+')""")
"""A value a placeholder may stand for: non-empty, no escape, quote, brace or control character (a brace may open a
`{{window}}`, which is substituted everywhere in the text, strings included)."""
_OPEN, _CLOSE = "\u27e6", "\u27e7"
_PLACEHOLDER = re.compile(f"{_OPEN}(\\d+){_CLOSE}")


@dataclass(frozen=True, slots=True)
class Shape:
    """A query's shape text and the values its placeholders stand for, in order."""

    text: str
    values: tuple[str, ...]

    def restore(self, text: str) -> str:
        """`text` (read from the shape's parse) with each placeholder replaced by the value it stands for."""
        if not self.values or _OPEN not in text:
            return text
        return _PLACEHOLDER.sub(lambda m: self.values[int(m.group(1))], text)


@functools.lru_cache(maxsize=65536)
def query_shape(query: str) -> Shape:
    """The shape of `query`: equality-matcher values become `"⟦0⟧"`, `"⟦1⟧"`, ... (cached).

    A label matched more than once keeps its values: Prometheus orders a selector's matchers by
    value among equal names, and a placeholder must not change that order."""
    if "#" in query or _OPEN in query:
        return Shape(query, ())
    quick = _split_shape(query)
    return quick if quick is not None else _scanned_shape(query)


def _scanned_shape(query: str) -> Shape:
    """The shape, from the token scan: any quoting, escapes and raw strings."""
    matchers = [m for m in _TOKENS.finditer(query) if m.group("op") is not None]
    if not matchers:
        return Shape(query, ())
    seen = Counter(_label(m) for m in matchers)
    parts: list[str] = []
    values: list[str] = []
    end = 0
    for match in matchers:
        if match.group("op") not in ("=", "!=") or not _SIMPLE.fullmatch(match.group("value")):
            continue
        if seen[_label(match)] > 1:
            continue
        parts += [query[end : match.start("value")], f'"{_OPEN}{len(values)}{_CLOSE}"']
        values.append(match.group("value")[1:-1])
        end = match.end("value")
    return Shape("".join(parts) + query[end:], tuple(values))


_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_NOT_PLACEHELD = re.compile(r"[{\x00-\x1f\x7f]")
"""A character that keeps a value as written: a control character, or a brace (see `_SIMPLE`)."""


def _split_shape(query: str) -> Shape | None:
    """The shape of a query whose strings are all double-quoted without escapes (nearly every query), found by
    splitting at its quotes, several times faster than the scan; None where the scan must decide.

    Every odd part is then a string; it is a matcher's value when the code before it ends with a label name
    and an operator. A quoted label name (`{"a.b"="x"}`) is left to the scan."""
    if "'" in query or "`" in query or "\\" in query:
        return None
    parts = query.split('"')
    if len(parts) % 2 == 0:
        return None
    found: list[tuple[int, str, str]] = []
    for index in range(1, len(parts), 2):
        if "\n" in parts[index]:
            return None
        code = parts[index - 1].rstrip()
        if code.endswith(("=~", "!~", "!=")):
            op = code[-2:]
        elif code.endswith("="):
            op = "="
        else:
            continue
        before = code[: -len(op)].rstrip()
        if not before:
            return None  # an operator right after a string (a quoted label name) or at the start: the scan decides
        start = len(before)
        while start and before[start - 1] in _NAME_CHARS:
            start -= 1
        name = before[start:].lstrip("0123456789")
        if name:
            found.append((index, name, op))
    seen = Counter(name for _, name, _ in found)
    values: list[str] = []
    for index, name, op in found:
        value = parts[index]
        if op in ("=", "!=") and value and seen[name] == 1 and _NOT_PLACEHELD.search(value) is None:
            parts[index] = f"{_OPEN}{len(values)}{_CLOSE}"
            values.append(value)
    return Shape('"'.join(parts), tuple(values))


def _label(match: re.Match[str]) -> str:
    """The label name a matcher token matches (a quoted name without its quotes)."""
    return match.group("name") or match.group("quoted").strip("\"'")
