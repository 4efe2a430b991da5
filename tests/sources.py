"""Source places for tests, validated by the registered families exactly as the loader validates them."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from monaco.backends import source_families
from monaco.spec.sources import AlertSources, CounterSources, GaugeSli, LatencySli, validation_context

M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: Any) -> M:
    """`data` validated as `model` with the registered source families, as `load_workspace` does."""
    return model.model_validate(data, context=validation_context(source_families()))


def alert_source(**by_family: Any) -> AlertSources:
    """An alert's `source:` (`prometheus=`, `cloudwatch=`)."""
    return validated(AlertSources, by_family)


def counter_source(**by_family: Any) -> CounterSources:
    """One side of a ratio SLI."""
    return validated(CounterSources, by_family)


def gauge_sli(**by_family: Any) -> GaugeSli:
    """A gauge SLI."""
    return validated(GaugeSli, by_family)


def latency_sli(threshold: float, **by_family: Any) -> LatencySli:
    """A latency SLI with its threshold and each family's metric."""
    return validated(LatencySli, {"threshold": threshold, **by_family})
