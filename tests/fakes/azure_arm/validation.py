"""What ARM refuses for each resource type, checked on the whole document after a PUT or a PATCH merge.

Each rule names its source. Where the real error code is not documented the fake answers 400 `BadRequest`
(ARM's generic code); tests should assert the status and the field named in the message, not the wording.
Durations are canonical (`durations.canonicalise_durations`) before these checks run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from tests.fakes.azure_arm.durations import parse_duration
from tests.fakes.azure_arm.errors import bad_request

ActionGroupExists = Callable[[str], bool]
"""Whether an action group with this resource id (any casing) exists in the fake."""

_MINUTE, _HOUR = timedelta(minutes=1), timedelta(hours=1)
METRIC_ALERT_FREQUENCIES = frozenset(m * _MINUTE for m in (1, 5, 15, 30, 60))
"""Metric alert `evaluationFrequency` (PT1M, PT5M, PT15M, PT30M, PT1H): terraform-provider-azurerm
`internal/services/monitor/monitor_metric_alert_resource.go` (`frequency` StringInSlice) and its docs page."""
METRIC_ALERT_WINDOWS = frozenset(h * _HOUR for h in (6, 12, 24)) | METRIC_ALERT_FREQUENCIES
"""Metric alert `windowSize` (PT1M ... PT1H, PT6H, PT12H, P1D = PT24H): same source (`window_size`)."""
METRIC_CRITERIA_TYPES = frozenset(
    {
        "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
        "Microsoft.Azure.Monitor.MultipleResourceMultipleMetricCriteria",
        "Microsoft.Azure.Monitor.WebtestLocationAvailabilityCriteria",
    }
)
"""The `odata.type` discriminators of `MetricAlertCriteria` (azure-mgmt-monitor 7.0.0 `_subtype_map`)."""
SEVERITIES = range(5)
"""Severity 0 (worst) to 4: `MetricAlertResource.severity` "Alert severity {0, 1, 2, 3, 4}",
`ScheduledQueryRuleResource.severity` "between [0-4]", `PrometheusRule.severity` "between 0 and 4"
(SDK model docstrings, from the REST specs)."""
GROUP_SHORT_NAME_MAX = 12
"""`ActionGroupResource._validation = {"group_short_name": {"max_length": 12}}` in azure-mgmt-monitor 7.0.0
(REST spec `actionGroups_API.json` 2023-01-01 `maxLength: 12`); the SDK does not check it client-side."""
RULE_GROUP_INTERVALS = (_MINUTE, 15 * _MINUTE)
"""Prometheus rule group `interval` "Should be between 1 and 15 minutes" (`PrometheusRuleGroups.json` 2023-03-01)."""


def _require(properties: dict[str, Any], names: Iterable[str], where: str = "properties") -> None:
    """400 when a required property is absent or null (the `required` lists of the REST specs)."""
    for name in names:
        if properties.get(name) is None:
            raise bad_request(f"The required property '{where}.{name}' is missing.")


def _severity(value: Any, where: str) -> None:
    """400 unless `value` is an integer severity 0-4."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in SEVERITIES:
        raise bad_request(f"'{where}' must be an integer between 0 and 4, got {value!r}.")


def _duration_in(properties: dict[str, Any], name: str, allowed: frozenset[timedelta]) -> timedelta:
    """The duration `properties[name]`, 400 unless it is one of `allowed`."""
    duration = parse_duration(properties[name])
    if duration not in allowed:
        raise bad_request(f"'properties.{name}' {properties[name]} is not supported.")
    return duration


def _action_groups_exist(ids: Iterable[Any], exists: ActionGroupExists) -> None:
    """400 when a rule names an action group that does not exist (ARM resolves every reference on write)."""
    for action_group_id in ids:
        if not isinstance(action_group_id, str) or not exists(action_group_id):
            raise bad_request(f"The action group '{action_group_id}' was not found.", code="ActionGroupNotFound")


def _one_scope(properties: dict[str, Any], what: str) -> None:
    """400 unless `scopes` holds exactly one resource id."""
    scopes = properties["scopes"]
    if not isinstance(scopes, list) or len(scopes) != 1:
        raise bad_request(f"{what} must have exactly one scope, got {scopes!r}.")


def validate_metric_alert(document: dict[str, Any], exists: ActionGroupExists) -> None:
    """Metric alert rules (2018-03-01): required fields, severity, the two duration sets, window >= frequency."""
    properties = document.get("properties") or {}
    _require(properties, ("severity", "enabled", "scopes", "evaluationFrequency", "windowSize", "criteria"))
    _severity(properties["severity"], "properties.severity")
    if not isinstance(properties["scopes"], list) or not properties["scopes"]:
        raise bad_request("'properties.scopes' must hold at least one resource id.")  # azurerm scopes MinItems 1
    frequency = _duration_in(properties, "evaluationFrequency", METRIC_ALERT_FREQUENCIES)
    window = _duration_in(properties, "windowSize", METRIC_ALERT_WINDOWS)
    if window < frequency:
        # azurerm docs: window_size "must be greater than frequency"; equal values (PT5M/PT5M) are accepted.
        raise bad_request(f"'properties.windowSize' {properties['windowSize']} is shorter than evaluationFrequency.")
    criteria = properties["criteria"]
    if not isinstance(criteria, dict) or criteria.get("odata.type") not in METRIC_CRITERIA_TYPES:
        raise bad_request("'properties.criteria' has no known 'odata.type'.")
    _action_groups_exist((action.get("actionGroupId") for action in properties.get("actions") or []), exists)


def validate_scheduled_query_rule(document: dict[str, Any], exists: ActionGroupExists) -> None:
    """Log search alert rules (2023-12-01, kind LogAlert): one scope, severity, criteria, action groups."""
    if document.get("kind") != "LogAlert":
        # The SDK also knows LogToMetric (different rules); monaco writes only LogAlert, so the fake refuses others.
        raise bad_request(f"kind {document.get('kind')!r} is not supported by this fake; use 'LogAlert'.")
    properties = document.get("properties") or {}
    # SDK docstrings: severity, evaluationFrequency, windowSize "Relevant and required only for ... LogAlert".
    _require(properties, ("scopes", "criteria", "severity", "evaluationFrequency", "windowSize"))
    # azurerm docs (monitor_scheduled_query_rules_alert_v2): "the API supports exactly 1 resource ID in the scopes".
    _one_scope(properties, "A scheduled query rule")
    _severity(properties["severity"], "properties.severity")
    conditions = (properties["criteria"] or {}).get("allOf")
    if not isinstance(conditions, list) or not conditions:
        raise bad_request("'properties.criteria.allOf' must hold at least one condition.")
    _action_groups_exist(((properties.get("actions") or {}).get("actionGroups") or []), exists)


def validate_action_group(document: dict[str, Any], exists: ActionGroupExists) -> None:
    """Action groups (2023-01-01): groupShortName (1-12 characters) and enabled are required."""
    properties = document.get("properties") or {}
    _require(properties, ("groupShortName", "enabled"))  # REST spec ActionGroup "required"
    short_name = properties["groupShortName"]
    if not isinstance(short_name, str) or not 0 < len(short_name) <= GROUP_SHORT_NAME_MAX:
        raise bad_request(f"'properties.groupShortName' must be 1 to 12 characters, got {short_name!r}.")


def _validate_rule(rule: Any, index: int, exists: ActionGroupExists) -> None:
    """One rule of a rule group: an expression, exactly one of `record`/`alert`, severity 0-4, action groups."""
    where = f"properties.rules[{index}]"
    if not isinstance(rule, dict) or not rule.get("expression"):
        raise bad_request(f"'{where}.expression' is required.")  # PrometheusRule "required": ["expression"]
    # A rule is a recording rule or an alerting rule (Azure docs "Prometheus rule groups", rule types; the
    # Prometheus rule file format it follows): naming both, or neither, is refused.
    if bool(rule.get("record")) == bool(rule.get("alert")):
        raise bad_request(f"'{where}' must set exactly one of 'record' and 'alert'.")
    if rule.get("severity") is not None:
        _severity(rule["severity"], f"{where}.severity")
    _action_groups_exist((action.get("actionGroupId") for action in rule.get("actions") or []), exists)


def validate_rule_group(document: dict[str, Any], exists: ActionGroupExists) -> None:
    """Prometheus rule groups (2023-03-01): one workspace scope, interval 1-15 minutes, valid rules."""
    properties = document.get("properties") or {}
    _require(properties, ("scopes", "rules"))  # PrometheusRuleGroupProperties "required"
    # "This api-version is currently limited to creating with one scope" (PrometheusRuleGroupProperties.scopes).
    _one_scope(properties, "A Prometheus rule group")
    if properties.get("interval") is not None:
        low, high = RULE_GROUP_INTERVALS
        if not low <= parse_duration(properties["interval"]) <= high:
            raise bad_request(f"'properties.interval' {properties['interval']} must be between PT1M and PT15M.")
    if not isinstance(properties["rules"], list):
        raise bad_request("'properties.rules' must be a list.")
    for index, rule in enumerate(properties["rules"]):
        _validate_rule(rule, index, exists)
