"""Orchestration: load -> check -> lower -> render -> read_live -> diff -> apply, with diagnostics throughout.

`session` loads a workspace and lowers it; `plans` renders, plans and applies its targets.
"""

from monaco.engine.plans import apply, check, load_plan_file, merged_diff, plan, render, stale_resources
from monaco.engine.session import SECRET_CODES, Session, choose_targets, family_checks, load, load_checked

__all__ = [
    "SECRET_CODES",
    "Session",
    "apply",
    "check",
    "choose_targets",
    "family_checks",
    "load",
    "load_checked",
    "load_plan_file",
    "merged_diff",
    "plan",
    "render",
    "stale_resources",
]
