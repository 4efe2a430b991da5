"""YAML to plain values with a position for every key and value; refuses object tags and duplicate keys.

Documents are composed by libyaml through PyYAML's C loader (composition in C, several times faster
than ruamel's Python composer at a thousand services), with YAML 1.2 resolution: the implicit types
are ruamel's 1.2 rules, so `on`, `yes` and `0777` stay what YAML 1.2 says they are.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import ruamel.yaml.resolver
import yaml
from yaml import MarkedYAMLError, YAMLError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from monaco.diagnostics import Diagnostics, Span
from monaco.spec.scalar_positions import ScalarSource, positions

Path = tuple[str | int, ...]

TAG = "tag:yaml.org,2002:"
_ALLOWEDTAGS = {f"{TAG}{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}
_STR_TAG = f"{TAG}str"
_MAX_NODES = 2_000_000
_MAX_DEPTH = 200


class Yaml12Loader(yaml.CSafeLoader):
    """libyaml's parser and composer, resolving plain scalars by YAML 1.2 (ruamel's rules)."""

    yaml_implicit_resolvers: dict[Any, Any] = {}


for _versions, _tag, _regexp, _first in ruamel.yaml.resolver.implicit_resolvers:
    if (1, 2) in _versions:
        Yaml12Loader.add_implicit_resolver(_tag, re.compile(_regexp.pattern, _regexp.flags), _first)

_INT_RE = re.compile(r"^[-+]?(0|[1-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+)$")


@dataclass(slots=True)
class Document:
    """One YAML document as plain Python values, with the source position of every key and value."""

    file: str
    value: Any
    start: tuple[int, int]
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    invalid: set[Path] = field(default_factory=set)
    scalars: dict[Path, ScalarSource] = field(default_factory=dict)
    """How each string written in a style other than plain-on-one-line was written."""
    text: str = ""

    def span_at(self, path: Path, offset: int | None) -> Span:
        """The span of character `offset` of the string at `path`; the value's start when it cannot be mapped."""
        start = self.span(path)
        if offset is None or offset < 0 or path not in self.values:
            return start
        source = self.scalars.get(path)
        if source is None:
            return Span(self.file, start.line, start.col + offset)
        value = self._string_at(path)
        mapped = positions(source, self.text, value) if value is not None else None
        if mapped is None or not mapped:
            return start
        line, col = mapped[min(offset, len(mapped) - 1)]
        return Span(self.file, line, col + (offset >= len(mapped)))

    def _string_at(self, path: Path) -> str | None:
        node = self.value
        for part in path:
            if isinstance(node, dict) and isinstance(part, str):
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                node = node[part]
            else:
                return None
        return node if isinstance(node, str) else None

    def span(self, path: Path, *, key: bool = False) -> Span:
        """The span of the value (or key) at `path`, falling back to the nearest ancestor."""
        probe = tuple(path)
        while True:
            table = self.keys if key and probe in self.keys else self.values
            if probe in table:
                line, col = table[probe]
                return Span(self.file, line, col)
            if not probe:
                return Span(self.file, *self.start)
            probe = probe[:-1]


class _TooDeep(Exception):
    """Raised when a document nests deeper than any spec needs."""


class _Converter:
    """Walks composed nodes into plain values, recording positions and diagnostics."""

    def __init__(self, doc: Document, diagnostics: Diagnostics) -> None:
        self.doc = doc
        self.diagnostics = diagnostics
        self.visited = 0

    def convert(self, node: Node, path: Path) -> Any:
        self.visited += 1
        if self.visited > _MAX_NODES:
            raise _TooDeep("too many nodes (alias expansion?)")
        if len(path) > _MAX_DEPTH:
            raise _TooDeep(f"nesting deeper than {_MAX_DEPTH} levels")
        mark = node.start_mark
        pos = (mark.line + 1, mark.column + 1)
        self.doc.values[path] = pos
        tag = node.tag
        if tag == _STR_TAG and type(node) is ScalarNode:  # most nodes: a string scalar
            if node.style or mark.line != node.end_mark.line:
                self.doc.scalars[path] = ScalarSource(node.style or "", mark.index, node.end_mark.index, *pos)
            return node.value
        if tag not in _ALLOWEDTAGS:
            self.diagnostics.error(
                "MON102",
                f"YAML tag {tag!r} is not allowed",
                Span(self.doc.file, *pos),
                "specs are plain data: remove the tag; tags that construct objects are refused",
            )
            self.doc.invalid.add(path)
            return None
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if node.style or mark.line != node.end_mark.line:
            self.doc.scalars[path] = ScalarSource(node.style or "", mark.index, node.end_mark.index, *pos)
        return scalar_value(node)

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        keys = self.doc.keys
        for key_node, value_node in node.value:
            mark = key_node.start_mark
            key_pos = (mark.line + 1, mark.column + 1)
            if type(key_node) is not ScalarNode or key_node.tag not in _ALLOWEDTAGS:  # `<<` merge keys too
                self.diagnostics.error("MON103", "mapping keys must be plain scalars", Span(self.doc.file, *key_pos))
                continue
            key = str(key_node.value)
            child = (*path, key)
            if key in result:
                first = keys[child]
                self.diagnostics.error(
                    "MON101",
                    f"duplicate key {key!r} (first defined at line {first[0]})",
                    Span(self.doc.file, *key_pos),
                    "YAML keeps only the last value; remove or rename one of them",
                )
                continue
            keys[child] = key_pos
            result[key] = self.convert(value_node, child)
        return result


def scalar_value(node: ScalarNode) -> Any:
    """A scalar node's value by its resolved tag (null, bool, int, float; anything else stays text)."""
    text: str = node.value
    tag = str(node.tag).removeprefix(TAG)
    if tag == "null":
        return None
    if tag == "bool":
        return text.lower() == "true"
    if tag == "int" and _INT_RE.match(text):
        return int(text.replace("_", ""), 0)
    if tag == "float":
        lowered = text.lower().replace("_", "")
        if lowered.endswith((".inf", "inf")):
            return -math.inf if lowered.startswith("-") else math.inf
        if lowered.endswith("nan"):
            return math.nan
        try:
            return float(lowered)
        except ValueError:
            return text
    return text


_QUOTED_OR_COMMENT = re.compile(r"'[^'\n]*'|\"(?:[^\"\\\n]|\\.)*\"|#[^\n]*")
_BRACKET_DEPTH = bytes.maketrans(b"[{]}", b"(())")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[{]}")
_INDENT = re.compile(r"^ *(?:- +)*", re.MULTILINE)


def nesting_estimate(text: str) -> int:
    """An upper-bound estimate of how deeply `text` nests, computed without parsing it.

    The C parser recurses without a limit (a deep enough document crashes the process) and
    slows down quadratically with depth, so depth is bounded before parsing. Flow depth: each pass
    removes every innermost bracket pair, so the passes count how deep pairs nest; an opening bracket
    left unmatched adds one to everything after it.
    """
    stripped = _QUOTED_OR_COMMENT.sub("", text)
    brackets = stripped.encode("utf-8", "replace").translate(_BRACKET_DEPTH, _NOT_BRACKETS)
    passes = 0
    while b"()" in brackets and passes <= _MAX_DEPTH:
        brackets = brackets.replace(b"()", b"")
        passes += 1
    flow = passes + brackets.count(b"(")
    if flow > _MAX_DEPTH or re.search(f"^[ -]{{{2 * (_MAX_DEPTH - flow)},}}", stripped, re.MULTILINE) is None:
        return flow  # no line starts with enough spaces and dashes to nest deeper than the limit
    return flow + max(map(len, _INDENT.findall(stripped)), default=0) // 2


def load_documents(text: str, file: str, diagnostics: Diagnostics) -> list[Document]:
    """Parse every YAML document in `text`; problems become diagnostics, never exceptions."""
    if "\x00" in text:
        diagnostics.error("MON100", "file is binary, not YAML", Span(file, 1, 1), "specs are UTF-8 YAML text")
        return []
    if nesting_estimate(text) > _MAX_DEPTH:
        diagnostics.error(
            "MON100",
            f"document nests deeper than {_MAX_DEPTH} levels",
            Span(file, 1, 1),
            "service specs need a handful of levels; is this file generated by mistake?",
        )
        return []
    documents: list[Document] = []
    try:
        for root in yaml.compose_all(text, Loader=Yaml12Loader):
            if root is None:
                continue
            doc = Document(file, None, (root.start_mark.line + 1, root.start_mark.column + 1), text=text)
            doc.value = _Converter(doc, diagnostics).convert(root, ())
            documents.append(doc)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = Span(file, mark.line + 1, mark.column + 1) if mark else Span(file, 1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        diagnostics.error("MON100", f"YAML syntax error: {problem}", span, _syntax_hint(problem))
    except (YAMLError, _TooDeep, RecursionError) as exc:
        message = str(exc) if isinstance(exc, _TooDeep) else "document nests too deeply to read"
        diagnostics.error("MON100", f"cannot read YAML: {message}", Span(file, 1, 1))
    return documents


def _syntax_hint(problem: str) -> str | None:
    if "tab" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted"
    return None
