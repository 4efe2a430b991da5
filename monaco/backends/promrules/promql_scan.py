"""A PromQL token scanner: where functions are called and which version-dependent syntax a query uses.

The in-process parser reports neither positions nor which release a construct needs, so this scanner
walks the query text once, skipping strings and comments, and returns each use with its offset.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""(?P<space>\s+)|(?P<comment>\#[^\n]*)
    |(?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`)
    |(?P<duration>(?:[0-9]+(?:ms|[smhdwy]))+)(?![A-Za-z0-9_.:])
    |(?P<number>0[xX][0-9a-fA-F_]+|(?:[0-9][0-9_]*\.?[0-9_]*|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9]+)?)
    |(?P<ident>[A-Za-z_:][A-Za-z0-9_:]*)
    |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_DURATION_PART = re.compile(r"[0-9]+(?:ms|[smhdwy])")
SYNTAX_TRIGGERS: dict[str, str] = {
    "composite_duration": r"[0-9](?:ms|[smhdwy])[0-9]",
    "at_modifier": r"@",
    "negative_offset": r"offset",
    "duration_as_number": r"(?<![\[:A-Za-z0-9_.])\s*[0-9]+(?:ms|[smhdwy])",
    "quoted_name": r"[{,(]\s*[\"'`]",
}
"""Per syntax feature `uses` reports, a pattern found in every query that uses it (and in some that do not):
a query matching none of the patterns of what a release lacks needs no scan for that release."""
_GROUPING = frozenset({"by", "without", "on", "ignoring", "group_left", "group_right"})
_KEYWORDS = _GROUPING | {"bool", "offset", "and", "or", "unless", "atan2"}


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind (a group name of `_TOKEN`), text and offset in the query."""

    kind: str
    text: str
    offset: int


@dataclass(frozen=True, slots=True)
class Use:
    """A function call or a syntax feature found in a query, at `offset`."""

    name: str
    offset: int
    is_syntax: bool


def tokens(query: str) -> list[Token]:
    """The query's tokens, without spaces and comments."""
    found = []
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            found.append(Token(kind, match.group(), match.start()))
    return found


def uses(query: str) -> list[Use]:
    """Every function call and version-dependent syntax in `query`, in order."""
    return list(_uses(tokens(query)))


def _uses(toks: list[Token]) -> Iterator[Use]:
    braces = brackets = 0
    grouping_parens: list[bool] = []  # one entry per open paren: does it hold a label list?
    for i, tok in enumerate(toks):
        before = toks[i - 1] if i else None
        after = toks[i + 1] if i + 1 < len(toks) else None
        text = tok.text
        if tok.kind == "other":
            braces += (text == "{") - (text == "}")
            brackets += (text == "[") - (text == "]")
            if text == "(":
                grouping_parens.append(before is not None and before.text in _GROUPING)
            elif text == ")" and grouping_parens:
                grouping_parens.pop()
            elif text == "@":
                yield Use("at_modifier", tok.offset, True)
            elif text == "-" and before is not None and before.text == "offset":
                yield Use("negative_offset", tok.offset, True)
        elif tok.kind == "string" and before is not None and before.text in ("{", ",", "("):
            in_labels = braces > 0 and before.text != "("
            if in_labels or (grouping_parens and grouping_parens[-1]):
                yield Use("quoted_name", tok.offset, True)
        elif tok.kind == "duration":
            if len(_DURATION_PART.findall(text)) > 1:
                yield Use("composite_duration", tok.offset, True)
            if not brackets and not _after_offset(toks, i):
                yield Use("duration_as_number", tok.offset, True)
        elif tok.kind == "ident" and not braces and text not in _KEYWORDS and after is not None:
            called = after.text == "(" or after.text in ("by", "without")
            if called and (before is None or before.text != "@"):
                yield Use(text, tok.offset, False)


def _after_offset(toks: list[Token], i: int) -> bool:
    """True when the duration at `toks[i]` follows `offset` (or `offset -`)."""
    before = [t.text for t in toks[max(0, i - 2) : i]]
    return before[-1:] == ["offset"] or before == ["offset", "-"]


def call_argument(query: str, function: str) -> int | None:
    """The offset of the first argument of the first call to `function`, for type errors about it."""
    for i, tok in enumerate(toks := tokens(query)):
        if tok.kind == "ident" and tok.text == function and i + 2 < len(toks) and toks[i + 1].text == "(":
            return toks[i + 2].offset
    return None


def call_offset(query: str, function: str) -> int | None:
    """The offset of the first call to `function`."""
    return next((u.offset for u in uses(query) if u.name == function and not u.is_syntax), None)
