"""The runbook page of one paging alert: a threshold alert or an SLO's burn-rate tier (pure).

Every number is the IR's (thresholds, burn factors and error-ratio thresholds exact, as lowering computed
them) and every expression is the one the Prometheus backends render, so a page never disagrees with the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from monaco.backends.promrules.service_rules import COMPARISON_OPERATORS, alert_expression, format_number
from monaco.backends.promrules.slo_rules import burn_alert_rule, has_prometheus_sli
from monaco.docs_pages.markdown import FILL_IN, bullets, code_block, page, section, table
from monaco.ir.burnrate import format_decimal
from monaco.ir.labels import BURN_ALERT, burn_alert_labels, routing_labels, threshold_alert_labels
from monaco.ir.nodes import BurnTier, Service, Slo, ThresholdAlert
from monaco.ir.routing import alert_receivers, tier_receivers
from monaco.spec.types import format_duration

FIRST_STEPS = (
    "1. _Confirm the alert: open the dashboard and check the expression above over the last hour._\n"
    "2. _What to check first (recent deploys, dependencies, saturation)._\n"
    "3. _How to mitigate (roll back, scale, fail over) and who to escalate to._\n\n" + FILL_IN
)


@dataclass(frozen=True, slots=True)
class Links:
    """What a page links to: the alert's runbook URL, the service's, and its dashboards."""

    alert_runbook: str | None
    service_runbook: str | None
    dashboards: tuple[str, ...]

    def lines(self) -> list[str]:
        """One bullet per known link."""
        found = [f"Runbook URL of this alert: <{self.alert_runbook}>"] if self.alert_runbook else []
        if self.service_runbook and self.service_runbook != self.alert_runbook:
            found.append(f"Service runbook: <{self.service_runbook}>")
        return found + [f"Dashboard: <{url}>" for url in self.dashboards]


def _about(service: Service, severity: str) -> str:
    return f"A paging alert of service `{service.name}` (team `{service.team}`, tier {service.tier}), severity `{severity}`."


def _routes(receivers: tuple[str, ...], labels: dict[str, str]) -> str:
    """The receivers the alert reaches, and the labels the routes are matched against."""
    if receivers:
        reached = "It reaches, in order:\n\n" + bullets([f"`{name}`" for name in receivers], "")
    else:
        reached = "**It reaches no one**: no route matches its labels and the team has no default receiver."
    rows = [[f"`{name}`", f"`{value}`"] for name, value in sorted(labels.items())]
    return f"{reached}\n\nThe labels the routes see:\n\n" + table(["label", "value"], rows)


def _links(links: Links) -> str:
    return bullets(links.lines(), "No runbook URL or dashboard is known for this alert.")


def _condition(alert: ThresholdAlert) -> str:
    if alert.comparison is None or alert.threshold is None:
        return "whenever the expression below returns a series"
    words = alert.comparison.replace("_", " ")
    return f"when the expression below is {words} {format_number(alert.threshold)}"


def threshold_runbook(service: Service, alert: ThresholdAlert, links: Links) -> str:
    """The runbook page of a threshold alert whose severity pages."""
    held = f" for {format_duration(alert.for_seconds)} without a break" if alert.for_seconds else ""
    meaning = f"{alert.summary}.\n\nIt fires {_condition(alert)}{held}."
    if alert.description:
        meaning += f"\n\nIts description: {alert.description}"
    expr = alert_expression(alert)
    rows = [["severity", f"`{alert.severity}`"], ["for", format_duration(alert.for_seconds)]]
    if alert.comparison is not None and alert.threshold is not None:
        operator = COMPARISON_OPERATORS[alert.comparison]
        rows.insert(0, ["condition", f"`{operator} {format_number(alert.threshold)}`"])
    if alert.keep_firing_for_seconds:
        rows.append(["keep_firing_for", format_duration(alert.keep_firing_for_seconds)])
    labels = routing_labels(threshold_alert_labels(service, alert), alert.name)
    return page(
        f"{alert.name} ({service.name})",
        _about(service, alert.severity),
        [
            section("What it means", meaning),
            section("Expression", code_block(expr) if expr else "It has no Prometheus source; see its spec."),
            section("Thresholds and windows", table(["setting", "value"], rows)),
            section("Routes", _routes(alert_receivers(service, alert), labels)),
            section("Links", _links(links)),
            section("First steps", FIRST_STEPS),
        ],
    )


def _exhaustion(slo: Slo, factor: Decimal) -> str:
    """How long a burn at `factor` takes to spend the whole period's budget, rounded down to the second."""
    seconds = (Decimal(slo.period_seconds) / factor).to_integral_value(rounding=ROUND_FLOOR)
    return format_duration(int(seconds))


def _pair_rows(slo: Slo, tier: BurnTier) -> list[list[str]]:
    return [
        [
            format_duration(pair.long_seconds),
            format_duration(pair.short_seconds),
            f"{format_decimal(pair.budget_fraction * 100)}%",
            f"{format_decimal(pair.factor)}x",
            f"{format_decimal(pair.threshold)} ({format_decimal(pair.threshold * 100)}%)",
            _exhaustion(slo, pair.factor),
        ]
        for pair in tier.windows
    ]


def _burn_meaning(service: Service, slo: Slo, tier: BurnTier) -> str:
    period = format_duration(slo.period_seconds)
    budget = format_decimal(slo.error_budget * 100)
    return (
        f"The `{slo.name}` SLO of `{service.name}` (objective {format_decimal(slo.objective)}% over {period}, "
        f"an error budget of {budget}%) is spending its error budget too fast. The {tier.name} tier fires when, "
        "for one of the window pairs below, the error ratio is above the pair's threshold over both the long and "
        f"the short window (the short one makes it stop soon after the errors do)"
        + (f", held for {format_duration(tier.for_seconds)}." if tier.for_seconds else ".")
        + (f"\n\nThe SLO: {slo.description}" if slo.description else "")
    )


def burn_runbook(service: Service, slo: Slo, tier: BurnTier, links: Links) -> str:
    """The runbook page of an SLO burn-rate tier whose severity pages."""
    expr = str(burn_alert_rule(service, slo, tier)["expr"])
    if not has_prometheus_sli(slo):
        expr_text = "The SLI has no Prometheus source; on Prometheus backends this tier is not rendered."
    else:
        expr_text = "It reads the SLO's recorded error ratios:\n\n" + code_block(expr)
    header = [
        "long window",
        "short window",
        "budget spent in long window",
        "burn rate",
        "error ratio above",
        "budget gone in",
    ]
    windows = table(header, _pair_rows(slo, tier))
    windows += f"\n\n`for`: {format_duration(tier.for_seconds)}; severity `{tier.severity}`."
    labels = routing_labels(burn_alert_labels(service, slo, tier), BURN_ALERT)
    return page(
        f"{BURN_ALERT}: {service.name} {slo.name} ({tier.name})",
        _about(service, tier.severity),
        [
            section("What it means", _burn_meaning(service, slo, tier)),
            section("Expression", expr_text),
            section("Thresholds and windows", windows),
            section("Routes", _routes(tier_receivers(service, slo, tier), labels)),
            section("Links", _links(links)),
            section("First steps", FIRST_STEPS),
        ],
    )
