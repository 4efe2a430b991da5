"""The names of the SLO recording rules: one contract between the rules that write the series and the dashboards
that read them (`slo_rules` records them, the `grafana_dashboards` backend queries them).

Every series carries only the identity labels of its service and SLO (plus the SLO's group_by labels),
so a reader selects one SLO with `{service="...",slo="..."}` under the workspace's identity label names.
"""

from __future__ import annotations

OBJECTIVE = "slo:objective:ratio"
"""The objective as a ratio (99.9% -> 0.999), a constant series."""
ERROR_BUDGET = "slo:error_budget:ratio"
"""The allowed error ratio (1 - objective), a constant series."""
BURN_RATE_CURRENT = "slo:burn_rate:current"
"""The error ratio over the base window divided by the error budget."""
BURN_RATE_PERIOD = "slo:burn_rate:period"
"""The error ratio over the whole period divided by the error budget."""
BUDGET_REMAINING = "slo:error_budget:remaining"
"""The share of the period's error budget not yet spent (1 is untouched, 0 spent, negative overspent)."""


def error_ratio(window: str) -> str:
    """The error ratio over one window (`slo:sli_error:ratio_rate1h`), for the base, tier and period windows."""
    return f"slo:sli_error:ratio_rate{window}"


def errors_rate(window: str) -> str:
    """The errors per second over the base window (`slo:sli_errors:rate5m`)."""
    return f"slo:sli_errors:rate{window}"


def events_rate(window: str) -> str:
    """The events per second over the base window (`slo:sli_events:rate5m`)."""
    return f"slo:sli_events:rate{window}"
