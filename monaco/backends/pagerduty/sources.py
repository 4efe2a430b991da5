"""The pagerduty family: no signal sources (PagerDuty is where alerts go).

PagerDuty reads no metric, so every source place refuses a `pagerduty:` key; a Team's `oncall:` reaches the
backend through the IR (`Service.oncall`).
"""

from __future__ import annotations

from monaco.spec.sources import SourceFamily

FAMILY = "pagerduty"

SOURCES = SourceFamily(FAMILY)
"""No source places."""
