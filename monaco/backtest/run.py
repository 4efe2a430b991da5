"""Running a backtest: pick the Prometheus targets, find the rules to replay, query within bounds, replay.

Bounded: the number of queries is counted before the first is sent, and more than `max_queries` is
refused (MON462) instead of run; each query has its own timeout; the first query that gets no answer
at all (MON460) stops the run, since every later one would wait as long; a query Prometheus rejects
(MON463) fails only its row. Codes: MON460-MON465 (`monaco.backtest.codes`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from monaco import engine
from monaco.backends import get_backend
from monaco.backends.base import Target
from monaco.backtest import codes
from monaco.backtest.candidates import CHANGED, Candidate, Version, candidates
from monaco.backtest.client import QueryFailed, RangeQuery, Unreachable, query_range
from monaco.backtest.evaluate import grid, replay
from monaco.backtest.report import BacktestReport, Figures, Row
from monaco.backtest.window import Window
from monaco.diagnostics import Diagnostic

PROMETHEUS = "prometheus"
DEFAULT_MAX_QUERIES = 50
DEFAULT_QUERY_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class Options:
    """What to replay and within which bounds."""

    window: Window
    targets: tuple[str, ...] = ()
    url: str | None = None
    """Query this Prometheus instead of each target's `url`."""
    max_queries: int = DEFAULT_MAX_QUERIES
    query_seconds: float = DEFAULT_QUERY_SECONDS
    everything: bool = False
    """Replay unchanged alerts too (the pages-per-week lint needs every paging alert)."""
    paging_only: bool = False
    """Replay only rules whose severity pages (all the pages-per-week lint reads)."""


@dataclass(slots=True)
class Outcome:
    """The report (None when the run was refused before querying) and what went wrong."""

    report: BacktestReport | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the run completed and every query answered."""
        return self.report is not None and not self.diagnostics


def prometheus_url(target: Target, override: str | None) -> str | None:
    """The URL to query for a target: `--url`, else the target's `url:` config."""
    configured = getattr(target.config, "url", None)
    return override or (str(configured) if configured is not None else None)


def _chosen(session: engine.Session, options: Options) -> list[Target]:
    """The Prometheus targets to backtest: the named ones (all when none), those with a URL to query."""
    targets = engine.choose_targets(session, list(options.targets))
    return [t for t in targets if t.backend == PROMETHEUS and prometheus_url(t, options.url)]


def _no_prometheus(session: engine.Session) -> Diagnostic:
    kinds = sorted({t.backend for t in session.targets}) or ["none"]
    return Diagnostic(
        codes.NO_PROMETHEUS,
        f"no prometheus target with a live URL to backtest against (target kinds here: {', '.join(kinds)})",
        hint="set `url:` in a prometheus target's config (the server that holds the history), or pass --url",
    )


def plan_candidates(session: engine.Session, targets: list[Target], options: Options) -> list[Candidate]:
    """Every rule to replay on the targets: render (pure) beside the plan's live read."""
    assert session.model is not None
    found = []
    for target in targets:
        _, rendered = engine.render(session, target)
        live = get_backend(target.backend).read_live(target)
        found += candidates(target.name, session.model, rendered.resources, live.resources, options.everything)
    paging = session.model.paging_severities
    return [c for c in found if c.severity in paging] if options.paging_only else found


def backtest(session: engine.Session, options: Options, progress: Callable[[str], None]) -> Outcome:
    """Replay each candidate over the window on its target's Prometheus, within the bounds of `options`."""
    targets = _chosen(session, options)
    if session.diagnostics.has_errors:
        return Outcome(None, [d for d in session.diagnostics if d.level.value == "error"])
    if not targets:
        return Outcome(None, [_no_prometheus(session)])
    try:
        chosen = plan_candidates(session, targets, options)
    except OSError as exc:
        return Outcome(None, [Diagnostic(codes.LIVE_UNREADABLE, f"cannot read the live rules: {exc}")])
    urls = {t.name: prometheus_url(t, options.url) or "" for t in targets}
    needed = sum(2 if c.status == CHANGED else 1 for c in chosen)
    if needed > options.max_queries:
        return Outcome(None, [_too_many(needed, options.max_queries, len(chosen))])
    return _run(chosen, urls, options, progress)


def _too_many(needed: int, allowed: int, rules: int) -> Diagnostic:
    return Diagnostic(
        codes.TOO_MANY_QUERIES,
        f"the backtest needs {needed} queries for {rules} rules, more than --max-queries {allowed}; nothing was queried",
        hint="narrow it with --target, or raise --max-queries if the server can take the load",
    )


def _run(chosen: list[Candidate], urls: dict[str, str], options: Options, progress: Callable[[str], None]) -> Outcome:
    """Query and replay each candidate in turn; the first unanswered query stops the run."""
    report = BacktestReport(options.window)
    outcome = Outcome(report)
    for index, candidate in enumerate(chosen, 1):
        progress(f"backtest [{index}/{len(chosen)}] {candidate.target}: {candidate.key} ({candidate.status})")
        started = time.monotonic()
        try:
            row = _row(candidate, urls[candidate.target], options, report)
        except Unreachable as exc:
            outcome.diagnostics.append(_unreachable(candidate, urls[candidate.target], str(exc)))
            return outcome
        if row.error is not None:
            outcome.diagnostics.append(
                Diagnostic(codes.QUERY_FAILED, f"{candidate.target}: {candidate.key}: {row.error}", hint=_QUERY_HINT)
            )
        report.rows.append(row)
        progress(
            f"  {candidate.key}: {row.proposed.short() if row.proposed else 'failed'} ({time.monotonic() - started:.1f}s)"
        )
    return outcome


_QUERY_HINT = "check the expression with promtool, and --step/--range against the server's query limits"


def _unreachable(candidate: Candidate, url: str, why: str) -> Diagnostic:
    return Diagnostic(
        codes.UNREACHABLE,
        f"Prometheus at {url} (target {candidate.target}) did not answer: {why}; nothing further was queried",
        hint="check the target's `url:` (or --url) and that the server is up; --query-timeout bounds each wait",
    )


def _row(candidate: Candidate, url: str, options: Options, report: BacktestReport) -> Row:
    """The figures of the proposed version and, for a changed rule, of the live one."""
    try:
        proposed = _figures(candidate.proposed, url, options, report)
        current = None
        if candidate.status == CHANGED and candidate.current is not None:
            current = _figures(candidate.current, url, options, report)
    except QueryFailed as exc:
        return Row(candidate, error=str(exc))
    return Row(candidate, proposed, current)


def _figures(version: Version, url: str, options: Options, report: BacktestReport) -> Figures:
    w = options.window
    report.queries += 1
    series = query_range(url, RangeQuery(version.expr, w.start, w.end, w.step), options.query_seconds)
    times = grid(w.start, w.end, w.step)
    return Figures(replay(series, times, version.for_seconds, version.keep_firing_for_seconds))
