"""A fake of Grafana's alerting provisioning HTTP API (rules, groups, contact points, policies, mute timings)."""

from tests.fakes.grafana_provisioning.fixture import grafana_fake
from tests.fakes.grafana_provisioning.server import BASIC, TOKEN, GrafanaProvisioningFake
from tests.fakes.grafana_provisioning.store import REDACTED

__all__ = ["BASIC", "REDACTED", "TOKEN", "GrafanaProvisioningFake", "grafana_fake"]
