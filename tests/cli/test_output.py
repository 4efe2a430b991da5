"""Diagnostics on stderr: every error in full; a warning repeated under one code said in full three times, then counted."""

from __future__ import annotations

import pytest

from monaco.cli.output import REPEATS_SHOWN, Output
from monaco.diagnostics import Diagnostic, Level, Span


def test_a_repeated_warning_is_shown_three_times_then_counted_and_errors_are_all_shown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """41 of one warning give 3 in full and one line naming the other 38 (first places listed); 5 errors, 5."""
    sources = {"a.yaml": [f"line {i}" for i in range(1, 60)]}
    warnings = [
        Diagnostic("MON712", f"tier {i}: no `for`", Span("a.yaml", i, 1), level=Level.INFO) for i in range(1, 42)
    ]
    errors = [Diagnostic("MON204", f"unknown severity {i}", Span("a.yaml", 50 + i, 1)) for i in range(1, 6)]
    Output().diagnostics([*warnings, *errors], sources)
    err = capsys.readouterr().err
    assert err.count("info[MON712]: tier") == REPEATS_SHOWN == 3
    assert "info[MON712]: 38 more like the above (a.yaml:4, a.yaml:5, a.yaml:6" in err and ", ...)" in err
    assert err.count("error[MON204]") == 5
    assert err.rstrip().endswith("5 error(s), 0 warning(s)")
