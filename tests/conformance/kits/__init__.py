"""One kit per registered backend kind: how the conformance properties reach that backend's live system.

A kit (a `BackendKit`) says how to point a target at the backend's real local server or fake, and the
backend-specific ways to (a) create an unowned same-named object out of band, (b) snapshot live state
byte for byte, (c) change an owned object out of band, and (d) inject a failure in the middle of an apply.
A new backend adds `tests/conformance/kits/<kind>.py` exporting `KIT`; nothing else lists it, and
`test_registry.py` fails until it exists.
"""

from __future__ import annotations

import importlib
import importlib.util

from monaco.backends import REGISTRY
from tests.conformance.kits.base import BackendKit, files_under


def _kits() -> dict[str, type[BackendKit]]:
    found: dict[str, type[BackendKit]] = {}
    for kind in sorted(REGISTRY):
        if importlib.util.find_spec(f"{__name__}.{kind}") is not None:
            kit: type[BackendKit] = importlib.import_module(f"{__name__}.{kind}").KIT
            found[kind] = kit
    return found


KITS: dict[str, type[BackendKit]] = _kits()
"""The kit of every registered backend kind that has one (every kind needs one: `test_registry.py`)."""

__all__ = ["KITS", "BackendKit", "files_under"]
