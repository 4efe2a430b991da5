"""Where each character of a YAML string value was written: offsets inside a value to `line:col`.

An error inside a PromQL expression or a Go template is reported at its own column, not at the
start of the field. Plain, single- and double-quoted scalars (on one line or folded over several)
and literal (`|`) and folded (`>`) block scalars are mapped character by character, then checked by
rebuilding the value from the mapped source: when the rebuilt text differs (an escape or a folding
rule this module does not model), the caller falls back to the field's start.
"""

from __future__ import annotations

from dataclasses import dataclass

Position = tuple[int, int]
"""A 1-based line and column."""

_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


@dataclass(frozen=True, slots=True)
class ScalarSource:
    """How a string scalar was written: its style and where its source text starts and ends."""

    style: str
    start: int
    end: int
    line: int
    col: int


def positions(source: ScalarSource, text: str, value: str) -> list[Position] | None:
    """The source position of each character of `value`, or None when it cannot be mapped exactly."""
    raw = text[source.start : source.end]
    mapped = _block(raw, source, value) if source.style in ("|", ">") else _flow(raw, source)
    if mapped is None:
        return None
    rebuilt = "".join(char for char, _ in mapped)
    if rebuilt != value:
        return None
    return [pos for _, pos in mapped]


def _advance(pos: Position, char: str) -> Position:
    return (pos[0] + 1, 1) if char == "\n" else (pos[0], pos[1] + 1)


def _flow(raw: str, source: ScalarSource) -> list[tuple[str, Position]] | None:
    """Plain or quoted scalars: escapes decoded, line breaks folded as YAML folds them."""
    quote = source.style if source.style in ("'", '"') else ""
    body = raw[1:-1] if quote else raw
    pos: Position = (source.line, source.col + (1 if quote else 0))
    out: list[tuple[str, Position]] = []
    kept = 0  # escaped characters before a line break are kept; written blanks are not
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\n":
            while len(out) > kept and out[-1][0] in " \t":
                out.pop()
            breaks, i, pos = _fold(body, i, pos)
            out.extend((c, pos) for c in breaks)
            continue
        if quote == "'" and body.startswith("''", i):
            out.append(("'", pos))
            i, pos = i + 2, (pos[0], pos[1] + 2)
            continue
        if quote == '"' and char == "\\":
            decoded = _escape(body, i)
            if decoded is None:
                return None
            value, width = decoded
            if value == "\n" and body[i + 1] == "\n":  # an escaped line break joins lines without a space
                _, i, pos = _fold(body, i + 1, (pos[0], pos[1] + 1))
                continue
            out.append((value, pos))
            kept = len(out)
            i, pos = i + width, (pos[0], pos[1] + width)
            continue
        out.append((char, pos))
        i, pos = i + 1, _advance(pos, char)
    return out


def _fold(body: str, i: int, pos: Position) -> tuple[str, int, Position]:
    """Skip a line break, the empty lines after it and the next line's indentation; return what it folds to."""
    empty = 0
    i, pos = i + 1, (pos[0] + 1, 1)
    while True:
        while i < len(body) and body[i] in " \t":
            i, pos = i + 1, (pos[0], pos[1] + 1)
        if i < len(body) and body[i] == "\n":
            empty += 1
            i, pos = i + 1, (pos[0] + 1, 1)
            continue
        break
    return ("\n" * empty if empty else " "), i, pos


def _escape(body: str, i: int) -> tuple[str, int] | None:
    """The character a double-quoted escape at `body[i]` stands for, and its width in the source."""
    if i + 1 >= len(body):
        return None
    key = body[i + 1]
    if key == "\n":
        return "\n", 1
    if key in _ESCAPES:
        return _ESCAPES[key], 2
    digits = _HEX_ESCAPES.get(key)
    if digits is None:
        return None
    try:
        return chr(int(body[i + 2 : i + 2 + digits], 16)), 2 + digits
    except ValueError:
        return None


def _block(raw: str, source: ScalarSource, value: str) -> list[tuple[str, Position]] | None:
    """Literal and folded block scalars: content lines without their indentation."""
    header, _, content = raw.partition("\n")
    lines = content.split("\n")
    indent = _indent(header, lines)
    if indent is None:
        return None
    first_line = source.line + 1
    out: list[tuple[str, Position]] = []
    previous_normal = False
    pending_empty = 0
    for n, line in enumerate(lines):
        if not line.strip(" "):
            pending_empty += 1
            continue
        body = line[indent:]
        normal = not body.startswith((" ", "\t"))
        if out:
            joint = _joint(source.style, previous_normal and normal, pending_empty)
            out.extend((c, (first_line + n - 1, len(lines[n - 1]) + 1)) for c in joint)
        pending_empty = 0
        out.extend((c, (first_line + n, indent + k + 1)) for k, c in enumerate(body))
        previous_normal = normal
    rebuilt = "".join(c for c, _ in out)
    tail = value[len(rebuilt) :]
    if not value.startswith(rebuilt) or tail.strip("\n"):
        return None
    return out + [(c, (first_line + len(lines) - 1, 1)) for c in tail]


def _joint(style: str, both_normal: bool, empty: int) -> str:
    """What separates two content lines of a block scalar."""
    if style == "|":
        return "\n" * (empty + 1)
    if both_normal:
        return "\n" * empty if empty else " "
    return "\n" * (empty + 1)


def _indent(header: str, lines: list[str]) -> int | None:
    """A block scalar's content indentation: explicit in the header, else the first content line's."""
    digits = [c for c in header.split("#")[0] if c.isdigit()]
    if digits:
        return None  # an explicit indentation indicator is relative to the parent: not modelled
    for line in lines:
        if line.strip(" "):
            return len(line) - len(line.lstrip(" "))
    return None
