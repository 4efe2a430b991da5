"""Files to validated spec models: the only place that reads spec and target files."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from monaco.diagnostics import Diagnostic, Diagnostics, Span
from monaco.parallel import map_split
from monaco.spec.errors import validation_diagnostics
from monaco.spec.models import (
    DEFAULT_PROMETHEUS_VERSION,
    DEFAULT_SEVERITIES,
    IdentityLabelNames,
    ServiceSpec,
    SettingsSpec,
    SeverityLevel,
    TargetSpec,
    TeamSpec,
)
from monaco.spec.sources import NO_FAMILIES, SourceFamilies, validation_context
from monaco.spec.yaml_loader import Document, load_documents

M = TypeVar("M", bound=BaseModel)
_KINDS: dict[str, type[BaseModel]] = {
    "Service": ServiceSpec,
    "Team": TeamSpec,
    "Settings": SettingsSpec,
    "Target": TargetSpec,
}
_MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Located(Generic[M]):
    """A validated model and the document it came from, for positions."""

    spec: M
    doc: Document


@dataclass(slots=True)
class Workspace:
    """Everything loaded from spec and target paths, with each file's lines for rendering diagnostics."""

    services: list[Located[ServiceSpec]] = field(default_factory=list)
    teams: list[Located[TeamSpec]] = field(default_factory=list)
    settings: list[Located[SettingsSpec]] = field(default_factory=list)
    targets: list[Located[TargetSpec]] = field(default_factory=list)
    sources: dict[str, list[str]] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)
    """Every document of a known kind, valid or not, so checks can look into broken ones too."""
    families: SourceFamilies = NO_FAMILIES
    """The source families the backends registered; they validated every source place."""

    @property
    def severities(self) -> list[SeverityLevel]:
        """The closed set of severities, most severe first."""
        return list(self.settings[0].spec.severities) if self.settings else list(DEFAULT_SEVERITIES)

    @property
    def prometheus_version(self) -> str:
        """The Prometheus version (major.minor) the workspace targets."""
        return self.settings[0].spec.prometheus_version if self.settings else DEFAULT_PROMETHEUS_VERSION

    @property
    def identity_labels(self) -> IdentityLabelNames:
        """The label names monaco adds to generated alerts."""
        return self.settings[0].spec.identity_labels if self.settings else IdentityLabelNames()


def spec_files(paths: list[Path]) -> list[Path]:
    """The YAML files under `paths`, sorted; names under a directory or file starting with `_` are skipped.

    `_`-prefixed places hold inputs that are not monaco documents, such as an Alertmanager base config.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                p
                for p in path.rglob("*")
                if p.suffix in (".yaml", ".yml")
                and p.is_file()
                and not any(part.startswith("_") for part in p.relative_to(path).parts)
            )
        else:
            files.append(path)
    return sorted(dict.fromkeys(files))


@dataclass(slots=True)
class FileRead:
    """One spec file read and parsed: its text (None when unreadable), documents and the problems found."""

    name: str
    text: str | None
    documents: list[Document]
    diagnostics: list[Diagnostic]


def read_file(path: Path) -> FileRead:
    """Read and parse one file; a pure function of the file, so a forked child can run it."""
    diagnostics = Diagnostics()
    text = _read(path, diagnostics)
    documents = load_documents(text, str(path), diagnostics) if text is not None else []
    return FileRead(str(path), text, documents, diagnostics.items)


def load_workspace(paths: list[Path], diagnostics: Diagnostics, families: SourceFamilies = NO_FAMILIES) -> Workspace:
    """Load and validate every document in `paths`, sources by `families`; every problem becomes a diagnostic.

    About half the files are read and parsed in a forked child on a machine with a second core (the parent
    validates its own half meanwhile); the outcome is the same as reading them in turn."""
    workspace = Workspace(families=families)
    named = {str(path) for path in paths if not path.is_dir()}
    for read in map_split(read_file, spec_files(paths)):
        diagnostics.extend(read.diagnostics)
        if read.text is None:
            continue
        workspace.sources[read.name] = read.text.splitlines()
        if not read.documents and read.name in named and not read.diagnostics:
            _empty_file(read.name, diagnostics)
        for doc in read.documents:
            _add_document(workspace, doc, diagnostics)
    if len(workspace.settings) > 1:
        extra = workspace.settings[1].doc
        diagnostics.error(
            "MON121",
            "more than one Settings document",
            Span(extra.file, *extra.start),
            f"keep one; the first is in {workspace.settings[0].doc.file}",
        )
    return workspace


def _empty_file(name: str, diagnostics: Diagnostics) -> None:
    """MON106: a file named on the command line holds no document (only comments, or nothing)."""
    diagnostics.warning(
        "MON106",
        "file holds no documents; nothing in it is checked or compiled",
        Span(name, 1, 1),
        "a file named on the command line is expected to hold a spec: is it the one you meant, or unsaved?",
    )


def _read(path: Path, diagnostics: Diagnostics) -> str | None:
    try:
        if path.stat().st_size > _MAX_FILE_BYTES:
            diagnostics.error("MON100", f"file is larger than {_MAX_FILE_BYTES // 2**20} MiB", Span(str(path), 1, 1))
            return None
        data = path.read_bytes()
    except OSError as exc:
        diagnostics.error("MON100", f"cannot read file: {exc.strerror or exc}", Span(str(path), 1, 1))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diagnostics.error("MON100", "file is not UTF-8 text", Span(str(path), line, 1), "specs are UTF-8 YAML text")
        return None


def _add_document(workspace: Workspace, doc: Document, diagnostics: Diagnostics) -> None:
    if not isinstance(doc.value, dict):
        got = "a list" if isinstance(doc.value, list) else f"a {type(doc.value).__name__}"
        diagnostics.error(
            "MON114",
            f"a document must be a mapping, got {got}",
            Span(doc.file, *doc.start),
            "start with `apiVersion: monaco/v1` and `kind: Service`",
        )
        return
    kind = doc.value.get("kind")
    model = _KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        close = difflib.get_close_matches(str(kind), list(_KINDS), n=1)
        span = doc.span(("kind",)) if "kind" in doc.value else Span(doc.file, *doc.start)
        diagnostics.error(
            "MON115" if "kind" in doc.value else "MON111",
            f"unknown document kind {kind!r}" if "kind" in doc.value else "missing required field 'kind'",
            span,
            f"did you mean {close[0]!r}?" if close else f"kind is one of {', '.join(_KINDS)}",
        )
        return
    workspace.documents.append(doc)
    spec = validate_model(model, doc, diagnostics, families=workspace.families)
    if spec is None:
        return
    located: Located[Any] = Located(spec, doc)
    buckets: dict[type[BaseModel], list[Located[Any]]] = {
        ServiceSpec: workspace.services,
        TeamSpec: workspace.teams,
        SettingsSpec: workspace.settings,
        TargetSpec: workspace.targets,
    }
    buckets[model].append(located)


def validate_model(
    model: type[M],
    doc: Document,
    diagnostics: Diagnostics,
    path: tuple[str, ...] = (),
    families: SourceFamilies = NO_FAMILIES,
) -> M | None:
    """Validate the value at `path` in `doc` against `model`; errors become positioned diagnostics."""
    value = doc.value
    for part in path:
        value = value.get(part, {}) if isinstance(value, dict) else {}
    try:
        return model.model_validate(value, context=validation_context(families))
    except ValidationError as exc:
        diagnostics.extend(validation_diagnostics(exc, doc, model, path, families))
        return None
