"""The backend-neutral model lowered from specs: services, alerts, SLO burn-rate tiers, routes, receivers."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from monaco.diagnostics import Span
from monaco.ir.time_intervals import TimeInterval
from monaco.ir.tracing import TraceSystem
from monaco.spec.models import DEFAULT_PROMETHEUS_VERSION, IdentityLabelNames, ReceiverSpec, SeverityLevel
from monaco.spec.oncall import OnCallSpec
from monaco.spec.sources import AlertSources, SliSpec


@dataclass(frozen=True, slots=True)
class ThresholdAlert:
    """An alert on a signal crossing a threshold; `comparison` is None when the PromQL is the condition."""

    name: str
    severity: str
    for_seconds: int
    keep_firing_for_seconds: int | None
    comparison: str | None
    threshold: float | None
    source: AlertSources
    summary: str
    description: str | None
    runbook: str | None
    labels: tuple[tuple[str, str], ...]
    origin: Span
    key: str = ""
    """The alert's identity in its service: an explicit id, else its name (plus severity when the name repeats)."""
    annotations: tuple[tuple[str, str], ...] = ()
    """Annotations beyond summary, description and runbook_url, as written."""


@dataclass(frozen=True, slots=True)
class RecordingRule:
    """A user's recording rule: PromQL stored under a new metric name, with the user's labels only."""

    name: str
    expr: str
    labels: tuple[tuple[str, str], ...]
    origin: Span


@dataclass(frozen=True, slots=True)
class GroupOptions:
    """Options of a service's own rule group; None means the server's default."""

    interval_seconds: int | None = None
    limit: int | None = None
    query_offset_seconds: int | None = None


@dataclass(frozen=True, slots=True)
class BurnWindowPair:
    """One long/short window pair of a burn-rate tier, with its burn-rate factor and threshold."""

    long_seconds: int
    short_seconds: int
    budget_fraction: Decimal
    factor: Decimal
    threshold: Decimal
    """The error ratio above which the pair fires, exact: the one number every backend renders."""


@dataclass(frozen=True, slots=True)
class BurnTier:
    """A burn-rate alert tier (page or ticket): window pairs OR'ed, each pair long AND short."""

    name: str
    severity: str
    for_seconds: int
    windows: tuple[BurnWindowPair, ...]
    origin: Span


@dataclass(frozen=True, slots=True)
class Slo:
    """A service level objective with its computed burn-rate tiers."""

    name: str
    objective: Decimal
    period_seconds: int
    sli: SliSpec
    group_by: tuple[str, ...]
    tiers: tuple[BurnTier, ...]
    no_data_seconds: int | None
    min_events: Decimal | None
    description: str | None
    labels: tuple[tuple[str, str], ...]
    origin: Span

    @property
    def error_budget(self) -> Decimal:
        """The allowed error ratio, exact: 1 - objective/100."""
        return (Decimal(100) - self.objective) / Decimal(100)


@dataclass(frozen=True, slots=True)
class LabelMatcher:
    """A label equal to one value, or to one of several values."""

    label: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Route:
    """An ordered routing rule: matchers to receivers; `owner` is the service or team that wrote it."""

    matchers: tuple[LabelMatcher, ...]
    receivers: tuple[str, ...]
    continue_: bool
    group_by: tuple[str, ...] | None
    group_wait_seconds: int | None
    group_interval_seconds: int | None
    repeat_interval_seconds: int | None
    owner: str
    origin: Span
    mute_during: tuple[str, ...] = ()
    """Time intervals (by name) during which the route's notifications are muted."""
    active_during: tuple[str, ...] = ()
    """Time intervals (by name) outside which the route's notifications are muted."""


@dataclass(frozen=True, slots=True)
class Receiver:
    """A named destination, as written in the spec (secrets are references)."""

    spec: ReceiverSpec
    owner: str
    origin: Span

    @property
    def name(self) -> str:
        """The receiver's workspace-unique name."""
        return self.spec.name


@dataclass(frozen=True, slots=True)
class OnCall:
    """The on-call a service's team declares (its Team document's `oncall:`), with where each part was written."""

    team: str
    spec: OnCallSpec
    origin: Span
    target_spans: tuple[tuple[Span, ...], ...]
    """Per escalation level, the span of each of its targets (an unknown schedule is reported there)."""


@dataclass(frozen=True, slots=True)
class Service:
    """One service with everything needed to render it on any backend."""

    name: str
    team: str
    tier: int
    labels: tuple[tuple[str, str], ...]
    owners: tuple[str, ...]
    runbook: str | None
    alerts: tuple[ThresholdAlert, ...]
    slos: tuple[Slo, ...]
    routes: tuple[Route, ...]
    team_default_receiver: str | None
    origin: Span
    tests: tuple[object, ...] = ()
    identity: IdentityLabelNames = field(default_factory=IdentityLabelNames)
    """The names of the labels monaco adds to this service's alerts (from Settings)."""
    records: tuple[RecordingRule, ...] = ()
    group_options: GroupOptions = field(default_factory=GroupOptions)
    """interval, limit and query_offset of the service's own rule group (alerts and recordings)."""
    oncall: OnCall | None = None
    """The team's on-call, when its Team document declares one."""
    tracing: TraceSystem | None = None
    """Where the service's alerts link for error traces (its own `tracing:`, else its team's)."""

    def selector_labels(self) -> dict[str, str]:
        """Labels a target's `select` is matched against: the service's labels plus name, team, tier."""
        return {**dict(self.labels), "name": self.name, "team": self.team, "tier": str(self.tier)}


@dataclass(frozen=True, slots=True)
class Model:
    """The whole workspace, lowered: services (sorted by name), receivers and severities."""

    services: tuple[Service, ...]
    receivers: tuple[Receiver, ...]
    severities: tuple[SeverityLevel, ...]
    paging_severities: frozenset[str] = field(default_factory=frozenset)
    identity: IdentityLabelNames = field(default_factory=IdentityLabelNames)
    prometheus_version: str = DEFAULT_PROMETHEUS_VERSION
    time_intervals: tuple[TimeInterval, ...] = ()
    """The Settings document's named time intervals (quiet hours, maintenance windows)."""
