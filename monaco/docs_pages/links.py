"""Dashboard links per service, read from the workspace's dashboard targets that name a live Grafana (pure).

A target is a dashboard site when its config has a `url` and answers `dashboard_uid(service)` (the
grafana_dashboards backend's config does); read by shape, so the docs import no backend. Grafana
serves a dashboard at `<base>/d/<uid>` (its URL format `/d/<uid>/<slug>`, the slug optional).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from monaco.backends.base import Target


@runtime_checkable
class DashboardSite(Protocol):
    """A target config that knows the live Grafana's base URL and each service's dashboard uid."""

    @property
    def base_url(self) -> str:
        """The Grafana base URL without a trailing slash."""

    def dashboard_uid(self, service: str) -> str:
        """The uid of a service's dashboard."""


def dashboard_links(targets: Iterable[Target]) -> dict[str, tuple[str, ...]]:
    """Service name -> the URL of its dashboard on every live Grafana target that selects it, by target name."""
    links: dict[str, list[str]] = {}
    for target in sorted(targets, key=lambda t: t.name):
        config = target.config
        if getattr(config, "url", None) is None or not isinstance(config, DashboardSite):
            continue
        for service in target.selected:
            url = f"{config.base_url}/d/{config.dashboard_uid(service.name)}"
            links.setdefault(service.name, []).append(url)
    return {name: tuple(dict.fromkeys(urls)) for name, urls in links.items()}
