"""A fake Azure Resource Manager for the azure_monitor backend's tests, driven by the real azure-mgmt clients.

Start one with the `azure_fake` fixture (import `azure_arm_server` beside it) or `running_azure_fake()`, point clients at it with
`arm_clients(fake)` / `monitor_client(fake)` / `rule_groups_client(fake)`, and use the hooks on
`AzureArmFake`: `snapshot()`, `seed()` / `create_unowned_metric_alert()`, `fail_nth_write()`, `throttle()`,
`requests` / `list_calls()`, `reset()`. See tests/fakes/README.md.
"""

from tests.fakes.azure_arm.clients import ArmClients, FakeCredential, arm_clients, monitor_client, rule_groups_client
from tests.fakes.azure_arm.fixture import azure_arm_server, azure_clients, azure_fake, running_azure_fake
from tests.fakes.azure_arm.kinds import ACTION_GROUPS, ACTION_RULES, METRIC_ALERTS, RULE_GROUPS, SCHEDULED_QUERY_RULES
from tests.fakes.azure_arm.server import SUBSCRIPTION, AzureArmFake, LoggedRequest

__all__ = [
    "ACTION_GROUPS",
    "ACTION_RULES",
    "METRIC_ALERTS",
    "RULE_GROUPS",
    "SCHEDULED_QUERY_RULES",
    "SUBSCRIPTION",
    "ArmClients",
    "AzureArmFake",
    "FakeCredential",
    "LoggedRequest",
    "arm_clients",
    "azure_arm_server",
    "azure_clients",
    "azure_fake",
    "monitor_client",
    "rule_groups_client",
    "running_azure_fake",
]
