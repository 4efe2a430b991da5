"""The lowering of one SLO spec to IR burn-rate tiers (SRE workbook, multiwindow multi-burn-rate).

The arithmetic is `monaco.ir.burnmath`'s, exact in `Decimal`.

Diagnostic codes MON230-MON249 belong to this module:

| code | level | meaning |
| --- | --- | --- |
| MON230 | error | a window pair can never fire: its threshold error ratio is 100% or more |
| MON231 | error | short window is not shorter than the long window |
| MON232 | error | long window is longer than the SLO period |
| MON233 | error | objective outside (0, 100): no error budget |
| MON234 | error | severity not in the workspace's closed set |
| MON235 | error | budget_percent outside (0, 100] |
| MON236 | error | pairs of one tier disagree on severity or `for` (one tier is one alert) |
| MON237 | error | a pair beyond the defaults lacks long_window or budget_percent |
| MON238 | warning | every tier is disabled: the SLO never alerts on burn |
| MON239 | error | min_events is not positive |
| MON240, MON242, MON243 | error/warning | Prometheus SLI query checks: the Prometheus source family's `check` hook (`monaco.backends.promrules.source_checks`) |
| MON245 | warning | a window shorter than 1m (rate() needs two samples in it) |
| MON246 | error | the period is not a whole number of days |
| MON247 | info | an SLO pages but the service has no runbook |
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from monaco.diagnostics import Diagnostic, Diagnostics, Level, Span
from monaco.ir.burnmath import (
    DEFAULT_PAIRS,
    PAGE,
    TICKET,
    PairDefault,
    burn_factor,
    error_ratio_threshold,
    exact_quotient,
)
from monaco.ir.burnmath import format_decimal as format_decimal
from monaco.ir.burnmath import pair_threshold as pair_threshold
from monaco.ir.nodes import BurnTier, BurnWindowPair, Slo
from monaco.spec.models import BurnTierSpec, SeverityLevel, SloSpec
from monaco.spec.types import format_duration, parse_duration

TIER_KINDS: tuple[str, ...] = (PAGE, TICKET)
DEFAULT_FOR_SECONDS: dict[str, int] = {PAGE: 120, TICKET: 900}
"""Default `for` per tier: 2m damps a flapping 5m window; 15m keeps tickets calm."""
DEFAULT_TICKET_SEVERITY = "medium"
SpecPath = tuple[str | int, ...]


def severity_defaults(severities: Sequence[str | SeverityLevel]) -> tuple[list[str], str, str]:
    """Known severity names, and the default page and ticket severities.

    Page: the first severity marked `page` (names only: the first). Ticket: `medium` when known,
    else the first non-paging severity less severe than the page one, else the least severe.
    """
    names = [s if isinstance(s, str) else s.name for s in severities]
    paging = [s.name for s in severities if isinstance(s, SeverityLevel) and s.page]
    page = paging[0] if paging else (names[0] if names else "critical")
    if DEFAULT_TICKET_SEVERITY in names or not names:
        return names, page, DEFAULT_TICKET_SEVERITY
    after = names[names.index(page) + 1 :] if page in names else names
    calm = [n for n in after if n not in paging]
    return names, page, (calm[0] if calm else names[-1])


@dataclass(slots=True)
class _Context:
    spec: SloSpec
    period: int
    span: Callable[[SpecPath], Span]
    diagnostics: Diagnostics
    severity_names: list[str]


def lower_slo(
    spec: SloSpec,
    *,
    service_runbook: str | None = None,
    severities: Sequence[str | SeverityLevel],
    doc_span_for: Callable[[SpecPath], Span],
    diagnostics: Diagnostics,
) -> Slo | None:
    """Lower one SLO spec to an IR `Slo` with its burn-rate tiers; None when it has errors.

    `doc_span_for(path)` gives the span of a path *relative to the SLO mapping* (for instance
    `("alerting", "page", 0, "long_window")`); from lower.py pass `lambda p: doc.span(("slos", i, *p))`.
    `severities` are names or `SeverityLevel`s, most severe first. `service_runbook` only feeds a
    warning when a paging SLO has none (the renderer reads the runbook from the IR service).
    """
    start = len(diagnostics)
    period = parse_duration(spec.period)
    if not _objective_and_period_ok(spec, period, doc_span_for, diagnostics):
        return None
    names, page_default, ticket_default = severity_defaults(severities)
    ctx = _Context(spec, period, doc_span_for, diagnostics, names)
    tiers = [
        tier
        for kind, default_severity in ((PAGE, page_default), (TICKET, ticket_default))
        if (tier := _lower_tier(ctx, kind, default_severity)) is not None
    ]
    _check_alerting(spec, tiers, service_runbook, doc_span_for, diagnostics)
    if any(d.level is Level.ERROR for d in diagnostics.items[start:]):
        return None
    alerting = spec.alerting
    return Slo(
        name=spec.name,
        objective=spec.objective,
        period_seconds=period,
        sli=spec.sli,
        group_by=tuple(spec.group_by),
        tiers=tuple(tiers),
        no_data_seconds=parse_duration(alerting.no_data_for) if alerting.no_data_for else None,
        min_events=alerting.min_events,
        description=spec.description,
        labels=tuple(sorted(spec.labels.items())),
        origin=doc_span_for(()),
    )


def _objective_and_period_ok(
    spec: SloSpec, period: int, span: Callable[[SpecPath], Span], diagnostics: Diagnostics
) -> bool:
    """MON233 (an objective with no budget: stop here) and MON246 (a period that is not whole days)."""
    if not Decimal(0) < spec.objective < Decimal(100):
        diagnostics.error(
            "MON233",
            f"objective {format_decimal(spec.objective)}% leaves no error budget",
            span(("objective",)),
            "an objective is a percentage strictly between 0 and 100",
        )
        return False
    if period % 86400:
        diagnostics.error(
            "MON246",
            f"period {spec.period} is not a whole number of days",
            span(("period",)),
            "write a rolling period such as 7d, 28d or 30d",
        )
    return True


def _check_alerting(
    spec: SloSpec,
    tiers: list[BurnTier],
    service_runbook: str | None,
    span: Callable[[SpecPath], Span],
    diagnostics: Diagnostics,
) -> None:
    """MON238 (no tier left), MON247 (a page with no runbook) and MON239 (min_events not positive)."""
    if not tiers:
        diagnostics.warning(
            "MON238", f"every burn-rate tier of SLO {spec.name!r} is disabled; it never alerts", span(("alerting",))
        )
    elif service_runbook is None and any(t.name == PAGE for t in tiers):
        diagnostics.add(_runbook_note(spec, span))
    min_events = spec.alerting.min_events
    if min_events is not None and min_events <= 0:
        diagnostics.error(
            "MON239", f"min_events must be positive, got {format_decimal(min_events)}", span(("alerting", "min_events"))
        )


def _runbook_note(spec: SloSpec, span: Callable[[SpecPath], Span]) -> Diagnostic:
    return Diagnostic(
        "MON247",
        f"SLO {spec.name!r} pages but the service has no runbook",
        span(()),
        "set metadata.runbook so the page links to what to do",
        Level.INFO,
    )


def _lower_tier(ctx: _Context, kind: str, default_severity: str) -> BurnTier | None:
    """One tier from its defaults and overrides; None when disabled."""
    override = getattr(ctx.spec.alerting, kind)
    base: SpecPath = ("alerting", kind)
    defaults = DEFAULT_PAIRS[kind]
    items: list[tuple[BurnTierSpec | None, SpecPath, PairDefault | None]]
    if override is None:
        items = [(None, base, d) for d in defaults]
    elif isinstance(override, BurnTierSpec):
        if override.disabled:
            return None
        chosen = defaults[:1] if _sets_window(override) else defaults
        items = [(override, base, d) for d in chosen]
    else:
        items = [(item, (*base, i), defaults[i] if i < len(defaults) else None) for i, item in enumerate(override)]
    severity, for_seconds = _tier_settings(ctx, kind, base, [(o, p) for o, p, _ in items], default_severity)
    pairs = [pair for o, p, d in items if not (o and o.disabled) for pair in [_pair(ctx, kind, o, p, d)] if pair]
    if not pairs:
        return None
    origin = ctx.span(base if override is not None else ())
    return BurnTier(kind, severity, for_seconds, tuple(pairs), origin)


def _sets_window(item: BurnTierSpec) -> bool:
    return item.long_window is not None or item.short_window is not None or item.budget_percent is not None


def _tier_settings(
    ctx: _Context, kind: str, base: SpecPath, items: list[tuple[BurnTierSpec | None, SpecPath]], default_severity: str
) -> tuple[str, int]:
    """The tier's severity and `for`: every pair that sets one must agree (one tier is one alert)."""
    severity: tuple[str, SpecPath] | None = None
    for_: tuple[str, SpecPath] | None = None
    for item, path in items:
        if item is None:
            continue
        if item.severity is not None:
            if severity is not None and severity[0] != item.severity:
                ctx.diagnostics.error(
                    "MON236",
                    f"{kind} tier pairs disagree on severity: {severity[0]} and {item.severity}",
                    ctx.span((*path, "severity")),
                    "one tier is one alert; set severity once",
                )
            severity = severity or (item.severity, (*path, "severity"))
        if item.for_ is not None:
            if for_ is not None and parse_duration(for_[0]) != parse_duration(item.for_):
                ctx.diagnostics.error(
                    "MON236",
                    f"{kind} tier pairs disagree on `for`: {for_[0]} and {item.for_}",
                    ctx.span((*path, "for")),
                    "one tier is one alert; set `for` once",
                )
            for_ = for_ or (item.for_, (*path, "for"))
    name = severity[0] if severity else default_severity
    if ctx.severity_names and name not in ctx.severity_names:
        close = difflib.get_close_matches(name, ctx.severity_names, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"severities: {', '.join(ctx.severity_names)}"
        ctx.diagnostics.error(
            "MON234",
            f"unknown severity {name!r} for the {kind} tier",
            ctx.span(severity[1] if severity else base),
            hint,
        )
    return name, parse_duration(for_[0]) if for_ else DEFAULT_FOR_SECONDS[kind]


_NO_OVERRIDE = BurnTierSpec()
"""A pair the spec does not override: every field falls back to the defaults."""


def _pair(
    ctx: _Context, kind: str, item: BurnTierSpec | None, path: SpecPath, default: PairDefault | None
) -> BurnWindowPair | None:
    """One window pair with its factor; reports every problem with it."""
    item = item or _NO_OVERRIDE
    if default is None and (item.long_window is None or item.budget_percent is None):
        ctx.diagnostics.error(
            "MON237",
            f"{kind} pair {path[-1]} has no default to fall back on",
            ctx.span(path),
            "a pair beyond the defaults sets long_window and budget_percent",
        )
        return None
    long_s, short_s, budget = _pair_windows(item, default)
    where = f"{kind} pair {format_duration(long_s)}/{format_duration(short_s)}"
    if not _pair_is_valid(ctx, kind, item, path, where, (long_s, short_s, budget)):
        return None
    factor = burn_factor(budget, ctx.period, long_s)
    threshold = error_ratio_threshold(ctx.spec.objective, budget, ctx.period, long_s)
    if threshold >= 1:
        ctx.diagnostics.error(
            "MON230",
            _never_fires(where, budget, ctx, long_s, factor, threshold),
            ctx.span(path if _sets_window(item) else ("objective",)),
            f"a full outage burns at most 1 / (1 - {format_decimal(ctx.spec.objective / 100)}) = "
            f"{format_decimal(exact_quotient(Decimal(100), 100 - ctx.spec.objective))}x; lower "
            "budget_percent, lengthen long_window, disable the pair or raise the objective",
        )
        return None
    return BurnWindowPair(long_s, short_s, exact_quotient(budget, Decimal(100)), factor, threshold)


def _pair_windows(item: BurnTierSpec, default: PairDefault | None) -> tuple[int, int, Decimal]:
    """(long seconds, short seconds, budget percent) of a pair: the overrides, else the defaults."""
    long_s = parse_duration(item.long_window) if item.long_window else (default.long_seconds if default else 0)
    if item.short_window is not None:
        short_s = parse_duration(item.short_window)
    elif item.long_window is not None or default is None:
        short_s = max(long_s // 12, 1)  # the workbook's guideline: short = long / 12
    else:
        short_s = default.short_seconds
    if item.budget_percent is not None:
        return long_s, short_s, item.budget_percent
    return long_s, short_s, default.budget_percent if default else Decimal(0)


def _pair_is_valid(
    ctx: _Context, kind: str, item: BurnTierSpec, path: SpecPath, where: str, windows: tuple[int, int, Decimal]
) -> bool:
    """Report MON235, MON231, MON232 (errors) and MON245 (warning) for a pair; False when any error."""
    long_s, short_s, budget = windows
    diags = ctx.diagnostics
    ok = True
    if not Decimal(0) < budget <= Decimal(100):
        diags.error(
            "MON235",
            f"{where}: budget_percent {format_decimal(budget)} is outside (0, 100]",
            ctx.span((*path, "budget_percent")),
        )
        ok = False
    if short_s >= long_s:
        diags.error(
            "MON231",
            f"{where}: the short window must be shorter than the long window",
            ctx.span((*path, "short_window") if item.short_window else path),
            "the workbook uses short = long / 12",
        )
        ok = False
    if long_s > ctx.period:
        field = (*path, "long_window") if item.long_window else ("period",)
        diags.error(
            "MON232",
            f"{where}: the long window is longer than the {format_duration(ctx.period)} period",
            ctx.span(field),
            f"override or disable the {kind} tier's pair for this period",
        )
        ok = False
    for seconds, name in ((short_s, "short_window"), (long_s, "long_window")):
        if seconds < 60:
            diags.warning(
                "MON245",
                f"{where}: a {format_duration(seconds)} window holds fewer than two samples "
                "at the usual scrape intervals",
                ctx.span((*path, name)),
            )
    return ok


def _never_fires(where: str, budget: Decimal, ctx: _Context, long_s: int, factor: Decimal, threshold: Decimal) -> str:
    fraction = format_decimal(exact_quotient(budget, Decimal(100)))
    period, long_w = format_duration(ctx.period), format_duration(long_s)
    budget_pct = format_decimal(100 - ctx.spec.objective)
    return (
        f"{where} can never fire: {format_decimal(budget)}% of the {period} budget in {long_w} is a burn rate of "
        f"{fraction} x {period} / {long_w} = {format_decimal(factor)}x; at a {format_decimal(ctx.spec.objective)}% "
        f"objective (error budget {budget_pct}%) that needs an error ratio of {format_decimal(factor)} x "
        f"{budget_pct}% = {format_decimal(threshold * 100)}%, and an error ratio cannot exceed 100%"
    )
