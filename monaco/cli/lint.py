"""`monaco lint`: run the lint rules on the workspace; text, JSON or GitHub annotations; exit 1 on an error."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from monaco import engine
from monaco.cli.output import Output
from monaco.diagnostics import Level
from monaco.lint import formats
from monaco.lint.runner import lint as run_rules

EXIT_OK, EXIT_ERROR = 0, 1


def lint(args: argparse.Namespace, out: Output) -> int:
    """Load the workspace, run every rule that Settings does not turn off, print; 1 when a finding is an error."""
    specs: list[Path] = args.specs or [Path("specs")]
    targets: list[Path] = args.targets or [Path("targets")]
    missing = [p for p in [*specs, *targets] if not p.exists() and (args.targets or p != Path("targets"))]
    if missing:
        out.error(f"no such file or directory: {', '.join(map(str, missing))}")
        return EXIT_ERROR
    session = engine.load(specs, [t for t in targets if t.exists()])
    if session.diagnostics.has_errors or session.model is None:
        out.diagnostics(session.diagnostics.sorted(), session.workspace.sources)
        out.error("the workspace does not load; fix the errors above (monaco validate), then lint")
        return EXIT_ERROR
    pages, failed = _team_pages(session, args, out)
    findings = run_rules(session.workspace, session.model, pages)
    if args.format == "json":
        out.result(formats.as_json(findings))
    elif args.format == "github":
        out.result_chunks([formats.github(findings)])
    else:
        out.result(formats.text(findings, session.workspace.sources, out.colour))
    return EXIT_ERROR if failed or any(f.level is Level.ERROR for f in findings) else EXIT_OK


def _team_pages(session: engine.Session, args: argparse.Namespace, out: Output) -> tuple[dict[str, Any] | None, bool]:
    """With `--backtest`, pages per team from a backtest of every rule (and whether it failed); else a note, once."""
    from monaco.backtest.pages import team_pages
    from monaco.cli.backtest import run
    from monaco.lint.pages_budget import RULE

    assert session.model is not None
    if not args.backtest:
        settings = session.workspace.settings[0].spec.lint if session.workspace.settings else None
        if settings is None or settings.levels.get(RULE.code) != "off":
            out.info(f"lint: {RULE.code} (pages per week) not run: it needs live history; add --backtest")
        return None, False
    outcome = run(session, args, out, everything=True, paging_only=True)
    if outcome.diagnostics:
        out.diagnostics(outcome.diagnostics, session.workspace.sources)
    if outcome.report is None:
        return None, True
    return dict(team_pages(outcome.report, session.model.paging_severities)), not outcome.ok
