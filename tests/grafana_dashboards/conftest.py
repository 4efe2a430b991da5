"""Fixtures of the grafana_dashboards tests: the Grafana fake (imported here so every module here can use it)."""

from __future__ import annotations

from tests.fakes.grafana import grafana_fake

__all__ = ["grafana_fake"]
