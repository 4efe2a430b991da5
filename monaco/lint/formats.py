"""Lint output: text (the project's diagnostic format), JSON, and GitHub Actions workflow-command annotations."""

from __future__ import annotations

import json
import os

from monaco.diagnostics import Diagnostic, Level, render
from monaco.lint.registry import rule

GITHUB_COMMAND = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}
"""GitHub's workflow commands: `::error`, `::warning`, `::notice` (docs.github.com, workflow commands)."""


def text(findings: list[Diagnostic], sources: dict[str, list[str]], colour: bool = False) -> str:
    """Each finding as `file:line:col: level[CODE]: message`, its source line, a caret and the hint; a count."""
    blocks = [render(f, sources, colour) for f in findings]
    counts = [sum(f.level is level for f in findings) for level in (Level.ERROR, Level.WARNING, Level.INFO)]
    summary = "{} error(s), {} warning(s), {} note(s)".format(*counts) if findings else "no findings"
    return "\n\n".join([*blocks, f"lint: {summary}"]) + "\n"


def as_json(findings: list[Diagnostic]) -> str:
    """A JSON document: `{"findings": [{code, level, rule, message, hint, file, line, col}]}`."""
    records = []
    for f in findings:
        known = rule(f.code)
        records.append(
            {
                "code": f.code,
                "level": f.level.value,
                "rule": known.purpose if known else None,
                "message": f.message,
                "hint": f.hint,
                "file": f.span.file if f.span else None,
                "line": f.span.line if f.span else None,
                "col": f.span.col if f.span else None,
            }
        )
    return json.dumps({"findings": records}, indent=2) + "\n"


def _escape_data(value: str) -> str:
    """A workflow command's message: %, CR and LF escaped (actions/toolkit `escapeData`)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    """A workflow command's property value: also `:` and `,` escaped (actions/toolkit `escapeProperty`)."""
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(findings: list[Diagnostic], root: str | None = None) -> str:
    """One `::warning file=…,line=…,col=…,title=MON11xx::message` line per finding.

    Paths are relative to `root`, else to `$GITHUB_WORKSPACE` (the checkout, which GitHub resolves `file=`
    against), else to the working directory."""
    base = root or os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
    lines = []
    for f in findings:
        props = []
        if f.span is not None:
            path = os.path.relpath(os.path.abspath(f.span.file), base)
            props += [f"file={_escape_property(path)}", f"line={f.span.line}", f"col={f.span.col}"]
        props.append(f"title={_escape_property(f.code)}")
        message = f.message + (f" (hint: {f.hint})" if f.hint else "")
        lines.append(f"::{GITHUB_COMMAND[f.level]} {','.join(props)}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines)
