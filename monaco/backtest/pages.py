"""Pages per week per team, estimated from a backtest: the firings of its paging rules, scaled to a week.

Each firing of each label set of a rule whose severity pages counts as one page (Alertmanager's
grouping may fold several into one notification, so this is an upper estimate), over the replayed
range and scaled to seven days. Rules whose query failed are left out and named.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from monaco.backtest.report import BacktestReport

WEEK_SECONDS = 7 * 86_400


@dataclass(slots=True)
class TeamPages:
    """One team's estimate: firings of its paging rules over the range, and per rule."""

    team: str
    range_seconds: float
    firings: int = 0
    by_rule: dict[str, int] = field(default_factory=dict)

    @property
    def per_week(self) -> float:
        """The firings scaled to seven days."""
        return self.firings * WEEK_SECONDS / self.range_seconds if self.range_seconds else 0.0


def team_pages(report: BacktestReport, paging: Collection[str]) -> dict[str, TeamPages]:
    """Per team, the estimate from every answered row whose severity is in `paging`."""
    found: dict[str, TeamPages] = {}
    for row in report.rows:
        c = row.candidate
        if c.severity not in paging or row.proposed is None:
            continue
        pages = found.setdefault(c.team, TeamPages(c.team, report.window.seconds))
        pages.firings += row.proposed.replay.count
        if row.proposed.replay.count:
            pages.by_rule[c.key] = pages.by_rule.get(c.key, 0) + row.proposed.replay.count
    return found
