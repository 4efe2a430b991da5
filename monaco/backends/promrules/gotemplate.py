"""A parse check for Go text/template as Prometheus uses it in alert labels and annotations (pure).

Prometheus parses each annotation and label value with Go's `text/template`, after prepending
`{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}`
`{{$value := .Value}}`, and with its own functions (`template/template.go`). This module follows
Go's `text/template/parse` (lexer and parser, go1.19 as promtool 2.42 is built with) closely enough to
refuse what `promtool check rules` refuses at parse time: unclosed actions, comments, strings and
parentheses; unbalanced `if`/`range`/`with`/`define`/`block` and `end`/`else`; undefined functions
and variables; empty commands and pipelines. Field names (`.Labels.x`) are not checked: Go does not
check them at parse time either. Each problem carries the offset of the offending token.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from dataclasses import dataclass

from monaco.backends.promrules.gotemplate_lex import TemplateError, Token, lex
from monaco.backends.promrules.promql_versions import Version

GO_BUILTINS = frozenset(
    [
        "and",
        "call",
        "html",
        "index",
        "slice",
        "js",
        "len",
        "not",
        "or",
        "print",
        "printf",
        "println",
        "urlquery",
        "eq",
        "ge",
        "gt",
        "le",
        "lt",
        "ne",
    ]
)
PROMETHEUS_FUNCTIONS: dict[str, Version] = {
    **{
        name: (2, 0)
        for name in [
            "args",
            "externalURL",
            "first",
            "graphLink",
            "humanize",
            "humanize1024",
            "humanizeDuration",
            "humanizeTimestamp",
            "label",
            "match",
            "pathPrefix",
            "query",
            "reReplaceAll",
            "safeHtml",
            "sortByLabel",
            "strvalue",
            "tableLink",
            "title",
            "toLower",
            "toUpper",
            "value",
        ]
    },
    "humanizePercentage": (2, 11),
    "parseDuration": (2, 32),
    "stripPort": (2, 33),
    "stripDomain": (2, 36),
    "toTime": (2, 38),
    "now": (3, 6),
    "toDuration": (3, 6),
    "urlQueryEscape": (3, 8),
}
"""Functions Prometheus' template engine defines, with the release each arrived in (template/template.go)."""
PROMETHEUS_VARIABLES = ("$labels", "$externalLabels", "$externalURL", "$value")
_CONTROL = frozenset({"if", "range", "with"})
_LITERALS = frozenset({"bool", "dot", "nil", "number", "string", "raw", "charconst"})


@dataclass(frozen=True, slots=True)
class Problem:
    """A template problem: what, at which character offset of the text, and a hint."""

    message: str
    offset: int
    hint: str | None = None


def functions_for(version: Version) -> frozenset[str]:
    """Every function a template may call on Prometheus `version`."""
    return GO_BUILTINS | {name for name, first in PROMETHEUS_FUNCTIONS.items() if first <= version}


@functools.lru_cache(maxsize=16384)
def check_template(text: str, version: Version = (2, 42)) -> Problem | None:
    """The first problem Go's template parser would report in `text`, as Prometheus parses it, or None.

    Cached: teams write the same few summaries (`{{ $labels.instance }} is down`) across many alerts."""
    if "{{" not in text:
        return None
    try:
        _Parser(lex(text), functions_for(version), version).parse()
    except TemplateError as exc:
        return Problem(exc.message, exc.offset, exc.hint)
    return None


class _Parser:
    """Recursive descent over the token list, as `text/template/parse` does it."""

    def __init__(self, tokens: list[Token], functions: frozenset[str], version: Version) -> None:
        self.tokens = [t for t in tokens if t.kind != "text"]
        self.pos = 0
        self.functions = functions
        self.version = version
        self.vars: list[str] = ["$", *PROMETHEUS_VARIABLES]
        self.ranges = 0

    def peek(self) -> Token:
        return self.tokens[self.pos]

    def next(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def next_non_space(self) -> Token:
        token = self.next()
        while token.kind == "space":
            token = self.next()
        return token

    def peek_non_space(self) -> Token:
        saved = self.pos
        token = self.next_non_space()
        self.pos = saved
        return token

    def fail(self, message: str, token: Token, hint: str | None = None) -> TemplateError:
        return TemplateError(message, token.offset, hint)

    def parse(self) -> None:
        """Top level: definitions and items until EOF; a stray `end` or `else` is an error."""
        while self.peek().kind != "eof":
            if self.peek().kind == "left" and self._starts("define"):
                self.next_non_space()
                self.next_non_space()
                self._definition()
                continue
            stop = self._item()
            if stop is not None:
                raise self.fail(f"unexpected {{{{{stop.value}}}}}", stop)

    def _starts(self, keyword: str) -> bool:
        saved = self.pos
        self.next()
        token = self.next_non_space()
        self.pos = saved
        return token.kind == "keyword" and token.value == keyword

    def _definition(self) -> None:
        name = self.next_non_space()
        if name.kind not in ("string", "raw"):
            raise self.fail(f"unexpected {name.describe()} in define clause", name)
        self._expect_right("define clause")
        self._body_with_own_scope("define")

    def _body_with_own_scope(self, what: str) -> None:
        """A `define` or `block` body: a template of its own, where only `$` is declared."""
        saved_vars, saved_ranges = self.vars, self.ranges
        self.vars, self.ranges = ["$"], 0
        stop = self._list(what)
        if stop.value != "end":
            raise self.fail(f"unexpected {{{{{stop.value}}}}} in {what}", stop)
        self._expect_right("end")
        self.vars, self.ranges = saved_vars, saved_ranges

    def _list(self, what: str) -> Token:
        """Items until `{{end}}` or `{{else}}`; returns that keyword token."""
        while True:
            if self.peek().kind == "eof":
                raise self.fail("unexpected EOF", self.peek(), f"close the `{what}` with `{{{{end}}}}`")
            stop = self._item()
            if stop is not None:
                return stop

    def _item(self) -> Token | None:
        """One action or comment; returns the `end`/`else` keyword that ends the enclosing list."""
        token = self.next()
        if token.kind == "comment":
            return None
        token = self.next_non_space()
        if token.kind == "keyword":
            return self._keyword(token)
        self.pos -= 1
        self._pipeline("command", declarations=1)
        return None

    def _keyword(self, token: Token) -> Token | None:
        word = token.value
        if word in ("end", "else"):
            return token
        if word in _CONTROL:
            self._control(word)
        elif word in ("break", "continue"):
            if not self.ranges:
                raise self.fail(f"{{{{{word}}}}} outside {{{{range}}}}", token)
            self._expect_right(f"{{{{{word}}}}}")
        elif word in ("template", "block"):
            self._template(word)
        else:
            raise self.fail(f"unexpected <{word}> in command", token)
        return None

    def _control(self, word: str) -> None:
        depth = len(self.vars)
        self._pipeline(word, declarations=2 if word == "range" else 1)
        self.ranges += word == "range"
        stop = self._list(word)
        self.ranges -= word == "range"
        if stop.value == "else":
            after = self.peek_non_space()
            if after.kind == "keyword" and after.value in ("if", "with"):
                if after.value == "with" and self.version < (3, 0):
                    raise self.fail("unexpected <with> in else", after, "`else with` needs Go 1.23 (Prometheus 3)")
                self.next_non_space()
                self._control(after.value)  # `else if` shares the enclosing `end`
                self.vars = self.vars[:depth]
                return
            self._expect_right("else")
            stop = self._list(word)
            if stop.value != "end":
                raise self.fail("expected end; found {{else}}", stop, "an `if` has one `else`")
        self._expect_right("end")
        self.vars = self.vars[:depth]

    def _template(self, word: str) -> None:
        name = self.next_non_space()
        if name.kind not in ("string", "raw"):
            raise self.fail(f"unexpected {name.describe()} in {word} clause", name)
        if word == "template" and self.peek_non_space().kind == "right":
            self.next_non_space()
            return
        self._pipeline(word, declarations=0)
        if word == "block":
            self._body_with_own_scope("block")

    def _expect_right(self, what: str) -> None:
        token = self.next_non_space()
        if token.kind != "right":
            raise self.fail(f"unexpected {token.describe()} in {what}", token)

    def _pipeline(self, context: str, declarations: int, closer: str = "right") -> None:
        """Declarations, then commands separated by `|`, up to `}}` (or `)` inside parentheses)."""
        start = self.peek_non_space()
        self._declarations(context, declarations)
        commands: list[list[Token]] = []
        while True:
            token = self.peek_non_space()
            if token.kind == closer:
                self.next_non_space()
                break
            if token.kind in ("right", "rparen", "eof"):
                raise self.fail(f"unexpected {token.describe()} in {context}", token)
            commands.append(self._command(closer))
        if not commands:
            raise self.fail(f"missing value for {context}", start)
        for stage, command in enumerate(commands[1:], start=2):
            if command[0].kind in _LITERALS:
                raise self.fail(f"non executable command in pipeline stage {stage}", command[0])

    def _declarations(self, context: str, allowed: int) -> None:
        saved = self.pos
        names: list[Token] = []
        while True:
            token = self.next_non_space()
            if token.kind != "variable":
                break
            names.append(token)
            after = self.next_non_space()
            if after.kind == "declare" or (after.kind == "assign" and len(names) == 1):
                if len(names) > max(allowed, 1):
                    raise self.fail(f"too many declarations in {context}", token)
                self.vars.extend(n.value for n in names)
                return
            if not (after.kind == "char" and after.value == "," and allowed == 2):
                break
        self.pos = saved

    def _command(self, closer: str) -> list[Token]:
        operands: list[Token] = []
        while True:
            token = self.peek_non_space()
            if token.kind == "pipe":
                self.next_non_space()
                if not operands:
                    raise self.fail("empty command", token)
                return operands
            if token.kind in (closer, "right", "rparen", "eof"):
                if not operands:
                    raise self.fail("empty command", token)
                return operands
            operands.append(self._operand())
            after = self.peek()
            if after.kind not in ("space", "pipe", closer, "right", "rparen", "eof"):
                raise self.fail(f"unexpected {after.describe()} in operand", after, "separate arguments with a space")

    def _operand(self) -> Token:
        token = self.next_non_space()
        if token.kind == "identifier":
            if token.value not in self.functions:
                raise self.fail(
                    f"function {_quote(token.value)} not defined", token, _suggest(token.value, self.functions)
                )
        elif token.kind == "variable":
            if token.value not in self.vars:
                raise self.fail(
                    f"undefined variable {_quote(token.value)}", token, _suggest(token.value, set(self.vars))
                )
        elif token.kind == "lparen":
            self._pipeline("parenthesized pipeline", declarations=1, closer="rparen")
        elif token.kind not in _LITERALS and token.kind != "field":
            raise self.fail(f"unexpected {token.describe()} in operand", token, _operand_hint(token))
        while self.peek().kind == "field":
            self.next()
        return token


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _suggest(name: str, known: set[str] | frozenset[str]) -> str | None:
    close = difflib.get_close_matches(name, sorted(k for k in known if len(k) > 1), n=1)
    return f"did you mean `{close[0]}`?" if close else None


def _operand_hint(token: Token) -> str | None:
    if token.kind == "char" and re.fullmatch(r"[{}]", token.value):
        return "actions are closed by `}}`"
    return None
