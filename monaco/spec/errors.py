"""Pydantic validation errors turned into positioned diagnostics with stable codes and hints."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from monaco.diagnostics import Diagnostic, Span
from monaco.spec.sources import NO_FAMILIES, SourceFamilies, Sources
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
    error: ValidationError,
    doc: Document,
    model: type[BaseModel],
    base: Path = (),
    families: SourceFamilies = NO_FAMILIES,
) -> list[Diagnostic]:
    """Map every error of a failed validation to a diagnostic at the offending key or value."""
    located: list[tuple[Path, Any]] = []
    for item in _closest_union_branches(error.errors(include_url=False)):
        located.append((_document_path(doc.value, base, item["loc"]), dict(item)))
    diagnostics: list[Diagnostic] = []
    error_paths = [path for path, _ in located]
    for path, item in located:
        kind = item["type"]
        if any(path[: len(bad)] == bad for bad in doc.invalid):
            continue  # already reported while reading the YAML (a refused tag)
        if kind in _TYPE_ERRORS and any(len(p) > len(path) and p[: len(path)] == path for p in error_paths):
            continue  # a union alternative failed deeper; the deeper error says more
        diagnostics.append(_diagnostic(item, path, doc, model, base, families))
    return list(dict.fromkeys(diagnostics))


def _closest_union_branches(items: list[Any]) -> list[Any]:
    """Where a value matched no member of a union, only the errors of the member it came closest to.

    A CloudWatch metric with one misspelt key fails as a metric (one unknown field) and as metric math
    (missing `expression`, `metrics`, every key unknown); only the first says what is wrong. A member
    the value is not even the shape of (a mapping given where text is one option) counts as farthest."""
    branches: dict[tuple[Any, ...], dict[str, int]] = {}
    for item in items:
        if (split := _union_split(item["loc"])) is not None:
            counts = branches.setdefault(split[0], {})
            wrong_shape = item["type"] in _TYPE_ERRORS and len(item["loc"]) == len(split[0]) + 1
            counts[split[1]] = counts.get(split[1], 0) + (1000 if wrong_shape else 1)
    best = {prefix: min(counts, key=lambda b: counts[b]) for prefix, counts in branches.items()}
    kept = []
    for item in items:
        split = _union_split(item["loc"])
        if split is None or best[split[0]] == split[1]:
            kept.append(item)
    return kept


def _union_split(loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], str] | None:
    """(location before the first union tag, the tag) of an error inside a union member, else None."""
    for i, part in enumerate(loc):
        if i > 0 and _is_union_tag(part):
            return tuple(loc[:i]), str(part)
    return None


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


def _diagnostic(
    item: Any, path: Path, doc: Document, model: type[BaseModel], base: Path, families: SourceFamilies
) -> Diagnostic:
    kind = item["type"]
    field = ".".join(str(p) for p in path[len(base) :]) or "document"
    message = str(item["msg"]).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        hint = _unknown_field_hint(model, path[len(base) : -1], str(path[-1]), families)
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
    if kind == "time_interval":
        hint = "Alertmanager's time interval syntax: times HH:MM, weekdays monday:friday, days_of_month 1:7 or -1"
        return Diagnostic("MON116", f"{field}: {message}", doc.span(path), hint)
    if "is not a duration" in message or "a duration is a string" in message:
        return Diagnostic("MON112", f"{field}: {message}", doc.span(path), "units: s, m, h, d, w (e.g. 90s, 1h30m)")
    if kind in _TYPE_ERRORS:
        return Diagnostic("MON114", f"{field}: {message}", doc.span(path, key="[key]" in item["loc"]))
    if kind in ("literal_error", "enum"):
        return Diagnostic("MON115", f"{field}: {message}", doc.span(path))
    return Diagnostic("MON113", f"{field}: {message}", doc.span(path, key="[key]" in item["loc"]))


def _unknown_field_hint(model: type[BaseModel], path: Path, key: str, families: SourceFamilies) -> str | None:
    """Did-you-mean, else the family a source field belongs under, else the fields allowed here."""
    allowed = _allowed_fields(model, path, families)
    close = difflib.get_close_matches(key, allowed, n=1)
    if close:
        return f"did you mean {close[0]!r}?"
    owners = _owning_families(model, path, key, families)
    if owners:
        return f"{key!r} is part of a backend's source: write it under {' or '.join(f'`{o}:`' for o in owners)}"
    return f"allowed here: {', '.join(allowed)}" if allowed else None


def _parent_span(doc: Document, path: Path) -> Span:
    parent = path[:-1]
    return doc.span(parent, key=bool(parent))


def _annotation_at(model: type[BaseModel], path: Path, families: SourceFamilies) -> Any:
    """The annotation reached by following `path` from `model` (None when the path leaves the models)."""
    current: Any = model
    for part in path:
        current = _step(_by_family(current, families), part)
        if current is None:
            return None
    return current


def _allowed_fields(model: type[BaseModel], path: Path, families: SourceFamilies) -> list[str]:
    """The field names (aliases) accepted by the model reached by following `path` from `model`."""
    return _field_names(_by_family(_annotation_at(model, path, families), families))


def _field_names(annotation: Any) -> list[str]:
    models = [m for m in _candidates(annotation) if isinstance(m, type) and issubclass(m, BaseModel)]
    return sorted({f.alias or name for m in models for name, f in m.model_fields.items()})


def _owning_families(model: type[BaseModel], path: Path, key: str, families: SourceFamilies) -> list[str]:
    """At a source place, the families whose own source has field `key` (written one level too high)."""
    places = [c for c in _candidates(_annotation_at(model, path, families)) if isinstance(c, type)]
    return [
        name
        for place in places
        if issubclass(place, Sources)
        for name in families.names(place.role)
        if key in _field_names(families.annotation(place.role, name))
    ]


def _by_family(annotation: Any, families: SourceFamilies) -> Any:
    """A source place's model as the registered families make it (family keys beside the place's own fields)."""
    found = []
    for candidate in _candidates(annotation):
        if isinstance(candidate, type) and issubclass(candidate, Sources):
            candidate = families.model(candidate.role, candidate.common)
        found.append(candidate)
    return found[0] if len(found) == 1 else typing.Union[tuple(found)]  # noqa: UP007


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
