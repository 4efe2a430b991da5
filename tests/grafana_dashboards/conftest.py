"""Fixtures of the grafana_dashboards tests: the kind registered (until its registry line lands), the Grafana fake."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from monaco.backends import REGISTRY
from monaco.backends.grafana_dashboards.codes import CODES as OWN_CODES
from monaco.diagnostic_codes import CODES, CodeInfo
from tests.fakes.grafana import grafana_fake

__all__ = ["grafana_fake"]
KIND = "grafana_dashboards"
ENTRY = "monaco.backends.grafana_dashboards.backend:GrafanaDashboardsBackend"


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The backend and its codes are registered for the test (a no-op once the registry line is committed)."""
    if REGISTRY.get(KIND) != ENTRY:
        monkeypatch.setitem(REGISTRY, KIND, ENTRY)
    for code, (level, meaning) in OWN_CODES.items():
        if code not in CODES:
            monkeypatch.setitem(CODES, code, CodeInfo(KIND, level, meaning))
    yield
