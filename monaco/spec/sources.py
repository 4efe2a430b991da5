"""Where a signal lives: one map per place in a spec, keyed by backend family, validated by each family's models.

The spec layer knows the places (an alert's `source:`, a ratio SLI's `bad`/`good`/`total`, a gauge, a
latency SLI) and nothing of what a family writes there: each backend declares a `SourceFamily` next to its
config model, and the loader passes the registered families in the validation context. A new backend's
fields are therefore validated, positioned and listed in the JSON Schema without touching this layer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import ConfigDict, Field, RootModel, ValidationInfo, create_model, model_validator

from monaco.diagnostics import Diagnostics
from monaco.spec.types import SpecModel

if TYPE_CHECKING:
    from monaco.spec.load import Workspace

SourceRole = Literal["alert", "counter", "gauge", "latency"]
SourceCheck = Callable[["Workspace", Diagnostics], None]
"""A family's checks over the whole workspace (PromQL parsing, window placeholders), run by validate and plan."""


@dataclass(frozen=True, slots=True)
class SourceFamily:
    """What one backend family (`prometheus`, `cloudwatch`) accepts at each source place, and how it checks it.

    Each role is a type annotation (a model, or a union such as `str | PromMetric`); None means the family
    has no source of that kind, so the key is refused there."""

    name: str
    alert: Any = None
    counter: Any = None
    gauge: Any = None
    latency: Any = None
    check: SourceCheck | None = None

    def annotation(self, role: SourceRole) -> Any:
        """The type this family accepts for `role`, or None."""
        return getattr(self, role)


class SourceFamilies:
    """The registered families, with one validating model per role built from them (cached)."""

    def __init__(self, families: Iterable[SourceFamily] = ()) -> None:
        self.by_name: dict[str, SourceFamily] = {}
        for family in families:
            known = self.by_name.setdefault(family.name, family)
            if known != family:
                raise ValueError(f"two different source families are registered as {family.name!r}")

    def __iter__(self) -> Any:
        return iter(sorted(self.by_name.values(), key=lambda f: f.name))

    def names(self, role: SourceRole) -> list[str]:
        """The families that accept a source at `role`, sorted."""
        return [f.name for f in self if f.annotation(role) is not None]

    def annotation(self, role: SourceRole, name: str) -> Any:
        """The type family `name` accepts at `role`, or None."""
        family = self.by_name.get(name)
        return family.annotation(role) if family is not None else None

    def model(self, role: SourceRole, common: Mapping[str, Any]) -> type[SpecModel]:
        """The model of one place: each family's key (optional) plus the place's own fields."""
        return _role_model(self, role, tuple(common.items()))


@functools.cache
def _role_model(families: SourceFamilies, role: SourceRole, common: tuple[tuple[str, Any], ...]) -> type[SpecModel]:
    fields: dict[str, Any] = {name: (families.annotation(role, name) | None, None) for name in families.names(role)}
    fields.update(dict(common))
    title = f"{role.capitalize()}SourcesByFamily"
    model: type[SpecModel] = create_model(title, __base__=SpecModel, **fields)
    return model


NO_FAMILIES = SourceFamilies()


def families_in(info: ValidationInfo) -> SourceFamilies:
    """The families passed in the validation context (none when validated without one)."""
    context = info.context
    found = context.get("source_families") if isinstance(context, dict) else None
    return found if isinstance(found, SourceFamilies) else NO_FAMILIES


def validation_context(families: SourceFamilies) -> dict[str, Any]:
    """The context `model_validate` needs so source places are validated by `families`."""
    return {"source_families": families}


class Sources(RootModel[dict[str, Any]]):
    """One place's sources: family name -> the value that family's model validated (`{prometheus: …}`)."""

    model_config = ConfigDict(frozen=True)
    role: ClassVar[SourceRole]
    common: ClassVar[Mapping[str, Any]] = {}
    """Fields of the place itself, beside the family keys (a latency SLI's `threshold`)."""

    @model_validator(mode="before")
    @classmethod
    def _by_family(cls, value: Any, info: ValidationInfo) -> Any:
        """Validate each family's key with that family's model; unknown keys are unknown fields."""
        bound = families_in(info).model(cls.role, cls.common).model_validate(value, context=info.context)
        return {
            name: getattr(bound, name) for name in sorted(bound.model_fields_set) if getattr(bound, name) is not None
        }

    def get(self, family: str) -> Any:
        """The validated source of `family`, or None."""
        return self.root.get(family)

    @property
    def families(self) -> list[str]:
        """The families this place names a source for."""
        return sorted(k for k in self.root if k not in self.common)


class AlertSources(Sources):
    """Where a threshold alert's signal lives on each backend; a backend without one reports it."""

    role: ClassVar[SourceRole] = "alert"

    @model_validator(mode="after")
    def _at_least_one(self) -> AlertSources:
        if not self.root:
            raise ValueError("a source names at least one backend family")
        return self


class CounterSources(Sources):
    """An event counter per backend family (the bad, good or total side of a ratio SLI)."""

    role: ClassVar[SourceRole] = "counter"


class GaugeSli(Sources):
    """A 0/1 series (such as `up`) per backend family: the SLI is the fraction of time it was 1."""

    role: ClassVar[SourceRole] = "gauge"


class LatencySli(Sources):
    """Requests slower than `threshold` over all requests, with each family's latency metric beside it."""

    role: ClassVar[SourceRole] = "latency"
    common: ClassVar[Mapping[str, Any]] = {
        "threshold": (float, Field(gt=0, description="The latency boundary (a histogram's `le`), in its unit."))
    }

    @property
    def threshold(self) -> float:
        """The latency boundary."""
        value: float = self.root["threshold"]
        return value


class RatioSli(SpecModel):
    """Bad (or good) events over total events."""

    bad: CounterSources | None = None
    good: CounterSources | None = None
    total: CounterSources

    @model_validator(mode="after")
    def _bad_or_good(self) -> RatioSli:
        if (self.bad is None) == (self.good is None):
            raise ValueError("a ratio SLI names exactly one of `bad` or `good`, and `total`")
        return self


class SliSpec(SpecModel):
    """Exactly one SLI kind."""

    ratio: RatioSli | None = None
    latency: LatencySli | None = None
    gauge: GaugeSli | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> SliSpec:
        kinds = [k for k in ("ratio", "latency", "gauge") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("an SLI sets exactly one of ratio, latency, gauge")
        return self

    @property
    def kind(self) -> str:
        """ratio, latency or gauge."""
        return next(k for k in ("ratio", "latency", "gauge") if getattr(self, k) is not None)
