"""A fake of Grafana's HTTP API for folders, dashboards and search, driven by the real `grafana-client`."""

from tests.fakes.grafana.fixture import grafana_fake
from tests.fakes.grafana.server import BASIC, TOKEN, GrafanaFake

__all__ = ["BASIC", "TOKEN", "GrafanaFake", "grafana_fake"]
