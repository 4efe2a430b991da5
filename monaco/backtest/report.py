"""A backtest's results: per alert, proposed beside current figures, as a text table, JSON and Markdown."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from monaco.backtest.candidates import Candidate
from monaco.backtest.evaluate import Labels, Replay
from monaco.backtest.window import Window, iso
from monaco.spec.types import format_duration

LABEL_SETS_SHOWN = 5
"""Label sets listed per alert in the text and Markdown tables (JSON has them all)."""


@dataclass(frozen=True, slots=True)
class Figures:
    """How often and how long one version of a rule would have fired."""

    replay: Replay

    def as_json(self) -> dict[str, Any]:
        """Counts and seconds, then per label set its firings (with times)."""
        return {
            "firings": self.replay.count,
            "firing_seconds": self.replay.seconds,
            "longest_seconds": self.replay.longest,
            "label_sets": [
                {
                    "labels": dict(labels),
                    "firings": [
                        {"fired_at": iso(f.fired_at), "resolved_at": iso(f.resolved_at) if f.resolved_at else None}
                        | {"seconds": f.seconds}
                        for f in firings
                    ],
                }
                for labels, firings in self.replay.firings.items()
            ],
        }

    def short(self) -> str:
        """`2 x, 50m (longest 35m)`, or `never`."""
        if not self.replay.count:
            return "never"
        return f"{self.replay.count} x, {_span(self.replay.seconds)} (longest {_span(self.replay.longest)})"


@dataclass(frozen=True, slots=True)
class Row:
    """One replayed rule: the candidate, its figures, the live version's (when changed), or why it failed."""

    candidate: Candidate
    proposed: Figures | None = None
    current: Figures | None = None
    error: str | None = None


@dataclass(slots=True)
class BacktestReport:
    """Every row of a backtest, the range, and how many queries it took."""

    window: Window
    rows: list[Row] = field(default_factory=list)
    queries: int = 0


def _span(seconds: float) -> str:
    return format_duration(round(seconds))


def _labels(labels: Labels) -> str:
    return "{" + ", ".join(f'{k}="{v}"' for k, v in labels) + "}"


def _current(row: Row) -> str:
    if row.current is not None:
        return row.current.short()
    return "-" if row.candidate.current is None else "(same)"


def _cells(row: Row) -> list[str]:
    c = row.candidate
    proposed = row.proposed.short() if row.proposed else f"failed: {row.error}"
    return [c.target, c.key, c.status, proposed, _current(row)]


def text(report: BacktestReport) -> str:
    """A table: target, alert, status, would fire, currently fires; each alert's label sets below it."""
    head = ["target", "alert", "status", "would fire", "live version"]
    rows = [_cells(r) for r in report.rows]
    widths = [max(len(x) for x in column) for column in zip(head, *rows, strict=False)]
    lines = [f"Backtest {report.window.describe()}, {report.queries} queries", ""]
    lines.append("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip())
    for row, cells in zip(report.rows, rows, strict=True):
        lines.append("  ".join(x.ljust(w) for x, w in zip(cells, widths, strict=True)).rstrip())
        firings = row.proposed.replay.firings if row.proposed else {}
        for labels, fired in list(firings.items())[:LABEL_SETS_SHOWN]:
            lines.append(f"    {_labels(labels)}: {len(fired)} x, {_span(sum(f.seconds for f in fired))}")
        if len(firings) > LABEL_SETS_SHOWN:
            lines.append(f"    ... {len(firings) - LABEL_SETS_SHOWN} more label sets (--format json lists them)")
    if not report.rows:
        lines.append("(no new or changed alert and no burn tier to replay)")
    return "\n".join(lines) + "\n"


def as_json(report: BacktestReport) -> str:
    """`{"range": {...}, "queries": N, "alerts": [{target, service, alert, ..., proposed, current}]}`."""
    w = report.window
    alerts = []
    for row in report.rows:
        c = row.candidate
        alerts.append(
            {
                "target": c.target,
                "service": c.service,
                "team": c.team,
                "alert": c.alert,
                "severity": c.severity,
                "tier": c.tier or None,
                "status": c.status,
                "for_seconds": c.proposed.for_seconds,
                "keep_firing_for_seconds": c.proposed.keep_firing_for_seconds,
                "proposed": row.proposed.as_json() if row.proposed else None,
                "current": row.current.as_json() if row.current else None,
                "error": row.error,
            }
        )
    span = {"start": iso(w.start), "end": iso(w.end), "step_seconds": w.step, "seconds": w.seconds}
    return json.dumps({"range": span, "queries": report.queries, "alerts": alerts}, indent=2) + "\n"


def markdown(report: BacktestReport) -> str:
    """The table as a Markdown section for a pull-request comment."""
    lines = ["", "### Backtest", "", f"Replayed over {report.window.describe()}.", ""]
    lines += ["| target | alert | status | would fire | live version |", "| --- | --- | --- | --- | --- |"]
    for row in report.rows:
        lines.append("| " + " | ".join(x.replace("|", "\\|") for x in _cells(row)) + " |")
    if not report.rows:
        lines.append("| | (nothing to replay) | | | |")
    return "\n".join(lines) + "\n"
