"""`monaco lint`: run the lint rules on the workspace; text, JSON or GitHub annotations; exit 1 on an error."""

from __future__ import annotations

import argparse
from pathlib import Path

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
    findings = run_rules(session.workspace, session.model)
    if args.format == "json":
        out.result(formats.as_json(findings))
    elif args.format == "github":
        out.result_chunks([formats.github(findings)])
    else:
        out.result(formats.text(findings, session.workspace.sources, out.colour))
    return EXIT_ERROR if any(f.level is Level.ERROR for f in findings) else EXIT_OK
