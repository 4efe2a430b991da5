"""Request bodies for resources created out of band, as someone using the portal would leave them."""

from __future__ import annotations

from typing import Any

UNOWNED_TAGS = {"owner": "someone-else"}
"""Tags on hand-made resources: no monaco owner marker."""


def unowned_metric_alert(subscription: str, resource_group: str) -> dict[str, Any]:
    """A valid metric alert (CPU above 90% on a VM) with no monaco tags, as JSON ARM accepts."""
    vm = (
        f"/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/Microsoft.Compute/virtualMachines/vm1"
    )
    criterion = {
        "criterionType": "StaticThresholdCriterion",
        "name": "cpu",
        "metricName": "Percentage CPU",
        "metricNamespace": "Microsoft.Compute/virtualMachines",
        "timeAggregation": "Average",
        "operator": "GreaterThan",
        "threshold": 90.0,
    }
    return {
        "location": "global",
        "tags": dict(UNOWNED_TAGS),
        "properties": {
            "description": "made by hand",
            "severity": 3,
            "enabled": True,
            "scopes": [vm],
            "evaluationFrequency": "PT5M",
            "windowSize": "PT15M",
            "criteria": {
                "odata.type": "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
                "allOf": [criterion],
            },
            "autoMitigate": True,
            "actions": [],
        },
    }
