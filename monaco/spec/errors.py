"""Pydantic validation errors turned into positioned diagnostics with stable codes and hints."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from monaco.diagnostics import Diagnostic, Span
from monaco.spec.yaml_loader import Document, Path

_TYPE_ERRORS = {
    "string_type",
    "int_type",
    "int_parsing",
    "float_type",
    "float_parsing",
    "bool_type",
    "bool_parsing",
    "dict_type",
    "list_type",
    "model_type",
    "model_attributes_type",
    "decimal_type",
    "decimal_parsing",
    "int_from_float",
    "url_type",
}


def validation_diagnostics(
    error: ValidationError, doc: Document, model: type[BaseModel], base: Path = ()
) -> list[Diagnostic]:
    """Map every error of a failed validation to a diagnostic at the offending key or value."""
    located: list[tuple[Path, Any]] = []
    for item in error.errors(include_url=False):
        located.append((_document_path(doc.value, base, item["loc"]), dict(item)))
    diagnostics: list[Diagnostic] = []
    error_paths = [path for path, _ in located]
    for path, item in located:
        kind = item["type"]
        if any(path[: len(bad)] == bad for bad in doc.invalid):
            continue  # already reported while reading the YAML (a refused tag)
        if kind in _TYPE_ERRORS and any(len(p) > len(path) and p[: len(path)] == path for p in error_paths):
            continue  # a union alternative failed deeper; the deeper error says more
        diagnostics.append(_diagnostic(item, path, doc, model, base))
    return list(dict.fromkeys(diagnostics))


_UNION_TAGS = {
    "str",
    "int",
    "float",
    "bool",
    "decimal",
    "url",
    "none",
    "list",
    "dict",
    "json-or-python",
    "lax-or-strict",
}


def _is_union_tag(part: Any) -> bool:
    """Pydantic inserts the union member's name into `loc`; field names never look like these."""
    return isinstance(part, str) and (part in _UNION_TAGS or "[" in part or "-" in part or part[:1].isupper())


def _document_path(value: Any, base: Path, loc: tuple[Any, ...]) -> Path:
    """Follow pydantic's `loc` through the document, skipping union-branch tags it inserts."""
    path: list[str | int] = list(base)
    node = value
    for part in base:
        node = node[part] if isinstance(node, dict) and part in node else None
    for part in loc:
        found, child = _child(node, part)
        if found:
            path.append(part)
            node = child
        elif isinstance(node, dict) and isinstance(part, str) and not _is_union_tag(part):
            path.append(part)  # a missing or unknown key: keep it so the message can name it
            node = None
        # anything else is a union tag such as `str` or `PromMetric`: not part of the document
    return tuple(path)


def _child(node: Any, part: Any) -> tuple[bool, Any]:
    """(True, value) when `part` is a key of a mapping or an index of a list in the document."""
    if isinstance(node, dict) and isinstance(part, str) and part in node:
        return True, node[part]
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return True, node[part]
    return False, None


def _diagnostic(item: Any, path: Path, doc: Document, model: type[BaseModel], base: Path) -> Diagnostic:
    kind = item["type"]
    field = ".".join(str(p) for p in path[len(base) :]) or "document"
    message = str(item["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, path[len(base) : -1])
        close = difflib.get_close_matches(str(path[-1]), allowed, n=1)
        hint = f"did you mean {close[0]!r}?" if close else (f"allowed here: {', '.join(allowed)}" if allowed else None)
        return Diagnostic("MON110", f"unknown field {path[-1]!r}", doc.span(path, key=True), hint)
    if kind == "missing":
        return Diagnostic("MON111", f"missing required field {path[-1]!r}", _parent_span(doc, path))
    if kind == "secret_inline":
        return Diagnostic(
            "MON105",
            f"{field}: {message}",
            doc.span(path),
            "keep secrets out of specs: `{env: NAME}` or `{file: /path}`; plans show only a fingerprint",
        )
    if "is not a duration" in message or "a duration is a string" in message:
        return Diagnostic("MON112", f"{field}: {message}", doc.span(path), "units: s, m, h, d, w (e.g. 90s, 1h30m)")
    if kind in _TYPE_ERRORS:
        return Diagnostic("MON114", f"{field}: {message}", doc.span(path, key="[key]" in item["loc"]))
    if kind in ("literal_error", "enum"):
        return Diagnostic("MON115", f"{field}: {message}", doc.span(path))
    return Diagnostic("MON113", f"{field}: {message}", doc.span(path, key="[key]" in item["loc"]))


def _parent_span(doc: Document, path: Path) -> Span:
    parent = path[:-1]
    return doc.span(parent, key=bool(parent))


def _allowed_fields(model: type[BaseModel], path: Path) -> list[str]:
    """The field names (aliases) accepted by the model reached by following `path` from `model`."""
    current: Any = model
    for part in path:
        current = _step(current, part)
        if current is None:
            return []
    models = [m for m in _candidates(current) if isinstance(m, type) and issubclass(m, BaseModel)]
    return sorted({f.alias or name for m in models for name, f in m.model_fields.items()})


def _step(annotation: Any, part: str | int) -> Any:
    for candidate in _candidates(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel) and isinstance(part, str):
            for name, info in candidate.model_fields.items():
                if part in (name, info.alias):
                    return info.annotation
        origin = typing.get_origin(candidate)
        if origin is list and isinstance(part, int):
            return typing.get_args(candidate)[0]
        if origin is dict and isinstance(part, str):
            return typing.get_args(candidate)[1]
    return None


def _candidates(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _candidates(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [c for arg in typing.get_args(annotation) for c in _candidates(arg)]
    return [annotation]
