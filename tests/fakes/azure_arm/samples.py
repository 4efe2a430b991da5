"""SDK model objects shaped like what the azure_monitor backend will write: one builder per resource type.

Bodies follow backends.md §3.2 (captured through the SDKs); tests vary one field at a time with `overrides`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from azure.mgmt.monitor import models as monitor
from azure.mgmt.prometheusrulegroups import models as rules

RESOURCE_GROUP = "rg-monaco"
OWNER_TAGS = {"managed-by": "monaco", "monaco-key": "checkout.availability"}


def resource_id(subscription: str, provider_type: str, name: str, group: str = RESOURCE_GROUP) -> str:
    """A resource id in `group` (for scopes and references)."""
    return f"/subscriptions/{subscription}/resourceGroups/{group}/providers/{provider_type}/{name}"


def action_group(short_name: str = "pay-page", **overrides: Any) -> monitor.ActionGroupResource:
    """An action group with an email and a webhook receiver."""
    fields: dict[str, Any] = {
        "location": "Global",
        "tags": dict(OWNER_TAGS),
        "group_short_name": short_name,
        "enabled": True,
        "email_receivers": [monitor.EmailReceiver(name="sre", email_address="sre@example.invalid")],
        "webhook_receivers": [
            monitor.WebhookReceiver(
                name="hook", service_uri="https://hooks.example.invalid/a", use_common_alert_schema=True
            )
        ],
    }
    return monitor.ActionGroupResource(**(fields | overrides))


def metric_alert(subscription: str, action_group_id: str, **overrides: Any) -> monitor.MetricAlertResource:
    """A static-threshold metric alert on one web app (5xx count over 5 minutes, every minute)."""
    criterion = monitor.MetricCriteria(
        name="http5xx",
        metric_name="Http5xx",
        metric_namespace="Microsoft.Web/sites",
        time_aggregation="Total",
        operator="GreaterThan",
        threshold=10.0,
        dimensions=[monitor.MetricDimension(name="Instance", operator="Include", values=["*"])],
    )
    fields: dict[str, Any] = {
        "location": "global",
        "tags": dict(OWNER_TAGS),
        "description": "checkout 5xx",
        "severity": 1,
        "enabled": True,
        "scopes": [resource_id(subscription, "Microsoft.Web/sites", "checkout")],
        "evaluation_frequency": timedelta(minutes=1),
        "window_size": timedelta(minutes=5),
        "criteria": monitor.MetricAlertSingleResourceMultipleMetricCriteria(all_of=[criterion]),
        "auto_mitigate": True,
        "actions": [
            monitor.MetricAlertAction(action_group_id=action_group_id, web_hook_properties={"team": "payments"})
        ],
    }
    return monitor.MetricAlertResource(**(fields | overrides))


def log_alert(subscription: str, action_group_id: str, **overrides: Any) -> monitor.ScheduledQueryRuleResource:
    """A LogAlert rule on one Log Analytics workspace (5xx count over 15 minutes, every 5)."""
    condition = monitor.Condition(
        query="AppRequests | where ResultCode startswith '5'",
        time_aggregation="Count",
        operator="GreaterThan",
        threshold=10.0,
        failing_periods=monitor.ConditionFailingPeriods(number_of_evaluation_periods=1, min_failing_periods_to_alert=1),
    )
    fields: dict[str, Any] = {
        "location": "westeurope",
        "kind": "LogAlert",
        "tags": dict(OWNER_TAGS),
        "display_name": "checkout 5xx burst",
        "severity": 1,
        "enabled": True,
        "scopes": [resource_id(subscription, "Microsoft.OperationalInsights/workspaces", "logs")],
        "evaluation_frequency": timedelta(minutes=5),
        "window_size": timedelta(minutes=15),
        "criteria": monitor.ScheduledQueryRuleCriteria(all_of=[condition]),
        "actions": monitor.Actions(action_groups=[action_group_id], custom_properties={"team": "payments"}),
        "auto_mitigate": True,
    }
    return monitor.ScheduledQueryRuleResource(**(fields | overrides))


def recording_rule(record: str = "slo:sli_error:ratio_rate5m") -> rules.PrometheusRule:
    """A recording rule."""
    return rules.PrometheusRule(record=record, expression='sum(rate(http_requests_total{code=~"5.."}[5m]))')


def alerting_rule(action_group_id: str, **overrides: Any) -> rules.PrometheusRule:
    """A paging burn-rate alert rule with labels, annotations, an action and auto-resolution."""
    fields: dict[str, Any] = {
        "alert": "CheckoutFastBurn",
        "expression": "slo:sli_error:ratio_rate1h > (14.4*0.001) and slo:sli_error:ratio_rate5m > (14.4*0.001)",
        "for_property": timedelta(minutes=2),
        "severity": 1,
        "labels": {"team": "payments"},
        "annotations": {"summary": "fast burn"},
        "actions": [rules.PrometheusRuleGroupAction(action_group_id=action_group_id)],
        "resolve_configuration": rules.PrometheusRuleResolveConfiguration(
            auto_resolved=True, time_to_resolve=timedelta(minutes=10)
        ),
    }
    return rules.PrometheusRule(**(fields | overrides))


def rule_group(subscription: str, action_group_id: str, **overrides: Any) -> rules.PrometheusRuleGroupResource:
    """A rule group on one Azure Monitor workspace: a recording rule and an alert on it, every minute."""
    fields: dict[str, Any] = {
        "scopes": [resource_id(subscription, "Microsoft.Monitor/accounts", "amw")],
        "interval": timedelta(minutes=1),
        "enabled": True,
        "rules": [recording_rule(), alerting_rule(action_group_id)],
    }
    properties = rules.PrometheusRuleGroupProperties(**(fields | overrides))
    return rules.PrometheusRuleGroupResource(location="westeurope", tags=dict(OWNER_TAGS), properties=properties)
