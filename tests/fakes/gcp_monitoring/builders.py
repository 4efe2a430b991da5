"""Small valid Cloud Monitoring objects for tests (proto-plus, as a backend sends them), client calls, a ticking clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from google.cloud import monitoring_v3 as m

from tests.fakes.gcp_monitoring.clients import GcpClients

PROJECT = "monaco-test"
PARENT = f"projects/{PROJECT}"
BURN_RATE_FILTER = (
    'select_slo_burn_rate("projects/monaco-test/services/checkout/serviceLevelObjectives/availability", "3600s")'
)


class TickingClock:
    """A clock that starts at a fixed instant and moves one second per reading: stable and distinguishable records."""

    def __init__(self, start: datetime = datetime(2026, 1, 1, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        """The current reading; the next one is a second later."""
        reading = self.now
        self.now += timedelta(seconds=1)
        return reading


def condition(display_name: str = "burn 1h > 14.4", threshold: float = 14.4) -> m.AlertPolicy.Condition:
    """A burn-rate threshold condition."""
    return m.AlertPolicy.Condition(
        display_name=display_name,
        condition_threshold=m.AlertPolicy.Condition.MetricThreshold(
            filter=BURN_RATE_FILTER, comparison=m.ComparisonType.COMPARISON_GT, threshold_value=threshold
        ),
    )


def policy(
    display_name: str = "checkout availability page",
    *,
    conditions: int = 1,
    user_labels: dict[str, str] | None = None,
    channels: tuple[str, ...] = (),
    combiner: int | None = None,
) -> m.AlertPolicy:
    """A policy with `conditions` threshold conditions, combined with AND when there are several."""
    if combiner is None:
        unspecified = m.AlertPolicy.ConditionCombinerType.COMBINE_UNSPECIFIED
        combiner = m.AlertPolicy.ConditionCombinerType.AND if conditions > 1 else unspecified
    return m.AlertPolicy(
        display_name=display_name,
        documentation=m.AlertPolicy.Documentation(
            content="Runbook: https://runbooks.example.com", mime_type="text/markdown"
        ),
        conditions=[condition(f"condition {index}") for index in range(conditions)],
        combiner=combiner,
        user_labels=user_labels or {},
        notification_channels=list(channels),
    )


def email_channel(
    address: str = "oncall@example.com", user_labels: dict[str, str] | None = None
) -> m.NotificationChannel:
    """An email channel."""
    return m.NotificationChannel(
        type_="email", display_name=address, labels={"email_address": address}, user_labels=user_labels or {}
    )


def slack_channel(
    token: str = "xoxb-0000-1111-secret-token-9684", user_labels: dict[str, str] | None = None
) -> m.NotificationChannel:
    """A Slack channel with its auth token."""
    return m.NotificationChannel(
        type_="slack",
        display_name="#payments-alerts",
        labels={"channel_name": "#payments-alerts", "auth_token": token},
        user_labels=user_labels or {},
    )


def custom_service(display_name: str = "checkout", user_labels: dict[str, str] | None = None) -> m.Service:
    """A custom service (`custom: {}`)."""
    return m.Service(display_name=display_name, custom=m.Service.Custom(), user_labels=user_labels or {})


def slo(
    goal: float = 0.999,
    *,
    rolling: timedelta | None = timedelta(days=28),
    calendar: int | None = None,
    user_labels: dict[str, str] | None = None,
) -> m.ServiceLevelObjective:
    """A request-based availability SLO over a rolling window, or over a calendar period when `calendar` is given."""
    indicator = m.ServiceLevelIndicator(
        request_based=m.RequestBasedSli(
            good_total_ratio=m.TimeSeriesRatio(
                bad_service_filter='metric.type="run.googleapis.com/request_count" metric.labels.response_code_class="5xx"',
                total_service_filter='metric.type="run.googleapis.com/request_count"',
            )
        )
    )
    objective = m.ServiceLevelObjective(
        display_name="availability", goal=goal, service_level_indicator=indicator, user_labels=user_labels or {}
    )
    if calendar is not None:
        objective.calendar_period = calendar
    elif rolling is not None:
        objective.rolling_period = rolling
    return objective


Call = Callable[[GcpClients], object]
"""One client call against the fake, to run later (a rejection case, say)."""


def create_service(clients: GcpClients, service_id: str, **labels: str) -> m.Service:
    """CreateService of a custom service with a client-chosen id (which goes in `request=`)."""
    service = custom_service(service_id, labels)
    return clients.services.create_service(request={"parent": PARENT, "service_id": service_id, "service": service})


def create_slo(
    clients: GcpClients, service: str, slo_id: str, objective: m.ServiceLevelObjective
) -> m.ServiceLevelObjective:
    """CreateServiceLevelObjective with a client-chosen id."""
    request = {"parent": service, "service_level_objective_id": slo_id, "service_level_objective": objective}
    return clients.services.create_service_level_objective(request=request)


def policy_call(**kwargs: Any) -> Call:
    """CreateAlertPolicy of `policy(**kwargs)`, without client retries."""
    return lambda c: c.alert_policies.create_alert_policy(name=PARENT, alert_policy=policy(**kwargs), retry=None)


def policy_with_labels(labels: dict[str, str]) -> Call:
    """CreateAlertPolicy of a policy with these user labels."""
    return policy_call(user_labels=labels)


def slo_call(objective: m.ServiceLevelObjective, slo_id: str = "s") -> Call:
    """CreateServiceLevelObjective under the `checkout` service."""
    return lambda c: create_slo(c, f"{PARENT}/services/checkout", slo_id, objective)


def channel_call(channel: m.NotificationChannel) -> Call:
    """CreateNotificationChannel, without client retries."""
    return lambda c: c.channels.create_notification_channel(name=PARENT, notification_channel=channel, retry=None)
