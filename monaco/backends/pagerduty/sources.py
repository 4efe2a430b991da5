"""The pagerduty family: no signal sources (PagerDuty is where alerts go), and the check that reads on-call.

PagerDuty reads no metric, so every source place refuses a `pagerduty:` key. The family's `check` hook runs
with the whole workspace on every load (validate, compile, plan, apply), before lowering; it records each
Team's `oncall:` with the positions of its parts in `ONCALL`, which render and read_live consult. That is
the one bridge from a Team document to this backend while the IR carries no on-call (see `declared.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from monaco.backends.pagerduty.declared import ONCALL, declarations
from monaco.diagnostics import Diagnostics
from monaco.spec.sources import SourceFamily

if TYPE_CHECKING:
    from monaco.spec.load import Workspace

FAMILY = "pagerduty"


def record_oncall(workspace: Workspace, diagnostics: Diagnostics) -> None:
    """Remember every Team's on-call and where each part was written (shape is the spec layer's to check)."""
    ONCALL.replace(declarations(workspace.teams))


SOURCES = SourceFamily(FAMILY, check=record_oncall)
"""No source places; the check hook records on-call declarations."""
