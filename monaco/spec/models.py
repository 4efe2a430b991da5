"""Pydantic models of what users write: Service, Team and Settings documents."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field, HttpUrl, field_validator, model_validator
from pydantic_core import PydanticCustomError

from monaco.spec.drill import DrillSettings
from monaco.spec.lint_settings import LintSettings
from monaco.spec.oncall import OnCallSpec
from monaco.spec.pagerduty_receiver import PagerDutyReceiver
from monaco.spec.route_tests import RouteTestSpec
from monaco.spec.rule_tests import RuleTestSpec
from monaco.spec.secrets import Secret as Secret
from monaco.spec.sources import AlertSources, SliSpec
from monaco.spec.time_intervals import TimeIntervalSpec
from monaco.spec.tracing import TracingSpec
from monaco.spec.types import (
    AlertName,
    Duration,
    ExactDecimal,
    LabelName,
    Name,
    SecretRef,
    SpecModel,
    Threshold,
)


class Metadata(SpecModel):
    """Who a service is and who owns it."""

    name: Name
    team: Name
    tier: int = Field(default=2, ge=0, le=4, description="Criticality, 0 (most) to 4 (least).")
    labels: dict[LabelName, str] = Field(default_factory=dict)
    owners: list[str] = Field(default_factory=list, description="People or groups to ask about this service.")
    runbook: HttpUrl | None = None
    description: str | None = None
    tracing: TracingSpec | None = Field(default=None, description="Where this service's alerts link for traces.")


class Condition(SpecModel):
    """A comparison against a threshold; exactly one key is set, to a number."""

    above: Threshold = None
    above_or_equal: Threshold = None
    below: Threshold = None
    below_or_equal: Threshold = None
    equal: Threshold = None
    not_equal: Threshold = None

    @field_validator("*", mode="before")
    @classmethod
    def _a_number(cls, value: Any) -> Any:
        if value is None or isinstance(value, bool):
            got = "null" if value is None else str(value).lower()
            raise PydanticCustomError("float_type", "a condition needs a number, not {got}", {"got": got})
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        if len(self.model_fields_set) != 1:
            raise ValueError(
                "a condition sets exactly one of above, above_or_equal, below, below_or_equal, equal, not_equal"
            )
        return self

    @property
    def comparison(self) -> str:
        """The comparison's name, such as `above`."""
        return next(iter(self.model_fields_set))

    @property
    def threshold(self) -> float:
        """The number compared against."""
        value = getattr(self, self.comparison)
        assert isinstance(value, float)
        return value


class AlertSpec(SpecModel):
    """A threshold alert: a neutral condition and one source per backend."""

    name: AlertName
    id: Name | None = Field(
        default=None,
        description="The alert's identity in its service when name and severity do not tell it apart.",
    )
    severity: str
    for_: Duration = Field(default="0s", alias="for", description="How long the condition must hold.")
    keep_firing_for: Duration | None = None
    when: Condition | None = Field(
        default=None,
        description="Comparison and threshold; omit when the PromQL source is itself a condition.",
    )
    source: AlertSources
    summary: str = Field(max_length=1000)
    description: str | None = Field(default=None, max_length=10000)
    runbook: HttpUrl | None = None
    labels: dict[LabelName, str] = Field(default_factory=dict)
    annotations: dict[LabelName, str] = Field(
        default_factory=dict,
        description="Further annotations, kept as written; summary, description and runbook_url have their own fields.",
    )


Matcher = str | list[str]


class RouteSpec(SpecModel):
    """Where alerts matching some labels go, in order; first match wins unless `continue` is set."""

    match: dict[LabelName, Matcher] = Field(default_factory=dict, description="Label -> value or list of values.")
    to: list[Name] = Field(min_length=1, description="Receivers notified.")
    continue_: bool = Field(default=False, alias="continue")
    group_by: list[LabelName] | None = None
    group_wait: Duration | None = None
    group_interval: Duration | None = None
    repeat_interval: Duration | None = None
    mute_during: list[Name] = Field(
        default_factory=list, description="Time intervals (Settings `time_intervals`) when notifications are muted."
    )
    active_during: list[Name] = Field(
        default_factory=list, description="Time intervals outside which notifications are muted (e.g. business hours)."
    )

    @field_validator("match")
    @classmethod
    def _non_empty_values(cls, value: dict[str, Matcher]) -> dict[str, Matcher]:
        for label, matcher in value.items():
            if isinstance(matcher, list) and not matcher:
                raise ValueError(f"matcher for {label!r} lists no values")
        return value


class SlackReceiver(SpecModel):
    """A Slack channel, reached through an incoming-webhook URL."""

    channel: str = Field(pattern=r"^[#@]?[\w.-]+$")
    webhook_url: Secret
    send_resolved: bool = True


class EmailReceiver(SpecModel):
    """One or more email addresses."""

    to: list[Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+$")]] = Field(min_length=1)
    send_resolved: bool = False


class WebhookReceiver(SpecModel):
    """A generic HTTP webhook. A URL with credentials or a query string must be a secret reference."""

    url: HttpUrl | SecretRef
    send_resolved: bool = True
    max_alerts: int = Field(default=0, ge=0)

    @field_validator("url", mode="before")
    @classmethod
    def _plain_url_carries_no_secret(cls, value: Any) -> Any:
        if isinstance(value, str) and ("@" in value.split("/")[2:3][0] if value.count("/") >= 2 else False):
            raise PydanticCustomError("secret_inline", "webhook URL carries credentials inline; use {{env: NAME}}")
        if isinstance(value, str) and "?" in value:
            raise PydanticCustomError(
                "secret_inline", "webhook URL carries a query string (often a token); use {{env: NAME}}"
            )
        return value


class ReceiverSpec(SpecModel):
    """A named destination; exactly one of slack, pagerduty, email, webhook."""

    name: Name
    slack: SlackReceiver | None = None
    pagerduty: PagerDutyReceiver | None = None
    email: EmailReceiver | None = None
    webhook: WebhookReceiver | None = None

    @model_validator(mode="after")
    def _exactly_one_kind(self) -> ReceiverSpec:
        kinds = [k for k in ("slack", "pagerduty", "email", "webhook") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a receiver sets exactly one of slack, pagerduty, email, webhook")
        return self


class BurnTierSpec(SpecModel):
    """Overrides for one burn-rate tier (page or ticket)."""

    disabled: bool = False
    severity: str | None = None
    for_: Duration | None = Field(default=None, alias="for")
    budget_percent: ExactDecimal | None = Field(default=None, description="Budget consumed that triggers, in percent.")
    long_window: Duration | None = None
    short_window: Duration | None = None


class SloAlertingSpec(SpecModel):
    """How an SLO alerts: the workbook's four windows in two tiers by default."""

    page: BurnTierSpec | list[BurnTierSpec] | None = None
    ticket: BurnTierSpec | list[BurnTierSpec] | None = None
    no_data_for: Duration | None = Field(
        default="10m", description="Alert when the SLI's series vanish; null to disable."
    )
    min_events: ExactDecimal | None = Field(
        default=None, description="Do not page when fewer events than this were seen in the short window."
    )


class SloSpec(SpecModel):
    """A service level objective over a rolling period."""

    name: Name
    objective: ExactDecimal = Field(description="Target percentage, e.g. 99.9; kept exact.")
    period: Duration = "30d"
    description: str | None = None
    sli: SliSpec
    group_by: list[LabelName] = Field(default_factory=list, description="One SLO per value of these labels.")
    alerting: SloAlertingSpec = Field(default_factory=SloAlertingSpec)
    labels: dict[LabelName, str] = Field(default_factory=dict)

    @field_validator("objective")
    @classmethod
    def _objective_range(cls, value: Decimal) -> Decimal:
        if value >= 100:
            raise ValueError("an objective of 100% leaves no error budget; burn rate is undefined")
        if value <= 0:
            raise ValueError("objective must be a percentage between 0 and 100")
        return value


class RecordSpec(SpecModel):
    """A recording rule: a PromQL expression stored as a new series, rendered as written (no labels added)."""

    name: str = Field(pattern=r"^[a-zA-Z_:][a-zA-Z0-9_:]*$", description="Metric name of the new series.")
    expr: str = Field(min_length=1, description="PromQL.")
    labels: dict[LabelName, str] = Field(default_factory=dict)


class RuleGroupSpec(SpecModel):
    """Options of the service's Prometheus rule group (its threshold alerts and recording rules)."""

    interval: Duration | None = Field(default=None, description="Evaluation interval of the group.")
    limit: int | None = Field(default=None, ge=0, description="Most alerts (or series) a rule may produce; 0 is none.")
    query_offset: Duration | None = Field(default=None, description="Evaluate this far in the past (Prometheus 2.53+).")


class ServiceSpec(SpecModel):
    """A service: its metadata, SLOs, threshold alerts, recording rules, routes, receivers and rule tests."""

    api_version: Literal["monaco/v1"] = Field(alias="apiVersion")
    kind: Literal["Service"]
    metadata: Metadata
    slos: list[SloSpec] = Field(default_factory=list)
    alerts: list[AlertSpec] = Field(default_factory=list)
    records: list[RecordSpec] = Field(default_factory=list, description="Recording rules, in the service's group.")
    rule_group: RuleGroupSpec | None = None
    routes: list[RouteSpec] = Field(default_factory=list)
    receivers: list[ReceiverSpec] = Field(default_factory=list)
    tests: list[RuleTestSpec] = Field(default_factory=list)
    route_tests: list[RouteTestSpec] = Field(
        default_factory=list, description="Who must receive which alert, per target."
    )


class TeamMetadata(SpecModel):
    """A team's name."""

    name: Name
    description: str | None = None


class TeamSpec(SpecModel):
    """Receivers and routes shared by every service of a team."""

    api_version: Literal["monaco/v1"] = Field(alias="apiVersion")
    kind: Literal["Team"]
    metadata: TeamMetadata
    default_receiver: Name | None = Field(default=None, description="Where a team's unmatched alerts go.")
    routes: list[RouteSpec] = Field(default_factory=list)
    receivers: list[ReceiverSpec] = Field(default_factory=list)
    oncall: OnCallSpec | None = Field(default=None, description="Who is paged, through PagerDuty (pagerduty targets).")
    tracing: TracingSpec | None = Field(default=None, description="Trace links of services that set none.")


class SeverityLevel(SpecModel):
    """One severity; `page` marks those that wake someone up."""

    name: Name
    page: bool = False


DEFAULT_SEVERITIES: tuple[SeverityLevel, ...] = (
    SeverityLevel(name="critical", page=True),
    SeverityLevel(name="high"),
    SeverityLevel(name="medium"),
    SeverityLevel(name="low"),
)


DEFAULT_PROMETHEUS_VERSION = "2.42"
"""The Prometheus release CI installs (Debian bookworm's promtool and server)."""


class IdentityLabelNames(SpecModel):
    """The label names monaco adds to every alert it generates; rename them where the series already carry one."""

    service: LabelName = Field(default="service", description="Label holding the monaco service name.")
    team: LabelName = Field(default="team", description="Label holding the owning team.")
    severity: LabelName = Field(default="severity", description="Label holding the alert's severity.")
    slo: LabelName = Field(default="slo", description="Label holding the SLO name on SLO alerts and recordings.")
    tier: LabelName = Field(default="tier", description="Label holding the burn-rate tier (page or ticket).")

    @model_validator(mode="after")
    def _distinct(self) -> IdentityLabelNames:
        names = list(self.model_dump().values())
        if len(set(names)) != len(names):
            raise ValueError("identity label names must be distinct")
        reserved = [n for n in names if n == "alertname" or n.startswith("__")]
        if reserved:
            raise ValueError(f"identity label name {reserved[0]!r} is reserved by Prometheus; choose another")
        return self


class SettingsSpec(SpecModel):
    """Workspace-wide settings: the closed set of severities (most severe first) and identity label names."""

    api_version: Literal["monaco/v1"] = Field(alias="apiVersion")
    kind: Literal["Settings"]
    severities: list[SeverityLevel] = Field(default_factory=lambda: list(DEFAULT_SEVERITIES), min_length=1)
    identity_labels: IdentityLabelNames = Field(default_factory=IdentityLabelNames)
    prometheus_version: str = Field(
        default=DEFAULT_PROMETHEUS_VERSION,
        pattern=r"^[23]\.\d+$",
        description="The Prometheus (major.minor) the rules run on; validate accepts exactly what it accepts.",
    )
    drill: DrillSettings = Field(default_factory=DrillSettings, description="What `monaco drill` may send.")
    lint: LintSettings = Field(default_factory=LintSettings, description="Levels and figures of `monaco lint`.")
    time_intervals: list[TimeIntervalSpec] = Field(
        default_factory=list, description="Named quiet hours and maintenance windows routes can mute or be active in."
    )


class TargetMetadata(SpecModel):
    """A target's name."""

    name: Name
    description: str | None = None


class TargetSpec(SpecModel):
    """One configured instance of a backend; `config` is checked by the backend's own model."""

    api_version: Literal["monaco/v1"] = Field(alias="apiVersion")
    kind: Literal["Target"]
    metadata: TargetMetadata
    backend: str = Field(description="Backend kind: prometheus, alertmanager, aws_cloudwatch, ...")
    select: dict[str, Matcher] = Field(
        default_factory=dict,
        description="Service labels (and name, team, tier) a service must match; empty selects all.",
    )
    config: dict[str, Any] = Field(default_factory=dict)
