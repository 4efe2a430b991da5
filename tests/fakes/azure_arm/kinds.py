"""The five ARM resource types the fake serves, each with its wire facts and the fields ARM fills in on write.

Wire facts come from the installed SDKs (operation URLs, api-versions, accepted status codes, whether a
list follows `nextLink`) and the REST spec examples in Azure/azure-rest-api-specs (the `type` string and
the casing of the `id` ARM returns: scheduled query rules come back as
`/subscriptions/S/resourcegroups/RG/providers/microsoft.insights/scheduledqueryrules/N`, action groups as
`.../providers/microsoft.insights/actionGroups/N`, metric alerts as `.../microsoft.insights/metricalerts/N`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.fakes.azure_arm import action_rules, validation

Document = dict[str, Any]


@dataclass(frozen=True, slots=True)
class WriteStamp:
    """Who wrote a resource and when (a logical clock, so snapshots are the same bytes on every run)."""

    principal: str
    created_at: str
    modified_at: str


@dataclass(frozen=True, slots=True)
class ResourceKind:
    """One resource type: how its paths look, what it accepts and what ARM adds to it."""

    key: str
    namespace: str
    type_name: str
    api_version: str
    response_type: str
    id_template: str
    created_status: int
    """Status of a PUT that creates: `metric_alerts.create_or_update` accepts only 200 (feasibility §5)."""
    pageable: bool
    """Whether the SDK's list follows `nextLink` (metric alerts and action groups ignore it: one page)."""
    durations: tuple[str, ...]
    patchable: frozenset[str] | None
    """The `properties` a PATCH may carry (None: any); tags are always patchable."""
    validate: Callable[[Document, validation.ActionGroupExists], None]
    fill: Callable[[Document, WriteStamp], None]

    @property
    def path_type(self) -> str:
        """`namespace/type` in lower case, as requests are matched (ARM paths are case-insensitive)."""
        return f"{self.namespace}/{self.type_name}".lower()


def _system_data(document: Document, stamp: WriteStamp) -> None:
    """ARM's `systemData` block (common-types `SystemData`)."""
    document["systemData"] = {
        "createdBy": stamp.principal,
        "createdByType": "Application",
        "createdAt": stamp.created_at,
        "lastModifiedBy": stamp.principal,
        "lastModifiedByType": "Application",
        "lastModifiedAt": stamp.modified_at,
    }


def _fill_metric_alert(document: Document, stamp: WriteStamp) -> None:
    """Metric alerts carry the read-only `lastUpdatedTime` (MetricAlertResource, readonly)."""
    document["properties"]["lastUpdatedTime"] = stamp.modified_at


def _fill_scheduled_query_rule(document: Document, stamp: WriteStamp) -> None:
    """Log alerts carry systemData and read-only flags (spec example: `isWorkspaceAlertsStorageConfigured`)."""
    _system_data(document, stamp)
    properties = document["properties"]
    properties.setdefault("createdWithApiVersion", SCHEDULED_QUERY_RULES.api_version)
    properties["isWorkspaceAlertsStorageConfigured"] = bool(properties.get("checkWorkspaceAlertsStorageConfigured"))


_RECEIVER_LISTS = [
    "emailReceivers",
    "smsReceivers",
    "webhookReceivers",
    "itsmReceivers",
    "azureAppPushReceivers",
    "automationRunbookReceivers",
    "voiceReceivers",
    "logicAppReceivers",
    "azureFunctionReceivers",
    "armRoleReceivers",
    "eventHubReceivers",
]
_RECEIVERS_WITH_STATUS = ("emailReceivers", "smsReceivers", "voiceReceivers")


def _fill_action_group(document: Document, stamp: WriteStamp) -> None:
    """Action groups come back with every receiver list (empty when unset) and a `status` on email/SMS/voice."""
    properties = document["properties"]
    for name in _RECEIVER_LISTS:  # getActionGroup.json (2023-01-01) lists all eleven, empty ones as []
        properties[name] = properties.get(name) or []
    for name in _RECEIVERS_WITH_STATUS:
        for receiver in properties[name]:
            receiver.setdefault("status", "Enabled")


METRIC_ALERTS = ResourceKind(
    key="metric_alerts",
    namespace="Microsoft.Insights",
    type_name="metricAlerts",
    api_version="2018-03-01",
    response_type="Microsoft.Insights/metricAlerts",
    id_template="/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/microsoft.insights/metricalerts/{name}",
    created_status=200,
    pageable=False,
    durations=("properties.evaluationFrequency", "properties.windowSize"),
    patchable=None,
    validate=validation.validate_metric_alert,
    fill=_fill_metric_alert,
)
SCHEDULED_QUERY_RULES = ResourceKind(
    key="scheduled_query_rules",
    namespace="Microsoft.Insights",
    type_name="scheduledQueryRules",
    api_version="2023-12-01",
    response_type="microsoft.insights/scheduledqueryrules",
    id_template="/subscriptions/{subscription}/resourcegroups/{resource_group}/providers/microsoft.insights/scheduledqueryrules/{name}",
    created_status=201,
    pageable=True,
    durations=tuple(
        f"properties.{name}"
        for name in (
            "evaluationFrequency",
            "windowSize",
            "overrideQueryTimeRange",
            "muteActionsDuration",
            "resolveConfiguration.timeToResolve",
        )
    ),
    patchable=None,
    validate=validation.validate_scheduled_query_rule,
    fill=_fill_scheduled_query_rule,
)
ACTION_GROUPS = ResourceKind(
    key="action_groups",
    namespace="Microsoft.Insights",
    type_name="actionGroups",
    api_version="2023-01-01",
    response_type="Microsoft.Insights/ActionGroups",
    id_template="/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/microsoft.insights/actionGroups/{name}",
    created_status=201,
    pageable=False,
    durations=(),
    patchable=frozenset({"enabled"}),  # ActionGroupPatchBody: tags and properties.enabled
    validate=validation.validate_action_group,
    fill=_fill_action_group,
)
RULE_GROUPS = ResourceKind(
    key="prometheus_rule_groups",
    namespace="Microsoft.AlertsManagement",
    type_name="prometheusRuleGroups",
    api_version="2023-03-01",
    response_type="Microsoft.AlertsManagement/prometheusRuleGroups",
    id_template="/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/Microsoft.AlertsManagement/prometheusRuleGroups/{name}",
    created_status=201,
    pageable=True,
    durations=(
        "properties.interval",
        "properties.rules.*.for",
        "properties.rules.*.resolveConfiguration.timeToResolve",
    ),
    patchable=frozenset({"enabled"}),  # PrometheusRuleGroupResourcePatchParameters: tags and properties.enabled
    validate=validation.validate_rule_group,
    fill=_system_data,
)


def _fill_action_rule(document: Document, stamp: WriteStamp) -> None:
    """Processing rules carry systemData (spec examples) and `enabled` defaulted to true."""
    _system_data(document, stamp)
    action_rules.fill_action_rule(document)


ACTION_RULES = ResourceKind(
    key="action_rules",
    namespace="Microsoft.AlertsManagement",
    type_name="actionRules",
    api_version="2021-08-08",
    response_type="Microsoft.AlertsManagement/actionRules",
    id_template="/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/Microsoft.AlertsManagement/actionRules/{name}",
    created_status=201,  # the spec example answers 201 to a create and 200 to a replace
    pageable=True,  # AlertProcessingRulesList has `nextLink`
    durations=(),
    patchable=frozenset({"enabled"}),  # PatchObject: tags and properties.enabled
    validate=action_rules.validate_action_rule,
    fill=_fill_action_rule,
)

KINDS: dict[str, ResourceKind] = {
    kind.path_type: kind for kind in (METRIC_ALERTS, SCHEDULED_QUERY_RULES, ACTION_GROUPS, RULE_GROUPS, ACTION_RULES)
}
"""Every served kind by its lower-case `namespace/type`."""
