"""monaco severities in PagerDuty's terms: the one table (`monaco.ir.pagerduty_severity`), and the urgency rule.

The table maps page severities to the Events API v2 severities `critical` and `error` (high urgency on a
`severity_based` service) and the others to `warning` and `info` (low urgency); the renderers of every other
backend that send PagerDuty a severity use the same table.

A service whose alerts all page gets a constant high urgency, one with no paging alert a constant low, and
one with both `severity_based`, so that the event's severity (from the table) decides.
"""

from __future__ import annotations

from collections.abc import Iterable

from monaco.ir.nodes import Model, Service
from monaco.ir.pagerduty_severity import DEFAULT_EVENT_SEVERITY
from monaco.ir.pagerduty_severity import event_severities as event_severities

HIGH_URGENCY = frozenset({"critical", "error"})
"""Event severities a severity_based service opens high-urgency incidents for."""


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
    urgencies = {table.get(s, DEFAULT_EVENT_SEVERITY) in HIGH_URGENCY for s in severities_of(services)}
    if urgencies == {True, False}:
        return {"type": "severity_based"}
    return {"type": "constant", "urgency": "high" if urgencies != {False} else "low"}


def table_note(model: Model) -> str:
    """The table in words, for a plan's notes (`critical -> critical, high -> warning, ...`)."""
    return ", ".join(f"{name} -> {pd}" for name, pd in event_severities(model.severities).items())
