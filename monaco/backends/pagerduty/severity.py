"""monaco severities in PagerDuty's terms: one table for Events API v2 severities, and the urgency rule.

Events API v2 severities are `critical`, `error`, `warning` and `info`; a service whose urgency rule is
`severity_based` opens high-urgency incidents for `critical` and `error` and low-urgency ones for `warning`
and `info` (PagerDuty's "Dynamic notifications"). monaco's page severities therefore map to the first two
(the most severe page severity to `critical`, any other to `error`) and the others to the last two (the most
severe non-paging one to `warning`, the rest to `info`): a page is high urgency, anything else low.

A service whose alerts all page gets a constant high urgency, one with no paging alert a constant low, and
one with both `severity_based`, so that the event's severity (from the table) decides.
"""

from __future__ import annotations

from collections.abc import Iterable

from monaco.ir.nodes import Model, Service
from monaco.spec.models import SeverityLevel

HIGH_URGENCY = frozenset({"critical", "error"})
"""Event severities a severity_based service opens high-urgency incidents for."""


def event_severities(severities: Iterable[SeverityLevel]) -> dict[str, str]:
    """The one table: monaco severity -> PagerDuty event severity, in the workspace's order (most severe first)."""
    table: dict[str, str] = {}
    for level in severities:
        if level.page:
            table[level.name] = "error" if "critical" in table.values() else "critical"
        else:
            table[level.name] = "info" if "warning" in table.values() else "warning"
    return table


def severities_of(services: Iterable[Service]) -> set[str]:
    """Every severity an alert or burn tier of `services` fires with."""
    found: set[str] = set()
    for service in services:
        found.update(alert.severity for alert in service.alerts)
        found.update(tier.severity for slo in service.slos for tier in slo.tiers)
    return found


def urgency_rule(model: Model, services: Iterable[Service]) -> dict[str, str]:
    """The incident urgency rule of a PagerDuty service carrying `services`' alerts."""
    table = event_severities(model.severities)
    urgencies = {table.get(s, "warning") in HIGH_URGENCY for s in severities_of(services)}
    if urgencies == {True, False}:
        return {"type": "severity_based"}
    return {"type": "constant", "urgency": "high" if urgencies != {False} else "low"}


def table_note(model: Model) -> str:
    """The table in words, for a plan's notes (`critical -> critical, high -> warning, ...`)."""
    return ", ".join(f"{name} -> {pd}" for name, pd in event_severities(model.severities).items())
