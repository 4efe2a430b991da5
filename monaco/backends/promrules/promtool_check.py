"""promtool as the arbiter for PromQL the in-process parser refuses: one `promtool check rules` per batch.

The in-process parser follows Prometheus 3.x; where it refuses an expression, the `promtool` on PATH
decides, provided its release is the one the workspace targets. Every expression goes into one
temporary rule file; promtool's `could not parse expression: L:C: parse error: ...` lines come back
as (message, offset in the expression). When promtool is missing or of another release, nothing is
decided here and the in-process verdict stands.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from monaco.backends.promrules.promql_versions import Version

_TIMEOUT_SECONDS = 60
_VERSION = re.compile(r"promtool, version (\d+)\.(\d+)\.")
_FAILURE = re.compile(r'rule (\d+), "q\d+": could not parse expression: (?:(\d+):(\d+): )?(?:parse error: )?(.*)$')


@dataclass(frozen=True, slots=True)
class Verdict:
    """promtool's answer for one expression: accepted, or refused with a message and an offset."""

    accepted: bool
    message: str = ""
    offset: int | None = None


@functools.cache
def _promtool(path: str | None) -> tuple[str, Version] | None:
    """The promtool executable and its release, or None when there is none."""
    executable = shutil.which("promtool", path=path)
    if executable is None:
        return None
    try:
        out = subprocess.run(
            [executable, "--version"], capture_output=True, text=True, timeout=_TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = _VERSION.search(out.stdout + out.stderr)
    return (executable, (int(match.group(1)), int(match.group(2)))) if match else None


def arbiter_for(version: Version, path: str | None = None) -> str | None:
    """The promtool that speaks for `version` (same major.minor), or None."""
    found = _promtool(path)
    return found[0] if found is not None and found[1] == version else None


_VERDICTS: dict[tuple[str, str], Verdict] = {}
"""Verdicts already given in this process, by (promtool, expression): each expression is run once."""
_ACCEPTED: set[str] = set()


def accepted(expression: str) -> bool:
    """True when a promtool of this process accepted `expression` (which the in-process parser refuses)."""
    return expression in _ACCEPTED


def check_expressions(promtool: str, expressions: list[str]) -> dict[str, Verdict] | None:
    """promtool's verdict on each expression (at most one run), or None when promtool could not be run."""
    wanted = list(dict.fromkeys(expressions))
    unknown = [e for e in wanted if (promtool, e) not in _VERDICTS]
    if unknown:
        verdicts = _run(promtool, unknown)
        if verdicts is None:
            return None
        _VERDICTS.update(((promtool, e), v) for e, v in verdicts.items())
        _ACCEPTED.update(e for e, v in verdicts.items() if v.accepted)
    return {e: _VERDICTS[(promtool, e)] for e in wanted}


def _run(promtool: str, unique: list[str]) -> dict[str, Verdict] | None:
    """One `promtool check rules` over `unique` expressions."""
    rules = ",\n".join(f"{{record: q{i}, expr: {json.dumps(e)}}}" for i, e in enumerate(unique))
    with tempfile.TemporaryDirectory(prefix="monaco-promql-") as tmp:
        path = Path(tmp) / "rules.yml"
        path.write_text(f"groups:\n- name: monaco-validate\n  rules: [\n{rules}]\n", encoding="utf-8")
        try:
            out = subprocess.run(
                [promtool, "check", "rules", str(path)],
                capture_output=True,
                text=True,
                timeout=_TIMEOUT_SECONDS,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
    verdicts = {e: Verdict(True) for e in unique}
    for line in (out.stdout + out.stderr).splitlines():
        match = _FAILURE.search(line)
        if match is None:
            continue
        index = int(match.group(1)) - 1
        if 0 <= index < len(unique):
            expr = unique[index]
            offset = _offset(expr, match.group(2), match.group(3))
            verdicts[expr] = Verdict(False, match.group(4), offset)
    if out.returncode != 0 and all(v.accepted for v in verdicts.values()):
        return None  # promtool failed for a reason this module cannot read: decide nothing
    return verdicts


def _offset(expr: str, line: str | None, col: str | None) -> int | None:
    """The character offset in `expr` of promtool's 1-based line and byte column."""
    if line is None or col is None:
        return None
    data = expr.encode("utf-8")
    start = 0
    for _ in range(int(line) - 1):
        start = data.find(b"\n", start) + 1
        if start == 0:
            return None
    byte = start + int(col) - 1
    if byte > len(data):
        return None
    return len(data[:byte].decode("utf-8", errors="ignore"))
