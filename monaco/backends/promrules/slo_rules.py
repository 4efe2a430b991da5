"""Prometheus rule groups for one SLO: SLI recordings per window, budget series, burn-rate and no-data alerts.

How the error ratio over each window is computed (the correctness trade-off, stated once):

* Base window `b` (5m, or the shortest tier window if shorter): the errors and events *rates* are
  recorded from the raw source series (`slo:sli_errors:rate5m`, `slo:sli_events:rate5m`), and their
  quotient is `slo:sli_error:ratio_rate5m`.
* Windows up to 1h are computed straight from the raw series, exactly as written (`rate(x[30m])`).
* Longer windows (2h, 6h, 1d, 3d and the period, e.g. 30d) reuse the base recordings as a ratio of
  sums: `sum_over_time(errors_rate5m[W]) / sum_over_time(events_rate5m[W])`. This is *event-weighted*
  (every request counts once, unlike Sloth's time-weighted average of 5m ratios), costs W/interval
  samples per output series whatever the number of raw series, and a quiet 5m slot adds 0/0 to
  neither sum, so zero traffic cannot poison the period with NaN. The price: the window's edges
  are smoothed over `b` (W is read as a trapezoid W+b long, the newest events ramping in over `b`),
  so a long-window ratio lags the exact one by about b/2; and a long window only covers the time
  since the recording rule was first evaluated (after a deploy, the 30d budget is over less than 30d).
* A gauge SLI counts samples, not requests: its "events" are samples per second, so `min_events`
  on a gauge is a minimum number of samples in the short window.
* Errors default to zero where the bad (or good) series do not exist yet (`bad or 0 * total`), so a
  service that never failed has a 0% error ratio and a full budget, not "no data".

Labels: recordings carry only `service`, `slo` (plus the group_by labels from the
query): no team or other mutable labels, so relabelling a team never splits a 30d series.
Alerts add `team`, `severity`, `tier` (page/ticket) and the service's and SLO's labels. Annotations
template only `$labels`, never `$value`, so generated promtool tests can state them exactly.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import promql_parser

from monaco.backends.promrules import record_names as names
from monaco.backends.promrules.promql import parse_query, root_kind, substitute_window
from monaco.backends.promrules.promql_shape import query_shape
from monaco.backends.promrules.sources import PromHistogram, PromMetric, prom_histogram, prom_source
from monaco.diagnostics import Diagnostic, Diagnostics, Level
from monaco.ir.burnrate import format_decimal
from monaco.ir.labels import BURN_ALERT, NO_DATA_ALERT, burn_alert_labels, recording_labels, slo_alert_labels
from monaco.ir.nodes import BurnTier, BurnWindowPair, Service, Slo
from monaco.ir.tracing import trace_url
from monaco.spec.sources import CounterSources
from monaco.spec.types import format_duration, parse_duration

BASE_WINDOW_SECONDS = 300
DIRECT_MAX_SECONDS = 3600
Rule = dict[str, Any]


def slo_group_name(service: Service, slo: Slo) -> str:
    """The rule group's name: `<service>.slo.<slo>` (names hold no dots, so it is unambiguous)."""
    return f"{service.name}.slo.{slo.name}"


def quote(value: str) -> str:
    """A PromQL double-quoted string literal."""
    return json.dumps(value, ensure_ascii=False)


def selector(metric: str, matchers: Mapping[str, str], extra: Mapping[str, str] | None = None) -> str:
    """`metric{label="value",...}`; a value starting with `~` is a regex matcher."""
    parts = []
    for label, value in sorted({**matchers, **(extra or {})}.items()):
        parts.append(f"{label}=~{quote(value[1:])}" if value.startswith("~") else f"{label}={quote(value)}")
    return f"{metric}{{{','.join(parts)}}}" if parts else metric


def windows(slo: Slo) -> tuple[int, list[int]]:
    """The base window and every other window (tier windows and the period) in seconds, sorted."""
    used = {s for tier in slo.tiers for pair in tier.windows for s in (pair.long_seconds, pair.short_seconds)}
    base = min([BASE_WINDOW_SECONDS, *used])
    return base, sorted((used | {slo.period_seconds}) - {base})


def has_prometheus_sli(slo: Slo) -> bool:
    """True when the SLI can be computed on Prometheus."""
    sli = slo.sli
    if sli.ratio is not None:
        side = sli.ratio.bad or sli.ratio.good
        return prom_source(side) is not None and prom_source(sli.ratio.total) is not None
    return prom_histogram(sli.latency) is not None or prom_source(sli.gauge) is not None


def _by(slo: Slo) -> str:
    return f"sum by ({', '.join(slo.group_by)}) " if slo.group_by else "sum "


def _atomic(query: str) -> bool:
    """True when `query` needs no parentheses as an operand (a call, aggregation, selector...)."""
    return root_kind(query) not in (None, "BinaryExpr", "UnaryExpr")


def paren(query: str) -> str:
    """`query` wrapped in parentheses unless it is already a single operand."""
    return query if _atomic(query) else f"({query})"


def _counter(slo: Slo, source: CounterSources, window: str) -> str:
    prom = prom_source(source)
    if isinstance(prom, str):
        query = substitute_window(prom, window).strip()
        return query if _atomic(prom.strip()) else f"({query})"  # the template's shape: parsed once, not per window
    assert isinstance(prom, PromMetric)
    return f"{_by(slo)}(rate({selector(prom.metric, prom.matchers)}[{window}]))"


def _histogram(slo: Slo) -> PromHistogram:
    """The latency SLI's histogram; only SLOs `has_prometheus_sli` accepts are rendered."""
    histogram = prom_histogram(slo.sli.latency)
    assert histogram is not None
    return histogram


def _le(threshold: float) -> dict[str, str]:
    text = format_decimal(Decimal(repr(threshold)))
    return {"le": f"~{text}([.]0)?"} if "." not in text else {"le": text}


def _gauge_range(slo: Slo, window: str) -> str:
    prom = prom_source(slo.sli.gauge)
    if isinstance(prom, PromMetric):
        return f"{selector(prom.metric, prom.matchers)}[{window}]"
    assert isinstance(prom, str)
    if root_kind(prom) == "VectorSelector":
        return f"{prom.strip()}[{window}]"
    return f"({prom.strip()})[{window}:]"


def sli_rates(slo: Slo, window: str) -> tuple[str, str]:
    """PromQL for (errors, events) over `window`, grouped by group_by; `events` is always a single operand."""
    sli = slo.sli
    if sli.ratio is not None:
        total = _counter(slo, sli.ratio.total, window)
        if sli.ratio.bad is not None:
            return f"{_counter(slo, sli.ratio.bad, window)} or 0 * {total}", total
        assert sli.ratio.good is not None
        return f"{total} - ({_counter(slo, sli.ratio.good, window)} or 0 * {total})", total
    if sli.latency is not None:
        lat = _histogram(slo)
        events = f"{_by(slo)}(rate({selector(lat.metric + '_count', lat.matchers)}[{window}]))"
        fast = selector(lat.metric + "_bucket", lat.matchers, _le(sli.latency.threshold))
        return f"{events} - {_by(slo)}(rate({fast}[{window}]))", events
    seconds = parse_duration(window)  # samples per second, so that `events x seconds` counts samples
    samples = f"{_by(slo)}(count_over_time({_gauge_range(slo, window)}))"
    good = f"{_by(slo)}(sum_over_time({_gauge_range(slo, window)}))"
    return f"({samples} - {good}) / {seconds}", f"({samples} / {seconds})"


def source_selector(slo: Slo) -> str:
    """What the no-data alert watches: the total (or gauge) source series, or for a latency SLI its threshold bucket.

    A latency SLI reads `_bucket{le="<threshold>"}`: when the threshold is no bucket boundary of the
    histogram, that series never exists, the SLI is empty and no burn alert can fire, while `_count`
    is there. Watching the bucket makes exactly that case page as "no data".
    """
    sli = slo.sli
    if sli.latency is not None:
        lat = _histogram(slo)
        return selector(lat.metric + "_bucket", lat.matchers, _le(sli.latency.threshold))
    prom = prom_source(sli.ratio.total if sli.ratio is not None else sli.gauge)
    if isinstance(prom, PromMetric):
        return selector(prom.metric, prom.matchers)
    assert isinstance(prom, str)
    shape = query_shape(prom)
    found = {shape.restore(printed) for printed in _selectors_of_shape(shape.text) or ()}
    if len(found) != 1:  # only promtool reads it, or several series: watch the query itself
        return substitute_window(prom, "5m").strip()
    return found.pop()


@functools.lru_cache(maxsize=4096)
def _selectors_of_shape(shape: str) -> tuple[str, ...] | None:
    """Each vector selector of a query shape as Prometheus prints it; None when the shape does not parse."""
    expr = parse_query(shape).tree
    if expr is None:
        return None
    found: list[str] = []

    def visit(node: Any) -> bool:
        if isinstance(node, promql_parser.VectorSelector):
            found.append(node.prettify())
        return True

    promql_parser.walk(expr, visit)
    return tuple(found)


MISSING_SLI = "MON244"
"""An SLO without a Prometheus SLI source, on a target that renders Prometheus rules."""


def missing_sli(slo: Slo, level: Level) -> Diagnostic:
    """MON244 at `level`: the SLO's SLI has no Prometheus source, so no rules are rendered for it."""
    return Diagnostic(
        MISSING_SLI,
        f"SLO {slo.name!r} has no Prometheus source for its SLI; no rules for it",
        slo.origin,
        "add a `prometheus:` source, or select this service out of the target",
        level,
    )


def render_slo_groups(
    service: Service,
    slo: Slo,
    *,
    diagnostics: Diagnostics | None = None,
    level: Level = Level.ERROR,
) -> list[dict[str, Any]]:
    """The rule groups of one SLO; [] (and MON244 at `level` in `diagnostics`) when its SLI has no Prometheus source."""
    if not has_prometheus_sli(slo):
        if diagnostics is None:
            raise ValueError(f"SLO {slo.name!r} has no Prometheus SLI source")
        diagnostics.add(missing_sli(slo, level))
        return []
    sel, base = _recorded_selector(service, slo), windows(slo)[0]
    rules = _recordings(slo, recording_labels(service, slo), sel)
    rules += [_burn_alert(service, slo, tier, sel, base) for tier in slo.tiers]
    if slo.no_data_seconds is not None and slo.tiers:
        rules.append(_no_data_alert(service, slo))
    return [{"name": slo_group_name(service, slo), "rules": rules}]


def _recorded_selector(service: Service, slo: Slo) -> str:
    """`{service="…",slo="…"}`: the SLO's own series among the recordings (identity label names as configured)."""
    identity = service.identity
    pairs = ((identity.service, service.name), (identity.slo, slo.name))
    return "{" + ",".join(f"{k}={quote(v)}" for k, v in pairs) + "}"


def burn_alert_rule(service: Service, slo: Slo, tier: BurnTier) -> Rule:
    """The burn-rate alert rule of one tier, exactly as the SLO's rule group holds it (it reads the group's
    recordings): for a backend that evaluates PromQL over the same series, such as Managed Prometheus."""
    return _burn_alert(service, slo, tier, _recorded_selector(service, slo), windows(slo)[0])


def no_data_rule(service: Service, slo: Slo) -> Rule:
    """The no-data alert rule of an SLO that asks for one, exactly as its rule group holds it."""
    return _no_data_alert(service, slo)


def _recordings(slo: Slo, ids: Mapping[str, str], sel: str) -> list[Rule]:
    """The SLI recordings per window, then the objective, budget and burn-rate series."""
    base, others = windows(slo)
    b = format_duration(base)
    errors, events = sli_rates(slo, b)
    rules: list[Rule] = [
        {"record": names.events_rate(b), "expr": events},
        {"record": names.errors_rate(b), "expr": errors},
        {"record": names.error_ratio(b), "expr": f"{names.errors_rate(b)}{sel} / {names.events_rate(b)}{sel}"},
    ]
    for seconds in others:
        w = format_duration(seconds)
        if seconds <= DIRECT_MAX_SECONDS:
            err_w, ev_w = sli_rates(slo, w)
            expr = f"({err_w})\n/\n{ev_w}"
        else:
            expr = (
                f"sum_over_time({names.errors_rate(b)}{sel}[{w}])\n/\nsum_over_time({names.events_rate(b)}{sel}[{w}])"
            )
        rules.append({"record": names.error_ratio(w), "expr": expr})
    budget = format_decimal(slo.error_budget)
    period = format_duration(slo.period_seconds)
    rules += [
        {"record": names.OBJECTIVE, "expr": f"vector({format_decimal(slo.objective / 100)})"},
        {"record": names.ERROR_BUDGET, "expr": f"vector({budget})"},
        {"record": names.BURN_RATE_CURRENT, "expr": f"{names.error_ratio(b)}{sel} / {budget}"},
        {"record": names.BURN_RATE_PERIOD, "expr": f"{names.error_ratio(period)}{sel} / {budget}"},
        {"record": names.BUDGET_REMAINING, "expr": f"1 - {names.error_ratio(period)}{sel} / {budget}"},
    ]
    return [{**rule, "labels": dict(ids)} for rule in rules]


def alert_labels(service: Service, slo: Slo, severity: str) -> dict[str, str]:
    """Labels every SLO alert carries: service and SLO labels, then service/team/slo/severity."""
    return slo_alert_labels(service, slo, severity)


def _burn_alert(service: Service, slo: Slo, tier: BurnTier, sel: str, base: int) -> Rule:
    expr = _burn_expr(tier.windows, tier.name == "page", slo.min_events, base).replace(_SELECTOR, sel)
    rule: Rule = {"alert": BURN_ALERT, "expr": expr}
    if tier.for_seconds:
        rule["for"] = format_duration(tier.for_seconds)
    rule["labels"] = burn_alert_labels(service, slo, tier)
    rule["annotations"] = burn_annotations(service, slo, tier)
    return rule


_SELECTOR = "\x00selector\x00"
"""Where the SLO's own selector goes in a cached burn-rate expression."""


@functools.lru_cache(maxsize=1024)  # pure; a thousand SLOs share a few tiers
def _burn_expr(pairs: tuple[BurnWindowPair, ...], page: bool, min_events: Decimal | None, base: int) -> str:
    """A burn-rate alert's expression, with `_SELECTOR` where the SLO's selector goes."""
    b = format_duration(base)
    sel = _SELECTOR
    clauses = []
    for pair in pairs:
        t = format_decimal(pair.threshold)
        long_w, short_w = format_duration(pair.long_seconds), format_duration(pair.short_seconds)
        lines = [f"{names.error_ratio(long_w)}{sel} > {t}", f"{names.error_ratio(short_w)}{sel} > {t}"]
        if min_events is not None and page:
            events = (
                f"{names.events_rate(b)}{sel}"
                if pair.short_seconds == base
                else f"avg_over_time({names.events_rate(b)}{sel}[{short_w}])"
            )
            lines.append(f"{events} * {pair.short_seconds} >= {format_decimal(min_events)}")
        clauses.append("(\n  " + "\n  and\n  ".join(lines) + "\n)")
    return "\nor\n".join(clauses)


def _group_suffix(slo: Slo) -> str:
    return "".join(f" {g}={{{{ $labels.{g} }}}}" for g in slo.group_by)


@functools.lru_cache(maxsize=1024)  # pure; a thousand SLOs share a few tiers
def _pair_texts(pairs: tuple[BurnWindowPair, ...], period: str) -> tuple[str, str, str, str]:
    """A tier's window pairs in words: (why it fires, burn rates, windows, budget consumed)."""
    parts, rates, wins, consumed = [], [], [], []
    for pair in pairs:
        long_w, short_w = format_duration(pair.long_seconds), format_duration(pair.short_seconds)
        pct = format_decimal(pair.budget_fraction * 100)
        factor = format_decimal(pair.factor)
        parts.append(
            f"error ratio above {format_decimal(pair.threshold * 100)}% over both {long_w} and "
            f"{short_w} (burn rate {factor}x: {pct}% of the {period} error budget spent in {long_w})"
        )
        rates.append(f"{factor}x")
        wins.append(f"{long_w}/{short_w}")
        consumed.append(f"{pct}% in {long_w}")
    return "; or ".join(parts), ", ".join(rates), ", ".join(wins), ", ".join(consumed)


def burn_annotations(service: Service, slo: Slo, tier: BurnTier) -> dict[str, str]:
    """Summary, description, burn rate, windows, budget consumed and runbook of a burn-rate alert."""
    period = format_duration(slo.period_seconds)
    why, rates, wins, consumed = _pair_texts(tier.windows, period)
    annotations = {
        "summary": f"{service.name} {slo.name}{_group_suffix(slo)}: error budget burning too fast ({tier.name})",
        "description": f"SLO {slo.name} of {service.name} (objective {format_decimal(slo.objective)}% over {period}, "
        f"error budget {format_decimal(slo.error_budget * 100)}%) fires its {tier.name} tier on {why}.",
        "burn_rate": rates,
        "windows": wins,
        "budget_consumed": consumed,
    }
    if service.runbook:
        annotations["runbook_url"] = service.runbook
    if service.tracing is not None:
        window = max(pair.long_seconds for pair in tier.windows)
        annotations["trace_url"] = trace_url(service.tracing, service.name, window)
    return annotations


def no_data_severity(slo: Slo) -> str:
    """The no-data alert's severity: the least urgent tier's (ticket when it exists)."""
    return slo.tiers[-1].severity


def _no_data_alert(service: Service, slo: Slo) -> Rule:
    assert slo.no_data_seconds is not None
    watched = source_selector(slo)
    shown = f" `{watched}`" if "{{" not in watched and "}}" not in watched else ""
    annotations = {
        "summary": f"{service.name} {slo.name}: no SLI data",
        "description": f"The source series{shown} of SLO {slo.name} returned nothing for "
        f"{format_duration(slo.no_data_seconds)}; its burn-rate alerts cannot fire without it.",
    }
    if service.runbook:
        annotations["runbook_url"] = service.runbook
    if service.tracing is not None:
        annotations["trace_url"] = trace_url(service.tracing, service.name, slo.no_data_seconds)
    return {
        "alert": NO_DATA_ALERT,
        "expr": f"absent({watched})",
        "for": format_duration(slo.no_data_seconds),
        "labels": alert_labels(service, slo, no_data_severity(slo)),
        "annotations": annotations,
    }
