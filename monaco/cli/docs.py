"""`monaco docs --out DIR`: write runbook pages per paging alert and postmortem templates per SLO, keeping existing ones."""

from __future__ import annotations

import argparse
from pathlib import Path

from monaco import engine
from monaco.cli.output import Output
from monaco.docs_pages.links import dashboard_links
from monaco.docs_pages.pages import render_pages
from monaco.docs_pages.writer import KEPT, write_pages

EXIT_OK, EXIT_ERROR = 0, 1


def docs(args: argparse.Namespace, out: Output) -> int:
    """Load the workspace, render every page, create the missing ones under --out; one line per page (written/kept)."""
    specs: list[Path] = args.specs or [Path("specs")]
    targets: list[Path] = args.targets or [Path("targets")]
    missing = [p for p in [*specs, *targets] if not p.exists() and (args.targets or p != Path("targets"))]
    if missing:
        out.error(f"no such file or directory: {', '.join(map(str, missing))}")
        return EXIT_ERROR
    session = engine.load(specs, [t for t in targets if t.exists()])
    if session.diagnostics.has_errors or session.model is None:
        out.diagnostics(session.diagnostics.sorted(), session.workspace.sources)
        out.error("the workspace does not load; fix the errors above (monaco validate), then write the docs")
        return EXIT_ERROR
    pages = render_pages(session.model, dashboard_links(session.targets))
    try:
        outcomes = write_pages(args.out, pages)
    except OSError as problem:
        out.error(f"cannot write under {args.out}: {problem}")
        return EXIT_ERROR
    out.result("\n".join(f"{o.status:<8} {o.path}" for o in outcomes) if outcomes else "no paging alert and no SLO")
    kept = sum(1 for o in outcomes if o.status == KEPT)
    out.info(f"{len(outcomes) - kept} pages written, {kept} kept under {args.out}.")
    return EXIT_OK
