"""IR objects built by hand for the CloudWatch tests: services, alerts, SLO tiers, routes, receivers."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

from monaco.backends.aws_cloudwatch.config import CloudWatchConfig
from monaco.backends.aws_cloudwatch.sources import CloudWatchMath, CloudWatchMetric
from monaco.backends.base import Target
from monaco.diagnostics import Span
from monaco.ir.nodes import (
    BurnTier,
    BurnWindowPair,
    LabelMatcher,
    Model,
    Receiver,
    Route,
    Service,
    Slo,
    ThresholdAlert,
)
from monaco.spec.models import DEFAULT_SEVERITIES, ReceiverSpec
from monaco.spec.sources import AlertSources, RatioSli, SliSpec
from tests.sources import alert_source, counter_source

FILE = "specs/checkout.yaml"


def span(line: int, col: int = 3) -> Span:
    """A position in the hand-written spec file these objects pretend to come from."""
    return Span(FILE, line, col)


def cpu_source(asg: str = "checkout") -> AlertSources:
    """A single-metric CloudWatch source (EC2 CPU of an auto-scaling group)."""
    return alert_source(
        prometheus="avg(rate(process_cpu_seconds_total[5m]))",
        cloudwatch=CloudWatchMetric(
            namespace="AWS/EC2", metric="CPUUtilization", dimensions={"AutoScalingGroupName": asg}, period="5m"
        ),
    )


def alert(name: str, threshold: float = 0.9, severity: str = "high", line: int = 40, **kw: Any) -> ThresholdAlert:
    """A threshold alert with a CloudWatch source unless `source` is given."""
    fields: dict[str, Any] = {
        "name": name,
        "severity": severity,
        "for_seconds": 600,
        "keep_firing_for_seconds": None,
        "comparison": "above",
        "threshold": threshold,
        "source": cpu_source(),
        "summary": f"{name} on checkout",
        "description": None,
        "runbook": "https://runbooks.example.com/checkout",
        "labels": (),
        "origin": span(line),
    }
    fields.update(kw)
    return ThresholdAlert(**fields)


def elb(metric: str) -> CloudWatchMetric:
    """An ALB counter."""
    return CloudWatchMetric(
        namespace="AWS/ApplicationELB", metric=metric, dimensions={"LoadBalancer": "app/checkout/abc"}, stat="Sum"
    )


WORKBOOK_BUDGET = Decimal("0.001")
"""The error budget of the 99.9% SLOs these tiers are built for."""


def workbook_tiers(line: int = 20) -> tuple[BurnTier, ...]:
    """The SRE workbook's page (1h/5m x14.4, 6h/30m x6) and ticket (1d/2h x3, 3d/6h x1) tiers."""

    def pair(long_s: int, short_s: int, budget: Decimal, factor: Decimal) -> BurnWindowPair:
        return BurnWindowPair(long_s, short_s, budget, factor, factor * WORKBOOK_BUDGET)

    page = BurnTier(
        "page",
        "critical",
        0,
        (pair(3600, 300, Decimal("2"), Decimal("14.4")), pair(21600, 1800, Decimal("5"), Decimal("6"))),
        span(line),
    )
    ticket = BurnTier(
        "ticket",
        "medium",
        0,
        (pair(86400, 7200, Decimal("10"), Decimal("3")), pair(259200, 21600, Decimal("10"), Decimal("1"))),
        span(line + 1),
    )
    return (page, ticket)


def ratio_slo(name: str = "availability", tiers: tuple[BurnTier, ...] | None = None, good: bool = False) -> Slo:
    """A 99.9% ratio SLO on ALB 5xx over requests (or, with `good`, 2xx over requests via metric math)."""
    if good:
        counter = counter_source(
            cloudwatch=CloudWatchMath(
                expression="ok2 + ok3",
                metrics={"ok2": elb("HTTPCode_Target_2XX_Count"), "ok3": elb("HTTPCode_Target_3XX_Count")},
            )
        )
        ratio = RatioSli(good=counter, total=counter_source(cloudwatch=elb("RequestCount")))
    else:
        ratio = RatioSli(
            bad=counter_source(cloudwatch=elb("HTTPCode_Target_5XX_Count")),
            total=counter_source(cloudwatch=elb("RequestCount")),
        )
    return Slo(
        name=name,
        objective=Decimal("99.9"),
        period_seconds=30 * 86400,
        sli=SliSpec(ratio=ratio),
        group_by=(),
        tiers=workbook_tiers() if tiers is None else tiers,
        no_data_seconds=None,
        min_events=None,
        description="Checkout answers without server errors.",
        labels=(),
        origin=span(12),
    )


def routes(
    *pairs: tuple[dict[str, tuple[str, ...]], tuple[str, ...]], owner: str = "service/checkout"
) -> tuple[Route, ...]:
    """Routes from (matchers, receivers) pairs, in order."""
    return tuple(
        Route(
            tuple(LabelMatcher(k, v) for k, v in sorted(match.items())),
            to,
            False,
            None,
            None,
            None,
            None,
            owner,
            span(60 + i),
        )
        for i, (match, to) in enumerate(pairs)
    )


DEFAULT_ROUTES = routes(({"severity": ("critical",)}, ("payments-pager",)), ({}, ("payments-mail", "payments-hook")))


def service(
    name: str = "checkout",
    alerts: tuple[ThresholdAlert, ...] = (),
    slos: tuple[Slo, ...] = (),
    service_routes: tuple[Route, ...] = DEFAULT_ROUTES,
) -> Service:
    """A service of team payments."""
    return Service(
        name=name,
        team="payments",
        tier=1,
        labels=(("env", "prod"),),
        owners=(),
        runbook=None,
        alerts=alerts,
        slos=slos,
        routes=service_routes,
        team_default_receiver=None,
        origin=span(4),
    )


def receivers() -> tuple[Receiver, ...]:
    """PagerDuty (secret key), email, a secret webhook and Slack receivers."""
    specs = [
        ReceiverSpec(name="payments-pager", pagerduty={"routing_key": {"env": "PD_PAYMENTS_KEY"}}),
        ReceiverSpec(name="payments-mail", email={"to": ["oncall@example.com", "leads@example.com"]}),
        ReceiverSpec(name="payments-hook", webhook={"url": {"env": "PAYMENTS_HOOK_URL"}}),
        ReceiverSpec(name="payments-slack", slack={"channel": "#payments", "webhook_url": {"env": "SLACK_URL"}}),
    ]
    return tuple(Receiver(s, "team/payments", span(80 + i, 5)) for i, s in enumerate(specs))


def model(*services: Service) -> Model:
    """A workspace of `services` and the payments receivers."""
    return Model(
        services=tuple(services),
        receivers=receivers(),
        severities=DEFAULT_SEVERITIES,
        paging_severities=frozenset({"critical"}),
    )


SECRETS = {
    "env:PD_PAYMENTS_KEY": "pd0123456789abcdef0123456789abcd",
    "env:PAYMENTS_HOOK_URL": "https://hooks.example.com/notify/payments",
    "env:SLACK_URL": "https://hooks.slack.com/services/T0/B0/XYZ",
}


def fingerprint(ref: str, origin: Span | None, secrets: dict[str, str] = SECRETS) -> str | None:
    """The render-time secret lookup: a fingerprint of the value, None when unset."""
    value = secrets.get(ref)
    return None if value is None else "sha256:" + hashlib.sha256(value.encode()).hexdigest()[:12]


def resolve(ref: str, secrets: dict[str, str] = SECRETS) -> str:
    """The apply-time secret lookup; KeyError when unset."""
    return secrets[ref]


def target(config: CloudWatchConfig, *services: Service, name: str = "aws-prod") -> Target:
    """A target selecting `services`."""
    return Target(name, "aws_cloudwatch", config, Path("targets"), span(1), tuple(services))
