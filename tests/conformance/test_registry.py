"""Every registered backend has a conformance kit, so no backend escapes the properties (and no kit is stale)."""

from __future__ import annotations

from monaco.backends import REGISTRY, get_backend
from tests.conformance.kits import KITS, BackendKit


def test_every_registered_backend_has_a_conformance_kit() -> None:
    """A new backend's author is told to add its kit: the kind is registered, the kit is missing."""
    missing = sorted(set(REGISTRY) - set(KITS))
    assert not missing, f"registered backends without a kit in tests/conformance/kits/<kind>.py: {missing}"


def test_every_kit_is_for_a_registered_backend() -> None:
    """A kit whose backend was removed or renamed would silently test nothing."""
    assert sorted(set(KITS) - set(REGISTRY)) == []
    for kind, kit in KITS.items():
        assert issubclass(kit, BackendKit) and kit.kind == kind == get_backend(kind).kind
