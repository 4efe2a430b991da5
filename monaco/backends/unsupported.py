"""One way to say "not expressible on this backend": a diagnostic whose level the target sets, by code.

Every backend's config model takes `levels: {MON701: error, MON704: info, ...}` (the `NotHereLevels`
mixin); a code it does not name keeps its registered level (`monaco.diagnostic_codes`). Backends
report what they cannot express, or express only approximately, through `not_here`, never by
dropping it silently.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from monaco.backends.base import Target
from monaco.diagnostic_codes import CODES
from monaco.diagnostics import Diagnostic, Level, Span

LevelName = Literal["error", "warning", "info"]


class NotHereLevels(BaseModel):
    """The `levels` field every backend config has: the level of each "not expressible here" code."""

    levels: dict[str, LevelName] = Field(
        default_factory=dict,
        description="Level of each diagnostic saying what this target cannot express, by code (e.g. MON701: error).",
    )

    @field_validator("levels")
    @classmethod
    def _known_codes(cls, value: dict[str, LevelName]) -> dict[str, LevelName]:
        unknown = sorted(code for code in value if code not in CODES)
        if unknown:
            raise ValueError(f"unknown diagnostic code(s) {', '.join(unknown)}; see docs/diagnostics.md")
        return value


def fold_deprecated_levels(data: Any, knobs: dict[str, str]) -> Any:
    """Read older per-backend level knobs (`{knob: code}`) in raw config `data` as entries of `levels`."""
    if not isinstance(data, dict) or not any(knob in data for knob in knobs):
        return data
    data = dict(data)
    levels = dict(data.get("levels") or {})
    for knob, code in knobs.items():
        if knob in data:
            value = data.pop(knob)
            levels.setdefault(code, value.value if isinstance(value, Level) else value)
    data["levels"] = levels
    return data


def level_of(target: Target, code: str) -> Level:
    """The level `target` gives `code`: its config's `levels`, else the code's registered level."""
    configured = getattr(target.config, "levels", {}).get(code)
    return Level(configured or CODES[code].level)


def not_here(target: Target, code: str, message: str, span: Span | None, hint: str | None = None) -> Diagnostic:
    """A diagnostic that `target` cannot express something, at the level the target sets for `code`."""
    return Diagnostic(code, f"target {target.name}: {message}", span, hint, level_of(target, code))
