"""The backtest's diagnostic codes (MON460-MON469), used by every backtest module."""

from __future__ import annotations

UNREACHABLE = "MON460"
BAD_RANGE = "MON461"
TOO_MANY_QUERIES = "MON462"
QUERY_FAILED = "MON463"
NO_PROMETHEUS = "MON464"
LIVE_UNREADABLE = "MON465"
