"""The `monaco drill` command: confirm, load the workspace, run one drill on a target, print its report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from monaco import engine
from monaco.cli.output import Output
from monaco.diagnostics import Diagnostic
from monaco.drill.codes import NOT_CONFIRMED
from monaco.drill.contract import DrillWait
from monaco.drill.report import report_json, report_text
from monaco.drill.run import run_drill

EXIT_OK, EXIT_ERROR = 0, 1


def _confirmed(args: argparse.Namespace, out: Output, target: str) -> bool:
    """True with `--yes`; at a terminal, when the person types yes; never otherwise (MON451)."""
    if args.yes:
        return True
    if not sys.stdin.isatty():
        out.error(
            f"{NOT_CONFIRMED}: refusing to drill {target} without --yes: stdin is not a terminal, so nobody can "
            "confirm that a synthetic alert may be sent through its live pipeline"
        )
        return False
    out.info(f'This sends a synthetic alert (drill="true") through {target}\'s live pipeline.')
    answer = input("Type yes to drill: ")
    return answer.strip().lower() == "yes"


def _session(args: argparse.Namespace, out: Output) -> engine.Session | None:
    """The loaded workspace, or None after printing why it cannot be used."""
    specs, targets = args.specs or [Path("specs")], args.targets or [Path("targets")]
    missing = [p for p in [*specs, *targets] if not p.exists()]
    if missing:
        out.error(f"no such file or directory: {', '.join(map(str, missing))}")
        return None
    session = engine.load(specs, targets)
    chosen = engine.choose_targets(session, [args.target]) if not session.diagnostics.has_errors else []
    if session.diagnostics.has_errors or not chosen:
        out.diagnostics(session.diagnostics.sorted(), session.workspace.sources)
        return None
    return session


def drill(args: argparse.Namespace, out: Output) -> int:
    """Send one drill alert through `--target` and report each receiver; exit 0 only if every one got it."""
    if not _confirmed(args, out, args.target):
        return EXIT_ERROR
    session = _session(args, out)
    if session is None:
        return EXIT_ERROR
    target = engine.choose_targets(session, [args.target])[0]
    run = run_drill(session, target, args.service, args.severity, DrillWait(args.timeout, args.interval))
    problems: list[Diagnostic] = run.result.diagnostics
    if problems:
        out.diagnostics(problems, session.workspace.sources)
    out.result(report_json(run) if args.format == "json" else report_text(run))
    return EXIT_OK if run.ok else EXIT_ERROR
