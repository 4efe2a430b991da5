"""The `monaco` command: argument parsing, output and exit codes; the work is done by the engine."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from monaco import __version__
from monaco.cli.backtest import add_range_options
from monaco.cli.output import Output

EXIT_OK, EXIT_ERROR, EXIT_CHANGES = 0, 1, 2
YOUNG_OBJECTS_PER_COLLECTION = 1_000_000
"""Allocations between cyclic-GC runs. A run builds millions of small acyclic objects (YAML nodes, models,
rules) that all live to the end; at CPython's default of 700 the collector rescans them again and again and
takes ~40% of a 1,000-service validate, and at 100,000 it still took 0.2-0.3 s of a validate or a plan (each
young object examined once). Memory is unchanged: almost nothing here is cyclic, and what is (an HTTP client's
objects during a long apply) is still collected, every million allocations."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error exits 1: exit code 2 means "changes" to CI scripts running plan."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


EXAMPLES: dict[str, str] = {
    "validate": "monaco validate                      # specs/ and targets/\n"
    "  monaco validate specs/checkout.yaml  # one file\n"
    "  monaco validate --specs specs --targets targets/prod",
    "compile": "monaco compile --out out/compiled\n  monaco compile --target local-prometheus --out /tmp/rules",
    "plan": "monaco plan\n  monaco plan --format markdown > plan.md      # a PR comment, within --markdown-budget\n"
    "  monaco plan --out plan.json --detailed-exitcode  # exit 2 when there are changes",
    "apply": "monaco apply plan.json                 # exactly the saved plan\n"
    "  monaco apply --auto-approve --lock-timeout 5m",
    "routes": "monaco routes                           # every alert of the workspace, on every target\n"
    "  monaco routes --service checkout --format json\n"
    "  monaco routes severity=critical team=payments  # a label set",
    "schema": "monaco schema > monaco/schema/monaco-v1.json\n  monaco schema --kind Service",
    "test": "monaco test\n  monaco test --specs specs/checkout.yaml --promtool /usr/bin/promtool",
    "drill": "monaco drill --target prod-alertmanager --service checkout --yes\n"
    "  monaco drill --target prod-cloudwatch --severity low --timeout 2m --format json --yes",
    "lint": "monaco lint                              # specs/ and targets/\n"
    "  monaco lint --specs specs/checkout.yaml --format json\n"
    "  monaco lint --format github              # annotations on a pull request's changed lines\n"
    "  monaco lint --backtest --range 28d       # also the pages-per-week budget, from live history",
    "backtest": "monaco backtest --end now-1h --range 7d    # new or changed alerts, every burn tier\n"
    "  monaco backtest --target prod-prometheus --all --format json\n"
    "  monaco plan --format markdown --backtest   # the table in the PR comment",
    "silence": 'monaco silence create --service checkout --duration 2h --comment "db upgrade" --yes\n'
    "  monaco silence list --target prod-alertmanager --format json\n"
    "  monaco silence expire 5f0a...  # or: monaco silence expire --service checkout",
    "docs": "monaco docs --out docs/oncall          # runbooks and postmortem templates; existing pages are kept\n"
    "  monaco docs --specs specs/checkout.yaml --out /tmp/pages",
}
"""One example block per subcommand, shown at the end of its `--help`."""


def _subcommand(sub: Any, name: str, summary: str) -> argparse.ArgumentParser:
    """A subcommand whose `--help` says what it does and ends with examples."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog="examples:\n  " + EXAMPLES[name],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def _seconds(text: str) -> float:
    """A `--lock-timeout` value: a duration such as 30s or 5m, or a number of seconds."""
    from monaco.spec.types import parse_duration

    try:
        return float(text) if text.replace(".", "", 1).isdigit() else float(parse_duration(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration; write e.g. 30s or 5m") from None


def _workspace(p: argparse.ArgumentParser, specs_positional: bool = False) -> None:
    """The `--specs`/`--targets` options (or positional spec paths) every workspace command takes."""
    if specs_positional:
        p.add_argument("paths", nargs="*", type=Path, help="spec files or directories (default: specs/ and targets/)")
    p.add_argument("--specs", type=Path, action="append", help="spec file or directory (default: specs/)")
    p.add_argument("--targets", type=Path, action="append", help="target file or directory (default: targets/)")


def _targets_option(p: argparse.ArgumentParser) -> None:
    """`--target NAME`, repeatable."""
    p.add_argument("--target", action="append", default=[], help="only this target (repeatable)")


def _add_plan(sub: Any) -> None:
    """The `plan` subcommand."""
    p = _subcommand(sub, "plan", "show what apply would change on each target")
    _workspace(p)
    _targets_option(p)
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    p.add_argument("--compact", action="store_true", help="text plan: one line per changed resource")
    p.add_argument(
        "--markdown-budget",
        type=int,
        default=60_000,
        metavar="CHARS",
        help="largest Markdown plan, for a PR comment (default: 60000; GitHub holds 65536)",
    )
    p.add_argument("--out", type=Path, help="save the plan (JSON) for `monaco apply PLANFILE`")
    p.add_argument(
        "--detailed-exitcode", action="store_true", help="exit 0 for no changes, 2 for changes, 1 for errors"
    )
    p.add_argument("--backtest", action="store_true", help="markdown plan: add a backtest table (see monaco backtest)")
    add_range_options(p)


def _add_apply(sub: Any) -> None:
    """The `apply` subcommand."""
    p = _subcommand(sub, "apply", "apply a fresh plan, or exactly a saved one")
    _workspace(p)
    p.add_argument("planfile", nargs="?", type=Path, help="a plan saved with `plan --out`")
    _targets_option(p)
    p.add_argument("--auto-approve", action="store_true", help="do not ask for confirmation")
    p.add_argument(
        "--lock-timeout",
        type=_seconds,
        default=0.0,
        metavar="DURATION",
        help="how long to wait for another apply's lock on a target, e.g. 30s or 5m (default: 0s, fail at once)",
    )


def _add_routes(sub: Any) -> None:
    """The `routes` subcommand."""
    p = _subcommand(sub, "routes", "show which receivers get which alert, on every target")
    _workspace(p)
    p.add_argument("labels", nargs="*", metavar="LABEL=VALUE", help="route this label set instead of the alerts")
    p.add_argument("--service", action="append", default=[], help="only this service's alerts (repeatable)")
    p.add_argument("--alert", help="only alerts of this name (e.g. HighCPU, SLOErrorBudgetBurn)")
    p.add_argument("--format", choices=["text", "json"], default="text")


def _add_drill(sub: Any) -> None:
    """The `drill` subcommand."""
    p = _subcommand(sub, "drill", "send a labelled synthetic alert through a target's live pipeline; report delivery")
    _workspace(p)
    p.add_argument("--target", required=True, help="the target to drill")
    p.add_argument("--service", help="the service whose alert is simulated (default: the target's only one)")
    p.add_argument("--severity", help="the drill alert's severity (default: Settings drill.severity, else the least)")
    p.add_argument("--yes", action="store_true", help="do not ask; required when stdin is not a terminal")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--timeout", type=_seconds, default=60.0, metavar="DURATION", help="wait per drill (default: 60s)")
    p.add_argument("--interval", type=_seconds, default=0.5, metavar="DURATION", help="poll interval (default: 0.5s)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = _Parser(
        prog="monaco",
        description="Monitoring as code: compile service specs to Prometheus, Alertmanager and cloud alerting; plan; apply.",
    )
    parser.add_argument("--version", action="version", version=f"monaco {__version__}")
    parser.add_argument("--no-color", action="store_true", help="never colour output (also: NO_COLOR, CI)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _workspace(_subcommand(sub, "validate", "check specs and targets; exit 1 on any error"), specs_positional=True)
    p = _subcommand(sub, "compile", "write every target's desired configuration as files")
    _workspace(p)
    p.add_argument("--out", type=Path, default=Path("out/compiled"), help="output directory (default: out/compiled)")
    _targets_option(p)
    _add_plan(sub)
    _add_apply(sub)
    _add_routes(sub)
    p = _subcommand(sub, "schema", "print the JSON Schema of spec documents")
    p.add_argument("--kind", choices=["all", "Service", "Team", "Settings", "Target"], default="all")
    p = _subcommand(sub, "test", "run the rule tests written in specs with promtool")
    _workspace(p)
    p.add_argument("--promtool", default="promtool", help="promtool binary (default: promtool on PATH)")
    _add_drill(sub)
    p = _subcommand(sub, "lint", "check specs against alerting practice: runbooks, paging, for, ranges, routes")
    _workspace(p)
    p.add_argument("--format", choices=["text", "json", "github"], default="text", help="github: ::warning lines")
    p.add_argument("--backtest", action="store_true", help="estimate pages per week from a live Prometheus (MON1107)")
    add_range_options(p)
    p = _subcommand(sub, "docs", "write a runbook page per paging alert and a postmortem template per SLO")
    _workspace(p)
    p.add_argument("--out", type=Path, required=True, help="output directory; pages already there are kept")
    from monaco.cli.backtest import add_parser as add_backtest

    add_backtest(sub, _subcommand)
    from monaco.cli.silence import add_parser as add_silence

    add_silence(sub, _subcommand)
    return parser


_HANDLERS: dict[str, str] = {
    "validate": "monaco.cli.commands:validate",
    "compile": "monaco.cli.commands:compile_",
    "plan": "monaco.cli.commands:plan",
    "apply": "monaco.cli.commands:apply",
    "schema": "monaco.cli.commands:schema",
    "routes": "monaco.cli.commands:routes",
    "test": "monaco.cli.commands:test",
    "drill": "monaco.cli.drill:drill",
    "lint": "monaco.cli.lint:lint",
    "docs": "monaco.cli.docs:docs",
    "backtest": "monaco.cli.backtest:backtest_command",
    "silence": "monaco.cli.silence:silence_command",
}
"""Sub-command -> its function; only the one run is imported (a validate does not load lint, docs or drill)."""


def _handler(command: str) -> Callable[[argparse.Namespace, Output], int]:
    """The function that runs `command`, imported on demand."""
    module_name, _, function = _HANDLERS[command].partition(":")
    found: Callable[[argparse.Namespace, Output], int] = getattr(importlib.import_module(module_name), function)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code."""
    gc.set_threshold(YOUNG_OBJECTS_PER_COLLECTION, 50, 100)
    # monaco's own validation needs no pydantic plugin; looking for them reads every installed package's
    # metadata (about 50 ms, a tenth of a small workspace's validate). A value the user set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    args = build_parser().parse_args(argv)
    colour = (
        not args.no_color and sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("CI") != "true"
    )
    interactive = sys.stderr.isatty() and os.environ.get("CI") != "true" and os.environ.get("TERM") != "dumb"
    out = Output(colour=colour, interactive=interactive)
    handler = _handler(args.command)
    try:
        return handler(args, out)
    except KeyboardInterrupt:
        out.error("interrupted")
        return EXIT_ERROR
    except BrokenPipeError:  # the reader went away (`monaco plan | head`): nothing more can be said to it
        _discard_stdout()
        return EXIT_ERROR


def _discard_stdout() -> None:
    """Point standard output at /dev/null, so flushing what is buffered for a closed pipe fails no more."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def run() -> NoReturn:
    """The `monaco` program: run one command, flush what it printed, and leave without tearing down the heap.

    A plan of a thousand services holds millions of objects; freeing them one by one at exit costs a tenth of
    a second or more and changes nothing (every file was written and closed by then)."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (`monaco plan | head`): what could be written was
        code = code or EXIT_ERROR
    os._exit(code)
