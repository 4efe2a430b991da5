"""Golden request files: what the real SDK put on the wire for one operation, volatile parts removed.

A file holds the method, the path (subscription replaced by `{subscription}`), the api-version, the other
query parameters, the stable headers and the JSON body. Dropped as volatile: Host (ephemeral port),
Content-Length, x-ms-client-request-id, Accept-Encoding and Connection (the HTTP library's); the bearer
token is replaced by `<token>` and the User-Agent keeps only the SDK's name (its version and the Python
and OS versions change from machine to machine, and a version bump alone is not a wire change).
`capture_operations` drives each operation the backend will use once, through the real clients.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from azure.mgmt.monitor import models as monitor
from azure.mgmt.prometheusrulegroups import models as rules

from tests.fakes.azure_arm import samples
from tests.fakes.azure_arm.clients import ArmClients
from tests.fakes.azure_arm.samples import RESOURCE_GROUP
from tests.fakes.azure_arm.server import AzureArmFake, LoggedRequest

REQUESTS_DIR = Path(__file__).parent / "requests"
VOLATILE_HEADERS = frozenset({"host", "content-length", "x-ms-client-request-id", "accept-encoding", "connection"})


def _header(name: str, value: str) -> str:
    """One header's value with its volatile part normalised."""
    if name == "authorization":
        return value.split(" ", 1)[0] + " <token>"
    if name == "user-agent":
        return value.split(" ", 1)[0].split("/", 1)[0]
    return value


def golden_request(entry: LoggedRequest, subscription: str) -> dict[str, Any]:
    """The normalised form of one logged request, as stored in a golden file."""
    headers = {name.lower(): value for name, value in entry.headers.items()}
    query = {name: values for name, values in entry.query.items() if name != "api-version"}
    return {
        "method": entry.method,
        "path": entry.path.replace(subscription, "{subscription}"),
        "api-version": next(iter(entry.query.get("api-version", [])), None),
        "query": query,
        "headers": {
            name: _header(name, value) for name, value in sorted(headers.items()) if name not in VOLATILE_HEADERS
        },
        "body": entry.body,
    }


def golden_text(request: dict[str, Any]) -> str:
    """The bytes of a golden file: JSON, sorted keys, two-space indent, final newline."""
    return json.dumps(request, sort_keys=True, indent=2) + "\n"


def golden_path(operation: str) -> Path:
    """Where the golden file of `operation` (`metric_alerts.create_or_update`, ...) lives."""
    return REQUESTS_DIR / f"{operation}.json"


def _steps(api: Any, name: str, body: Any, patch: Any) -> list[tuple[str, Callable[[], object]]]:
    """The five operations of one resource type, in order (no create when `body` is None: already made)."""
    steps: list[tuple[str, Callable[[], object]]] = [
        ("create_or_update", lambda: api.create_or_update(RESOURCE_GROUP, name, body)),
        ("get", lambda: api.get(RESOURCE_GROUP, name)),
        ("list_by_resource_group", lambda: list(api.list_by_resource_group(RESOURCE_GROUP))),
        ("update", lambda: api.update(RESOURCE_GROUP, name, patch)),
        ("delete", lambda: api.delete(RESOURCE_GROUP, name)),
    ]
    return steps[1:] if body is None else steps


def capture_operations(fake: AzureArmFake, clients: ArmClients) -> dict[str, Any]:
    """Run every operation the backend will use once, through the SDKs; the normalised request of each."""
    sub = fake.subscription
    group_id = str(
        clients.monitor.action_groups.create_or_update(RESOURCE_GROUP, "pay-page", samples.action_group()).id
    )
    captured = {"action_groups.create_or_update": fake.requests[-1]}
    apis: dict[str, tuple[Any, Any, Any]] = {
        "metric_alerts": (
            clients.monitor.metric_alerts,
            samples.metric_alert(sub, group_id),
            monitor.MetricAlertResourcePatch(severity=3),
        ),
        "scheduled_query_rules": (
            clients.monitor.scheduled_query_rules,
            samples.log_alert(sub, group_id),
            monitor.ScheduledQueryRuleResourcePatch(enabled=False),
        ),
        "prometheus_rule_groups": (
            clients.rule_groups.prometheus_rule_groups,
            samples.rule_group(sub, group_id),
            rules.PrometheusRuleGroupResourcePatchParameters(tags={"t": "1"}),
        ),
        "action_groups": (clients.monitor.action_groups, None, monitor.ActionGroupPatchBody(enabled=False)),
    }
    for kind, (api, body, patch) in apis.items():
        for operation, call in _steps(api, "pay-page" if body is None else "golden", body, patch):
            call()
            captured[f"{kind}.{operation}"] = fake.requests[-1]
    return {operation: golden_request(entry, sub) for operation, entry in captured.items()}
