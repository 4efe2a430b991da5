"""`monaco backtest`: replay new or changed alerts and every burn tier over a past range on a live Prometheus."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monaco.cli.output import Output

if TYPE_CHECKING:  # the parser is built for every `monaco --help`: the backtest itself loads only when run
    from monaco import engine
    from monaco.backtest.run import Options, Outcome
    from monaco.diagnostics import Diagnostic

EXIT_OK, EXIT_ERROR = 0, 1
DEFAULT_MAX_QUERIES = 50
DEFAULT_QUERY_SECONDS = 30.0


def add_range_options(p: argparse.ArgumentParser) -> None:
    """The options that say which past to replay, and within which bounds (shared by plan and lint)."""
    p.add_argument("--range", default="7d", help="how far back to replay (default: 7d)")
    p.add_argument("--end", default="now", help="end of the range: now, now-3h, a Unix time or RFC 3339 (default: now)")
    p.add_argument("--step", help="evaluation step (default: 1m, raised to keep each query within 11,000 points)")
    p.add_argument("--url", help="query this Prometheus instead of each prometheus target's `url:`")
    p.add_argument(
        "--max-queries",
        type=int,
        default=DEFAULT_MAX_QUERIES,
        help=f"refuse a backtest needing more (default: {DEFAULT_MAX_QUERIES})",
    )
    p.add_argument(
        "--query-timeout", type=float, default=DEFAULT_QUERY_SECONDS, metavar="SECONDS", help="per query (default: 30)"
    )


def add_parser(sub: Any, subcommand: Any) -> None:
    """The `backtest` subcommand (`subcommand` makes a parser with summary and examples)."""
    p: argparse.ArgumentParser = subcommand(
        sub, "backtest", "replay new or changed alerts and burn tiers over a past range"
    )
    p.add_argument("--specs", type=Path, action="append", help="spec file or directory (default: specs/)")
    p.add_argument("--targets", type=Path, action="append", help="target file or directory (default: targets/)")
    p.add_argument("--target", action="append", default=[], help="only this target (repeatable)")
    add_range_options(p)
    p.add_argument("--all", action="store_true", help="replay unchanged alerts too")
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text")


def options(args: argparse.Namespace, everything: bool, paging_only: bool = False) -> Options | Diagnostic:
    """The run's options from the arguments; a bad range, step or end is MON461."""
    from monaco.backtest.codes import BAD_RANGE
    from monaco.backtest.run import Options
    from monaco.backtest.window import window
    from monaco.diagnostics import Diagnostic

    try:
        span = window(args.range, args.end, args.step, time.time())
    except ValueError as exc:
        return Diagnostic(BAD_RANGE, f"bad backtest range: {exc}", hint="e.g. --range 7d --step 1m --end now-1h")
    if args.max_queries < 1 or args.query_timeout <= 0:
        return Diagnostic(BAD_RANGE, "--max-queries and --query-timeout must be positive")
    targets = tuple(getattr(args, "target", []) or [])
    return Options(span, targets, args.url, args.max_queries, args.query_timeout, everything, paging_only)


def run(
    session: engine.Session, args: argparse.Namespace, out: Output, everything: bool = False, paging_only: bool = False
) -> Outcome:
    """Run the backtest the arguments describe (`everything`: unchanged rules too; `paging_only`: only paging
    severities); progress lines on stderr."""
    from monaco.backtest.run import Outcome, backtest
    from monaco.diagnostics import Diagnostic

    chosen = options(args, everything, paging_only)
    if isinstance(chosen, Diagnostic):
        return Outcome(None, [chosen])
    if chosen.window.raised_from is not None:
        out.info(f"backtest: step raised to {int(chosen.window.step)}s to stay within 11,000 points per query")
    return backtest(session, chosen, out.info)


def backtest_command(args: argparse.Namespace, out: Output) -> int:
    """Load the workspace, replay, print the table; 1 when the run or any query failed."""
    from monaco.backtest import report as views
    from monaco.cli.commands import loaded_session

    session = loaded_session(args, out)
    if session is None:
        return EXIT_ERROR
    outcome = run(session, args, out, args.all)
    if outcome.diagnostics:
        out.diagnostics(outcome.diagnostics, session.workspace.sources)
    if outcome.report is not None:
        render = {"json": views.as_json, "markdown": views.markdown}.get(args.format, views.text)
        out.result(render(outcome.report))
    return EXIT_OK if outcome.ok else EXIT_ERROR


def markdown_section(session: engine.Session, args: argparse.Namespace, out: Output, budget: int) -> str:
    """The backtest as a Markdown section of at most `budget` characters; when it fails, a line saying why."""
    from monaco.backtest import report as views

    outcome = run(session, args, out)
    if outcome.diagnostics:
        out.diagnostics(outcome.diagnostics, session.workspace.sources)
    if outcome.report is None:
        codes = ", ".join(sorted({d.code for d in outcome.diagnostics}))
        return f"\n### Backtest\n\nNot run ({codes}): see the job's log.\n"
    section = views.markdown(outcome.report)
    if len(section) <= budget:
        return section
    kept = section[: budget - 80].rsplit("\n", 1)[0]
    return kept + "\n\n(the backtest table is cut here; `monaco backtest` prints it whole)\n"
