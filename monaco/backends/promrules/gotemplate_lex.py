"""The lexer of Go's text/template (`text/template/parse/lex.go`, go1.19), with character offsets."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_KEYWORDS = frozenset(["block", "break", "continue", "define", "else", "end", "if", "range", "template", "with"])
_SPACE = " \t\r\n"
_IDENT = re.compile(r"[\w]+")
_NUMBER = re.compile(
    r"[+-]?(?:0[xX][0-9a-fA-F_]*\.?[0-9a-fA-F_]*(?:[pP][+-]?[0-9_]+)?|0[bB][01_]+|0[oO][0-7_]+"
    r"|[0-9_]*\.?[0-9_]*(?:[eE][+-]?[0-9_]+)?)i?"
)
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_CHAR = re.compile(r"'(?:[^'\\\n]|\\.)*'")


@dataclass(frozen=True, slots=True)
class Token:
    """One lexeme: its kind, its text and its character offset."""

    kind: str
    value: str
    offset: int

    def describe(self) -> str:
        """How Go's parser names the token in messages."""
        if self.kind == "eof":
            return "EOF"
        if self.kind == "keyword":
            return f"<{self.value}>"
        return json.dumps(self.value, ensure_ascii=False)


class TemplateError(Exception):
    """A parse error at a character offset, with a hint."""

    def __init__(self, message: str, offset: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


def lex(text: str) -> list[Token]:
    """The tokens of `text`; raises TemplateError where Go's lexer stops with an error."""
    tokens: list[Token] = []
    pos = 0
    while True:
        start = text.find("{{", pos)
        if start < 0:
            if pos < len(text):
                tokens.append(Token("text", text[pos:], pos))
            tokens.append(Token("eof", "", len(text)))
            return tokens
        if start > pos:
            tokens.append(Token("text", text[pos:start], pos))
        pos = _action(text, start, tokens)


def _action(text: str, start: int, tokens: list[Token]) -> int:
    """Lex one `{{ ... }}` starting at `start`; return the offset after it."""
    pos = start + 2
    if text.startswith("-", pos) and pos + 1 < len(text) and text[pos + 1] in _SPACE:
        pos += 2  # a `{{- ` trim marker
    if text.startswith("/*", pos):
        return _comment(text, start, pos, tokens)
    tokens.append(Token("left", "{{", start))
    parens = 0
    while True:
        if pos >= len(text):
            raise TemplateError("unclosed action", start, "unclosed action: add `}}`")
        end = _right_delimiter(text, pos)
        if end is not None:
            if parens:
                raise TemplateError("unclosed left paren", pos, "add `)` before `}}`")
            tokens.append(Token("right", "}}", pos))
            return end
        token = _action_token(text, pos)
        if token.kind == "lparen":
            parens += 1
        elif token.kind == "rparen":
            parens -= 1
            if parens < 0:
                raise TemplateError("unexpected right paren", pos)
        tokens.append(token)
        pos += len(token.value)


def _right_delimiter(text: str, pos: int) -> int | None:
    """The offset after `}}` (or ` -}}`) when one starts at `pos`."""
    if text.startswith("}}", pos):
        return pos + 2
    if text[pos] in _SPACE and text.startswith("-}}", pos + 1):
        return pos + 4
    return None


def _comment(text: str, start: int, pos: int, tokens: list[Token]) -> int:
    close = text.find("*/", pos + 2)
    if close < 0:
        raise TemplateError("unclosed comment", start, "close it with `*/}}`")
    after = close + 2
    end = _right_delimiter(text, after) if after < len(text) else None
    if end is None:
        raise TemplateError("comment ends before closing delimiter", after, "write `*/}}` with nothing between")
    tokens.append(Token("comment", text[start:end], start))
    return end


def _action_token(text: str, pos: int) -> Token:
    """The token inside an action at `pos`."""
    char = text[pos]
    if char in _SPACE:
        length = len(text[pos:]) - len(text[pos:].lstrip(_SPACE))
        if text.startswith("-}}", pos + length):
            length -= 1  # the last blank belongs to a ` -}}` trim marker
        return Token("space", text[pos : pos + length], pos)
    simple = {"|": "pipe", "(": "lparen", ")": "rparen", "=": "assign"}
    if char in simple:
        return Token(simple[char], char, pos)
    if char == ":":
        if not text.startswith(":=", pos):
            raise TemplateError("expected :=", pos)
        return Token("declare", ":=", pos)
    if char in "\"`'":
        return _quoted(text, pos)
    if char == "$":
        match = _IDENT.match(text, pos + 1)
        return Token("variable", "$" + (match.group() if match else ""), pos)
    if char == "." and not (pos + 1 < len(text) and text[pos + 1].isdigit()):
        match = _IDENT.match(text, pos + 1)
        return Token("field", "." + match.group(), pos) if match else Token("dot", ".", pos)
    if char in "+-" or char.isdigit() or char == ".":
        return _number(text, pos)
    if char.isalnum() or char == "_":
        return _identifier(text, pos)
    if char.isascii() and char.isprintable():
        return Token("char", char, pos)
    raise TemplateError(f"unrecognized character in action: U+{ord(char):04X}", pos)


def _quoted(text: str, pos: int) -> Token:
    char = text[pos]
    if char == "`":
        close = text.find("`", pos + 1)
        if close < 0:
            raise TemplateError("unterminated raw quoted string", pos)
        return Token("raw", text[pos : close + 1], pos)
    pattern, kind, what = (_STRING, "string", "quoted string") if char == '"' else (_CHAR, "char", "character constant")
    match = pattern.match(text, pos)
    if match is None:
        raise TemplateError(f"unterminated {what}", pos, f"close the {what} on the same line")
    if kind == "char" and not re.fullmatch(
        r"'(?:[^\\]|\\.|\\[0-7]{3}|\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4})'", match.group()
    ):
        raise TemplateError(
            f"malformed character constant: {match.group()}",
            pos,
            "a character constant holds one character; write text in double quotes",
        )
    return Token("string" if kind == "string" else "charconst", match.group(), pos)


def _number(text: str, pos: int) -> Token:
    match = _NUMBER.match(text, pos)
    value = match.group() if match else ""
    end = pos + len(value)
    if not any(c.isdigit() for c in value) or (end < len(text) and (text[end].isalnum() or text[end] == "_")):
        word = re.match(r"[^\s{}()|]*", text[pos:])
        raise TemplateError(f"bad number syntax: {word.group() if word else text[pos]!r}", pos)
    return Token("number", value, pos)


def _identifier(text: str, pos: int) -> Token:
    match = _IDENT.match(text, pos)
    assert match is not None
    word = match.group()
    end = pos + len(word)
    if end < len(text) and not (text[end] in _SPACE or text[end] in ".,|:)(" or text.startswith("}}", end)):
        raise TemplateError(f"bad character U+{ord(text[end]):04X} {text[end]!r}", end)
    if word in _KEYWORDS:
        return Token("keyword", word, pos)
    if word in ("true", "false"):
        return Token("bool", word, pos)
    if word == "nil":
        return Token("nil", word, pos)
    return Token("identifier", word, pos)
