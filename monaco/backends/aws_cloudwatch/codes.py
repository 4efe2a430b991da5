"""The diagnostic codes the aws_cloudwatch backend reports: code -> (usual level, meaning)."""

from __future__ import annotations

CODES: dict[str, tuple[str, str]] = {
    "MON701": ("warning", "an alert or SLO without a CloudWatch source (level set by the target)"),
    "MON702": ("error", "a comparison CloudWatch alarms cannot make (== or !=, or none)"),
    "MON703": ("error", "a period or period x evaluation periods CloudWatch refuses"),
    "MON704": ("warning", "a burn window over 1 day, evaluated as daily datapoints (level set by the target)"),
    "MON705": ("error", "a burn window over 7 days"),
    "MON706": ("error", "a receiver SNS cannot deliver to (a Slack webhook never confirms)"),
    "MON708": ("error", "a route to an unknown receiver"),
    "MON709": ("warning", "an alarm that notifies no one"),
    "MON710": ("warning", "botocore missing: requests not checked against AWS's model"),
    "MON711": ("warning", "SLO group_by, which CloudWatch cannot split by"),
    "MON712": ("info", "`for` on a burn tier or keep_firing_for, which CloudWatch cannot say"),
    "MON713": ("error", "a statistic or metric-math input CloudWatch refuses"),
    "MON714": ("info", "an SLO no-data alert, not rendered on CloudWatch"),
    "MON715": ("error", "two alerts that map to one alarm name"),
    "MON720": ("error", "live alarms and topics cannot be read"),
}
