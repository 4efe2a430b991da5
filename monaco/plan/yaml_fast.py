"""A fast writer for the YAML monaco generates, byte-identical to `yamltext.dump_yaml`'s ruamel output.

ruamel's pure-Python emitter is about 90% of compile time at scale, and no C emitter can write its
sequence indentation (`key:` then `  - item`). This writer handles the shapes monaco generates:
mappings with string keys, lists, strings, numbers, booleans and null. Each string's style (plain,
single-quoted, literal block) is decided by ruamel's own scalar analysis and resolver, cached per
string, so quoting matches exactly. Anything else (a list directly in a list, a string that would need
double quotes, line folding or a block indentation indicator, a long key) returns None and the caller
uses ruamel. A property test compares the two on generated documents.
"""

from __future__ import annotations

import math
import re
from types import SimpleNamespace
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.nodes import ScalarNode

YAML11_IMPLICIT = re.compile(
    r"^(?:[yYnN]|yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|"
    r"[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)|[0-9:]+|)$"
)
"""Strings that YAML 1.1 readers (Prometheus and Alertmanager use Go's yaml.v2) would take for another type."""


def wants_literal(text: str) -> bool:
    """Multi-line strings without trailing spaces are written as `|` blocks (readable PromQL in diffs).

    Not when a line starts with a tab: libyaml (and so Prometheus' and Alertmanager's readers' cousins,
    and monaco's own reader) refuses a tab where a block scalar's indentation goes."""
    if "\n" not in text:
        return False
    if _PRINTABLE_ASCII_LINES.fullmatch(text) is not None:  # the usual PromQL: only a space can trail a line
        return _TRAILING_SPACE.search(text) is None
    return not any(line != line.rstrip() or line.startswith("\t") for line in text.splitlines())


class _Dumper:
    """What ruamel's scalar analysis asks of a dumper: its type and the YAML version written (1.2)."""

    typ = "safe"
    serializer = SimpleNamespace(use_version=None)


_RESOLVER = YAML(typ="safe", pure=True).resolver
_EMITTER = Emitter(None, allow_unicode=True, dumper=_Dumper())
_SAFE_LENGTH = 1000
"""Longer strings may be folded at the 4096-column width; ruamel writes those."""


class Unsupported(Exception):
    """The value has a shape this writer leaves to ruamel."""


def fast_dump(value: Any) -> str | None:
    """`value` exactly as `dump_yaml`'s ruamel setup writes it, or None when ruamel must write it."""
    if not isinstance(value, dict | list) or not value:
        return None
    out: list[str] = []
    try:
        if isinstance(value, dict):
            _mapping(value, 0, out)
        else:
            _sequence(value, 2, out)
    except Unsupported:
        return None
    return "".join(out)


def _mapping(value: dict[Any, Any], indent: int, out: list[str], first_inline: bool = False) -> None:
    """Each `key: value` at `indent`; with `first_inline` the first key follows a `- ` already written."""
    heads = _HEADS.get(indent) or _HEADS.setdefault(indent, {})
    texts = _TEXTS
    cut = indent if first_inline else 0
    for key, item in value.items():
        head = heads.get(key) or _head(key, indent, heads)
        if cut:
            head, cut = head[cut:], 0
        if type(item) is str:  # most values: a one-line string on the key's line
            text = texts.get(item)  # only one-line strings are remembered
            if text is not None:
                out.append(f"{head}: {text}\n")
                continue
            if "\n" not in item:
                out.append(f"{head}: {_text(item)}\n")
                continue
        out.append(head + ":")
        _value(item, indent, out)


_HEADS: dict[int, dict[str, str]] = {}
"""By indentation, each key already written and its text there (`    expr`)."""


def _head(key: Any, indent: int, heads: dict[str, str]) -> str:
    """`key`'s text after `indent` spaces, remembered in `heads`; keys that are not short text are refused."""
    if type(key) is not str or len(key) > 100:
        raise Unsupported  # not text, or long enough that ruamel may treat it specially
    if len(heads) >= _REMEMBERED_STRINGS:
        heads.clear()
    heads[key] = head = " " * indent + _scalar_text(key, False)
    return head


_TEXTS: dict[str, str] = {}
"""Short one-line strings already written, and how (a dictionary lookup is the hot path of writing rule files)."""
_REMEMBERED_LENGTH = 64
"""Longer strings (queries, descriptions) are nearly all written once: remembering them would only hold memory."""


_REMEMBERED_STRINGS = 262144
"""When the memo is full it starts again: files are written service by service, so the strings written last are the
ones written next (a memo that only stopped growing would miss every new service's strings)."""


def _text(text: str) -> str:
    """`_scalar_text(text)`, remembered in `_TEXTS` when short."""
    found = _scalar_text(text, False)
    if len(text) <= _REMEMBERED_LENGTH:
        if len(_TEXTS) >= _REMEMBERED_STRINGS:
            _TEXTS.clear()
        _TEXTS[text] = found
    return found


def _value(item: Any, indent: int, out: list[str]) -> None:
    """What follows `key:`: a scalar on the same line, or a nested block below it."""
    if isinstance(item, dict) and item:
        out.append("\n")
        _mapping(item, indent + 2, out)
    elif isinstance(item, list) and item:
        out.append("\n")
        _sequence(item, indent + 2, out)
    elif isinstance(item, str) and wants_literal(item):
        out.append(" " + _literal(item, indent + 2))
    else:
        out.append(" " + _scalar(item) + "\n")


def _sequence(value: list[Any], indent: int, out: list[str]) -> None:
    """Each item as `- item` at `indent`; a mapping item's keys line up two columns in."""
    dash = " " * indent + "- "
    for item in value:
        out.append(dash)
        if isinstance(item, dict) and item:
            _mapping(item, indent + 2, out, first_inline=True)
        elif (isinstance(item, list) and item) or (isinstance(item, str) and wants_literal(item)):
            raise Unsupported
        else:
            out.append(_scalar(item) + "\n")


def _literal(text: str, indent: int) -> str:
    """A `|` block: its chomping header, then each line at `indent` (empty lines stay empty)."""
    if text[0] in " \n" or _PRINTABLE_ASCII_LINES.fullmatch(text) is None:
        raise Unsupported  # an indentation indicator, or characters the literal style cannot hold
    if not text.endswith("\n"):
        header = "|-"
    elif text.endswith("\n\n"):
        raise Unsupported
    else:
        header = "|"
    body = _LINE_START.sub(" " * indent, text.rstrip("\n"))  # each non-empty line indented, in one C pass
    return header + "\n" + body + "\n"


def _scalar(item: Any) -> str:
    """A scalar value as ruamel's safe representer writes it."""
    if item is None:
        return "null"
    if item is True or item is False:
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        return _float_text(item)
    if isinstance(item, str):
        return _TEXTS.get(item) or _text(item)
    if isinstance(item, dict | list):  # empty: written in flow style
        return "{}" if isinstance(item, dict) else "[]"
    raise Unsupported


def _float_text(item: float) -> str:
    """ruamel's safe float text (YAML 1.2 output): `repr`, lower-cased, with `.nan` and `.inf` spelt out."""
    if item != item:
        return ".nan"
    if item in (math.inf, -math.inf):
        return ".inf" if item > 0 else "-.inf"
    return repr(item).lower()


def _scalar_text(text: str, is_key: bool) -> str:
    """A string plain when ruamel would write it plain, else single-quoted; anything else is Unsupported."""
    if "\n" in text or len(text) > _SAFE_LENGTH:
        raise Unsupported
    if text == "":
        return "''"
    if _plain_is_safe(text):  # the common case, decided without ruamel's per-character analysis
        if YAML11_IMPLICIT.match(text) is None and (text[0] in _TEXT_STARTS or _reads_back_as_text(text)):
            return text
        if YAML11_IMPLICIT.match(text) is None and "'" in text:
            raise Unsupported  # ruamel double-quotes it
        return _single_quoted(text)
    if _never_plain(text):  # printable ASCII that an indicator keeps from being plain: quoted
        if YAML11_IMPLICIT.match(text) is None and "'" in text:
            raise Unsupported  # ruamel double-quotes it
        return _single_quoted(text)
    analysis = _analysis(text)
    if YAML11_IMPLICIT.match(text) is None:  # the representer leaves the style to the emitter
        if analysis.allow_block_plain and _reads_back_as_text(text):
            return text
        if analysis.allow_double_quoted and "'" in text:
            raise Unsupported  # ruamel double-quotes it
    if analysis.allow_single_quoted:
        return _single_quoted(text)
    raise Unsupported


_PRINTABLE_ASCII = re.compile(r"[ -~]*")
_PRINTABLE_ASCII_LINES = re.compile(r"[ -~\n]*")
_TRAILING_SPACE = re.compile(r" (?:\n|\Z)")
_LINE_START = re.compile(r"^(?=[^\n])", re.MULTILINE)
_SAFE_START = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_(/$.")
_TEXT_STARTS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_(/$")
"""Plain scalars starting with these resolve to a string unless YAML11_IMPLICIT matches (true, null...)."""


def _plain_is_safe(text: str) -> bool:
    """True when ruamel's analysis would allow `text` plain in block context (printable ASCII, no indicators).

    Conservative: a False only means the full analysis decides."""
    return (
        text[0] in _SAFE_START
        and text[-1] not in ": "
        and _PRINTABLE_ASCII.fullmatch(text) is not None
        and ": " not in text
        and " #" not in text
        and not text.startswith("...")
    )


_LEADING_INDICATORS = frozenset("#,[]{}&*!|>'\"%@` ")


def _never_plain(text: str) -> bool:
    """True for printable ASCII on one line that ruamel can never write plain (and can always single-quote)."""
    return _PRINTABLE_ASCII.fullmatch(text) is not None and (
        text[0] in _LEADING_INDICATORS
        or text[-1] in ": "
        or ": " in text
        or " #" in text
        or text.startswith(("...", "---"))
    )


def _single_quoted(text: str) -> str:
    """`text` in single quotes, its own quotes doubled (YAML's only escape there)."""
    return "'" + text.replace("'", "''") + "'"


def _analysis(text: str) -> Any:
    return _EMITTER.analyze_scalar(text)


def _reads_back_as_text(text: str) -> bool:
    """True when a plain scalar `text` resolves to a string (not a number, bool, null or timestamp)."""
    return str(_RESOLVER.resolve(ScalarNode, text, (True, False))) == "tag:yaml.org,2002:str"
