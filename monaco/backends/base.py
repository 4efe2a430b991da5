"""The backend contract: render (pure), read_live (read-only I/O, normalized once, at the edge), apply (I/O)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

from pydantic import BaseModel

from monaco.diagnostics import Diagnostic, Span
from monaco.drill.contract import DrillAlert, DrillResult, DrillWait, not_drillable
from monaco.ir.nodes import Model, Receiver, Service
from monaco.ir.route_query import Delivery, RouteQuery, as_receivers, by_name, ir_delivery
from monaco.plan.model import Change, Resource
from monaco.spec.sources import SourceFamily
from monaco.spec.types import SecretRef

SecretFingerprint = Callable[[str, Span | None], str | None]
"""Looks up a secret reference (`env:NAME` or `file:PATH`) and returns its fingerprint, or None if unset."""
Notice = Callable[[str], None]
"""Where a backend reports progress and notices (a lock being waited for) during apply; the engine passes it."""


def print_nothing(line: str) -> None:
    """A `Notice` that drops every line (the default when nobody listens)."""


NEVER_CANCELLED = threading.Event()
"""The `cancel` of an apply nobody can interrupt (never set)."""


SecretValue = Callable[[str], str]
"""Resolves a secret reference to its value, at apply time only; raises KeyError when it cannot."""


@dataclass(frozen=True, slots=True)
class Target:
    """One configured instance of a backend, with its validated config and where it was defined."""

    name: str
    backend: str
    config: BaseModel
    base_dir: Path
    origin: Span | None
    selected: tuple[Service, ...] = ()
    inputs: Mapping[str, Any] = field(default_factory=dict)
    """What the backend read for this target when the workspace was loaded (a base config), so render is pure."""

    def path(self, value: str | Path) -> Path:
        """A path from the target's config, relative to the directory of the target file."""
        candidate = Path(value)
        return candidate if candidate.is_absolute() else self.base_dir / candidate


@dataclass(slots=True)
class RenderResult:
    """What a backend would create for a target, and what it could not express there."""

    resources: list[Resource] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(slots=True)
class LiveState:
    """What a target holds now, normalized; `calls` counts the API calls (or files) read."""

    resources: list[Resource] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    calls: int = 0


@dataclass(frozen=True, slots=True)
class ChangeResult:
    """The outcome of one applied change."""

    key: str
    action: str
    ok: bool
    message: str = ""


ChangeListener = Callable[[ChangeResult], None]
"""Told each change's outcome the moment a backend records it (the CLI prints progress from it)."""
_listeners: list[ChangeListener] = []
_listeners_lock = threading.Lock()


@contextlib.contextmanager
def listening(listener: ChangeListener) -> Iterator[None]:
    """While the block runs, every result added to any ApplyReport (from any thread) is also given to `listener`."""
    with _listeners_lock:
        _listeners.append(listener)
    try:
        yield
    finally:
        with _listeners_lock:
            _listeners.remove(listener)


class ReportedResults(list[ChangeResult]):
    """An apply's results; each one added is also told to the listeners, so progress shows as changes complete."""

    def append(self, item: ChangeResult) -> None:
        """Record one outcome and tell the listeners."""
        super().append(item)
        with _listeners_lock:
            listeners = list(_listeners)
        for listener in listeners:
            listener(item)

    def extend(self, items: Iterable[ChangeResult]) -> None:
        """Record several outcomes, telling the listeners of each."""
        for item in items:
            self.append(item)


@dataclass(slots=True)
class ApplyReport:
    """Per-change outcomes of an apply, plus target-level problems (a rejected reload)."""

    results: list[ChangeResult] = field(default_factory=ReportedResults)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every change succeeded and nothing else failed."""
        return not self.errors and all(r.ok for r in self.results)

    def none_applied(self, changes: Sequence[Change], error: str, why: str = "not applied") -> ApplyReport:
        """Record that none of `changes` took effect, and why."""
        self.errors.append(error)
        self.results.extend(ChangeResult(c.key, c.action.value, False, why) for c in changes)
        return self

    def cancelled(self, changes: Sequence[Change]) -> ApplyReport:
        """Record that `changes` were not started because the apply was cancelled."""
        return self.none_applied(changes, "apply cancelled before these changes started", "not applied (cancelled)")

    def all_applied(self, changes: Sequence[Change]) -> ApplyReport:
        """Record that every one of `changes` took effect."""
        self.results.extend(ChangeResult(c.key, c.action.value, True) for c in changes)
        return self


SECRET_NOT_SET = "MON401"
"""The one code, on every backend, for a referenced secret that cannot be read."""


def fingerprint_or_report(
    secrets: SecretFingerprint, ref: SecretRef, receiver: Receiver, diagnostics: list[Diagnostic]
) -> str:
    """The fingerprint of a receiver's secret; an unreadable one is MON401 and shows as `unset`."""
    found = secrets(ref.describe(), receiver.origin)
    if found is None:
        diagnostics.append(
            Diagnostic(
                SECRET_NOT_SET,
                f"receiver {receiver.name}: secret {ref.describe()} is not set",
                receiver.origin,
                "export the variable or create the file before plan and apply",
            )
        )
        return "unset"
    return found


ConfigT = TypeVar("ConfigT", bound=BaseModel)


def target_config(target: Target, model: type[ConfigT]) -> ConfigT:
    """The target's config as `model`: as loaded, or re-validated when it was built as another model (a test's)."""
    config = target.config
    return config if isinstance(config, model) else model.model_validate(config.model_dump())


class CountedClients(Protocol):
    """API clients that count their calls by name and hold connections until closed."""

    @property
    def calls(self) -> Mapping[str, int]:
        """Calls made so far, by operation name."""
        ...

    def close(self) -> None:
        """Release the connections."""
        ...


ClientsT = TypeVar("ClientsT", bound=CountedClients)


class CallCounts:
    """What an API backend keeps of its last read or apply: `last_calls`, the calls by operation (benchmarks and
    tests read it)."""

    last_calls: dict[str, int]

    @contextlib.contextmanager
    def counting(self, clients: ClientsT) -> Iterator[ClientsT]:
        """Use `clients` for one read or apply, then keep their call counts and close them, whatever happened."""
        try:
            yield clients
        finally:
            self.last_calls = dict(clients.calls)
            clients.close()


DUPLICATE_KEY = "MON304"
"""A target that renders one resource key twice."""


def duplicate_keys(target: Target, resources: Sequence[Resource]) -> list[Diagnostic]:
    """MON304 for each resource key after its first among `resources`."""
    seen: set[str] = set()
    found = []
    for resource in resources:
        if resource.key in seen:
            found.append(
                Diagnostic(DUPLICATE_KEY, f"target {target.name}: {resource.key} is rendered twice", target.origin)
            )
        seen.add(resource.key)
    return found


class BackendDefaults:
    """What most backends do the same way; a backend subclasses it and overrides what differs."""

    sources: ClassVar[SourceFamily | None] = None
    """No source family: the backend reads no signal (Alertmanager routes what others evaluate)."""
    merged_config: ClassVar[bool] = False
    """True when what goes live is one file merged from the resources and what is there (Alertmanager's config):
    plans then also show that whole file's diff, secrets as fingerprints."""
    read_beside_render: ClassVar[bool] = False
    """True when reading what is live is a local read that needs nothing `render` makes (a file on this machine),
    so a plan may have a forked child read it while other targets render."""

    def drill(self, target: Target, alert: DrillAlert, wait: DrillWait) -> DrillResult:
        """Most targets cannot be drilled: a diagnostic (MON450) and no delivery."""
        return not_drillable(target.backend)

    def load_inputs(self, target: Target) -> tuple[dict[str, Any], list[Diagnostic]]:
        """Files a target's config names that render needs, read once with the workspace: none by default."""
        return {}, []

    def render(self, model: Model, target: Target, secrets: SecretFingerprint) -> RenderResult:
        """Desired resources for `target.selected`: each backend renders its own (see `Backend.render`)."""
        raise NotImplementedError(f"{type(self).__name__} does not render")

    def read_live(self, target: Target) -> LiveState:
        """What the target holds now: each backend reads its own (see `Backend.read_live`)."""
        raise NotImplementedError(f"{type(self).__name__} does not read live state")

    def read_live_knowing(self, target: Target, desired: Sequence[Resource]) -> LiveState:
        """Exactly what `read_live` gives, told what `render` made: by default it is not needed."""
        return self.read_live(target)

    def check(self, model: Model, target: Target, secrets: SecretFingerprint) -> list[Diagnostic]:
        """What rendering the target reports (validate's pass): by default, it renders and keeps the diagnostics."""
        result = self.render(model, target, secrets)
        return [*result.diagnostics, *duplicate_keys(target, result.resources)]

    def requires_replace(self, before: Resource, after: Resource) -> bool:
        """Every resource can be changed in place, by default."""
        return False

    def route_deliveries(
        self, model: Model, target: Target, resources: Sequence[Resource], queries: Sequence[RouteQuery]
    ) -> list[Delivery]:
        """Who receives each query on this target: by default the spec receivers the IR's routes give it, for
        the services the target selects (None for any other service's alert)."""
        selected, answers = by_name(target.selected), list[Delivery]()
        for query in queries:
            names = ir_delivery(selected, query)
            answers.append(None if names is None else as_receivers(names))
        return answers


class Backend(Protocol):
    """What every backend implements; adding one is a sub-package and one registry line."""

    kind: ClassVar[str]
    config_model: ClassVar[type[BaseModel]]
    sources: ClassVar[SourceFamily | None]
    """The models of what users write under `source: {<family>: …}` for this backend, and its `check` hook."""
    merged_config: ClassVar[bool]
    """Plans show the diff of the whole merged file `compile_files` makes (see `BackendDefaults`)."""
    read_beside_render: ClassVar[bool]
    """A plan may read this backend's live state in a forked child while other targets render (see `BackendDefaults`)."""

    def load_inputs(self, target: Target) -> tuple[dict[str, Any], list[Diagnostic]]:
        """Files the target's config names that render needs (a base config), read with the workspace."""
        ...

    def render(self, model: Model, target: Target, secrets: SecretFingerprint) -> RenderResult:
        """Desired resources for `target.selected`, deterministic; never does I/O."""
        ...

    def check(self, model: Model, target: Target, secrets: SecretFingerprint) -> list[Diagnostic]:
        """Exactly the diagnostics `render` (with the MON304 duplicate check) gives, for validate; a backend may find
        them without rendering. Optional: `BackendDefaults` renders."""
        ...

    def read_live(self, target: Target) -> LiveState:
        """What the target holds now, read-only, in canonical form (server defaults stripped, values
        canonicalised) exactly once, here: nothing normalizes it again, so a plan right after an apply is empty."""
        ...

    def read_live_knowing(self, target: Target, desired: Sequence[Resource]) -> LiveState:
        """Exactly what `read_live` gives; `desired` (what `render` made) lets a backend skip parsing what is
        byte-identical to what it would write. Optional: `BackendDefaults` reads as `read_live` does."""
        ...

    def requires_replace(self, before: Resource, after: Resource) -> bool:
        """True when `before` cannot be updated in place into `after`."""
        ...

    def route_deliveries(
        self, model: Model, target: Target, resources: Sequence[Resource], queries: Sequence[RouteQuery]
    ) -> list[Delivery]:
        """Which of this target's delivery objects (receivers, topics, channels, action groups) receive each query,
        given what `render` made for the target; None for an alert the target does not carry. Optional:
        `BackendDefaults` answers from the IR."""
        ...

    def apply(
        self,
        target: Target,
        changes: Sequence[Change],
        secrets: SecretValue,
        progress: Notice = print_nothing,
        cancel: threading.Event = NEVER_CANCELLED,
    ) -> ApplyReport:
        """Execute exactly `changes`, in dependency order, reporting each one's outcome.

        Once `cancel` is set, start no further change: finish the one in flight and report the rest as
        not applied (cancelled)."""
        ...

    def compile_files(self, target: Target, resources: Sequence[Resource]) -> Mapping[str, str]:
        """The files (relative name -> text) that `compile --out` writes for these resources (a mapping that may
        write each text only when it is read, so that a thousand files are never all held at once)."""
        ...

    def claims(self, target: Target) -> set[str]:
        """The places this target writes (resolved file paths, alarm-name prefixes); two targets must not share one."""
        ...

    def lock(self, target: Target, timeout: float, notice: Notice) -> AbstractContextManager[object]:
        """Hold the target's apply lock for a block (read live, write, verify); raise LockBusy after `timeout`."""
        ...

    def drill(self, target: Target, alert: DrillAlert, wait: DrillWait) -> DrillResult:
        """Send `alert` through the target's live pipeline, report per receiver whether and when it arrived, and
        clean up what the drill created; every wait is bounded by `wait`. Optional: `BackendDefaults` refuses."""
        ...


def json_body(value: Any) -> Any:
    """A JSON-compatible deep copy of `value` (tuples become lists, keys become strings)."""
    if isinstance(value, dict):
        return {str(k): json_body(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_body(v) for v in value]
    return value
