"""List requests: the filter subset a backend needs, `order_by`, and opaque page tokens.

Filter syntax (https://cloud.google.com/monitoring/api/v3/sorting-and-filtering): field references such as
`display_name`, `type`, `labels.KEY` and `user_labels.KEY` (the Terraform provider's notification-channel data source
sends `display_name="..." AND type="..." AND labels.K="..." AND user_labels.K="..."`; Config Connector's recorded
traffic shows `labels.email_address="..."` answered by the real API), compared with `=` to a double-quoted string,
and joined with `AND`. `user_label.KEY` (the singular form the same page uses for sorting) is accepted too. Anything
else (OR, NOT, `:`, parentheses, unquoted values, unknown fields) is INVALID_ARGUMENT, never silently ignored: the
real API accepts more, but a backend tested here must only rely on what is listed.

Paging (ListAlertPoliciesRequest / ListServicesRequest docstrings): `page_size` 0 means a default size; a non-empty
`page_token` "must contain the nextPageToken value returned by a previous call"; `next_page_token` is empty on the
last page. Tokens here are bound to the query they came from, and a foreign or corrupt token is INVALID_ARGUMENT.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from tests.fakes.gcp_monitoring.errors import invalid

Item = TypeVar("Item")
ScalarFields = Mapping[str, Callable[[Any], str]]
"""Filterable plain fields: name -> how to read it from a raw protobuf message."""
MapFields = Mapping[str, Callable[[Any], Mapping[str, str]]]
"""Filterable map fields (`user_labels`, `labels`): prefix -> how to read the map."""

_TERM = re.compile(r'\s*(?P<field>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)?)\s*=\s*"(?P<value>(?:[^"\\]|\\.)*)"\s*')
_AND = re.compile(r"AND\s+")
_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class Page:
    """One page of results and the token of the next one (empty on the last page)."""

    items: list[Any]
    next_page_token: str
    total_size: int


def compile_filter(text: str, scalars: ScalarFields, maps: MapFields) -> Callable[[Any], bool]:
    """A predicate for `text`; INVALID_ARGUMENT for anything outside the supported subset."""
    terms: list[tuple[str, str]] = []
    position = 0
    while text.strip() and position < len(text):
        match = _TERM.match(text, position)
        if match is None:
            raise _unsupported(text, scalars, maps)
        terms.append((match["field"], _ESCAPE.sub(r"\1", match["value"])))
        position = match.end()
        if position < len(text):
            conjunction = _AND.match(text, position)
            if conjunction is None or conjunction.end() == len(text):
                raise _unsupported(text, scalars, maps)
            position = conjunction.end()
    readers = [(_reader(field, text, scalars, maps), value) for field, value in terms]
    return lambda message: all(read(message) == value for read, value in readers)


def _reader(field: str, text: str, scalars: ScalarFields, maps: MapFields) -> Callable[[Any], str | None]:
    """How to read one field reference from a message (None when a map key is absent)."""
    if field in scalars:
        return scalars[field]
    prefix, _, key = field.partition(".")
    if key and prefix in maps:
        read_map = maps[prefix]
        return lambda message: read_map(message).get(key)
    raise _unsupported(text, scalars, maps)


def _unsupported(text: str, scalars: ScalarFields, maps: MapFields) -> Exception:
    """The INVALID_ARGUMENT a filter outside the subset gets, naming what is supported."""
    fields = ", ".join([*sorted(scalars), *(f"{prefix}.KEY" for prefix in sorted(maps))])
    return invalid(
        f'Invalid filter "{text}": this fake supports FIELD = "VALUE" terms joined by AND, over the fields {fields}'
    )


def sort_items(items: list[Item], order_by: str, keys: Mapping[str, Callable[[Item], str]]) -> list[Item]:
    """`items` sorted by name (the default), or by `order_by`: comma-separated `[-]field` entries from `keys`."""
    ordered = sorted(items, key=keys["name"])
    entries = [entry.strip() for entry in order_by.split(",")] if order_by.strip() else []
    for entry in reversed(entries):
        field = entry.removeprefix("-")
        if field not in keys:
            raise invalid(f'Invalid order_by "{order_by}": this fake sorts by {", ".join(sorted(keys))} only')
        ordered.sort(key=keys[field], reverse=entry.startswith("-"))
    return ordered


def paginate(items: Sequence[Item], query: str, page_size: int, page_token: str, default_size: int) -> Page:
    """The page of `items` that `page_token` points at, at most `page_size` (0: `default_size`) long."""
    if page_size < 0:
        raise invalid(f"Field page_size had an invalid value of {page_size}: must not be negative")
    size = page_size or default_size
    start = _offset_of(page_token, query) if page_token else 0
    end = start + size
    token = _token_for(end, query) if end < len(items) else ""
    return Page(items=list(items[start:end]), next_page_token=token, total_size=len(items))


def _query_key(query: str) -> str:
    """A short fingerprint binding a token to the list query that produced it."""
    return hashlib.sha256(query.encode()).hexdigest()[:16]


def _token_for(offset: int, query: str) -> str:
    """An opaque token for the page starting at `offset`."""
    return base64.urlsafe_b64encode(json.dumps([_query_key(query), offset]).encode()).decode()


def _offset_of(page_token: str, query: str) -> int:
    """The offset a token stands for; INVALID_ARGUMENT if it is corrupt or came from another query."""
    try:
        key, offset = json.loads(base64.urlsafe_b64decode(page_token.encode()))
    except (binascii.Error, ValueError, TypeError) as error:
        raise invalid(f'Invalid page_token "{page_token}"') from error
    if key != _query_key(query) or not isinstance(offset, int) or offset < 0:
        raise invalid(f'Invalid page_token "{page_token}": it belongs to another query')
    return offset
