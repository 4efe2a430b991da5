"""The one table of monaco severities in PagerDuty's Events API v2 terms, and its Alertmanager template form.

Events API v2 severities are `critical`, `error`, `warning` and `info`; a service whose urgency rule is
`severity_based` opens high-urgency incidents for `critical` and `error` and low-urgency ones for `warning`
and `info` (PagerDuty's "Dynamic notifications"). monaco's page severities therefore map to the first two
(the most severe page severity to `critical`, any other to `error`) and the others to the last two (the most
severe non-paging one to `warning`, the rest to `info`): a page is high urgency, anything else low.

Every place that sends PagerDuty a severity uses this table: the pagerduty backend's urgency rule and drills,
and the `severity` of Alertmanager's (and Mimir's, the operator's, Grafana's) PagerDuty configs, as a Go
template over the alert group's severity label. A severity outside the table is sent as `warning`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from monaco.ir.nodes import Model
from monaco.spec.models import SeverityLevel

DEFAULT_EVENT_SEVERITY = "warning"
"""What PagerDuty is sent for a severity the table does not know (a hand-written alert's label)."""


def event_severities(severities: Iterable[SeverityLevel]) -> dict[str, str]:
    """The one table: monaco severity -> PagerDuty event severity, in the workspace's order (most severe first)."""
    table: dict[str, str] = {}
    for level in severities:
        if level.page:
            table[level.name] = "error" if "critical" in table.values() else "critical"
        else:
            table[level.name] = "info" if "warning" in table.values() else "warning"
    return table


def severity_template(table: Mapping[str, str], label: str) -> str:
    """A Go template giving the PagerDuty severity of an alert group from its `label` (its common value)."""
    groups: dict[str, list[str]] = {}
    for name, severity in table.items():
        if severity != DEFAULT_EVENT_SEVERITY:
            groups.setdefault(severity, []).append(name)
    if not groups:
        return DEFAULT_EVENT_SEVERITY
    parts = ["{{ $severity := index .CommonLabels " + f'"{label}"' + " }}"]
    keyword = "if"
    for severity, names in groups.items():
        tests = [f'(eq $severity "{name}")' for name in names]
        condition = tests[0][1:-1] if len(tests) == 1 else "or " + " ".join(tests)
        parts.append("{{ " + f"{keyword} {condition}" + " }}" + severity)
        keyword = "else if"
    parts.append("{{ else }}" + DEFAULT_EVENT_SEVERITY + "{{ end }}")
    return "".join(parts)


def model_template(model: Model) -> str:
    """The `severity` template of the workspace's PagerDuty configs: its table over its severity label."""
    return severity_template(event_severities(model.severities), model.identity.severity)
