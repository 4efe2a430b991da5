"""`monaco silence create|list|expire`: owned Alertmanager silences for a service's planned maintenance."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monaco.cli.output import Output

if TYPE_CHECKING:  # the parser is built for every `monaco --help`: the silence code loads only when run
    from monaco import engine
    from monaco.backends.base import Target
    from monaco.silence.run import Outcome

EXIT_OK, EXIT_ERROR = 0, 1


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--specs", type=Path, action="append", help="spec file or directory (default: specs/)")
    p.add_argument("--targets", type=Path, action="append", help="target file or directory (default: targets/)")
    p.add_argument("--target", help="the alertmanager target (default: the only one with a `url`)")
    p.add_argument("--format", choices=["text", "json"], default="text")


def add_parser(sub: Any, subcommand: Any) -> None:
    """The `silence` subcommand and its `create`, `list` and `expire` (`subcommand` adds summary and examples)."""
    p: argparse.ArgumentParser = subcommand(
        sub, "silence", "create, list and expire monaco's Alertmanager silences for planned maintenance"
    )
    actions = p.add_subparsers(dest="silence_action", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="silence a service's alerts for a while")
    _common(create)
    create.add_argument("--service", required=True, help="the service whose alerts are silenced")
    create.add_argument("--duration", required=True, help="how long, e.g. 30m or 2h")
    create.add_argument("--comment", required=True, help="why (shown in Alertmanager)")
    create.add_argument("--yes", action="store_true", help="do not ask; required when stdin is not a terminal")
    listing = actions.add_parser("list", help="show monaco's active and pending silences")
    _common(listing)
    listing.add_argument("--service", help="only this service's silences")
    expire = actions.add_parser("expire", help="end monaco's silence ID, or every one of --service")
    _common(expire)
    expire.add_argument("id", nargs="?", help="the silence's id (from create or list)")
    expire.add_argument("--service", help="expire every live silence monaco made for this service")


def _target(args: argparse.Namespace, out: Output) -> tuple[engine.Session, Target] | None:
    """The loaded workspace and the chosen target, or None after printing why not."""
    from monaco.cli.commands import loaded_session
    from monaco.diagnostics import Diagnostic
    from monaco.silence.run import choose_target

    session = loaded_session(args, out)
    if session is None:
        return None
    chosen = choose_target(session, args.target)
    if isinstance(chosen, Diagnostic):
        out.diagnostics([chosen], session.workspace.sources)
        return None
    return session, chosen


def _confirmed(args: argparse.Namespace, out: Output, what: str) -> bool:
    """True with `--yes`; at a terminal, when the person types yes; never otherwise (MON475)."""
    from monaco.silence.codes import NOT_CONFIRMED

    if args.yes:
        return True
    if not sys.stdin.isatty():
        out.error(f"{NOT_CONFIRMED}: refusing to {what} without --yes: stdin is not a terminal, so nobody can confirm")
        return False
    answer = input(f"This will {what}. Type yes to go on: ")
    return answer.strip().lower() == "yes"


def _rows(outcome: Outcome) -> list[dict[str, Any]]:
    from monaco.silence.owned import plain_comment

    return [
        {
            "id": s.id,
            "service": s.service,
            "state": s.state,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
            "comment": plain_comment(s),
            "matchers": list(s.matchers),
        }
        for s in outcome.silences
    ]


def _text(outcome: Outcome) -> str:
    """The list as a table, or a sentence when there is nothing."""
    rows = _rows(outcome)
    if not rows:
        return f"No monaco silences on {outcome.target}."
    table = [("ID", "SERVICE", "STATE", "ENDS", "COMMENT")]
    table += [(r["id"], r["service"] or "", r["state"], r["ends_at"], r["comment"]) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths, strict=True)) + "  " + row[4] for row in table
    )


def _create(args: argparse.Namespace, target: Target) -> Outcome:
    """Create the silence `--service`, `--duration` and `--comment` describe."""
    from monaco.diagnostics import Diagnostic
    from monaco.silence.codes import BAD_REQUEST
    from monaco.silence.run import Outcome, choose_service, create
    from monaco.spec.types import parse_duration

    service = choose_service(target, args.service)
    if isinstance(service, Diagnostic):
        return Outcome(target.name, diagnostics=[service])
    try:
        seconds = parse_duration(args.duration)
    except ValueError as exc:
        return Outcome(target.name, diagnostics=[Diagnostic(BAD_REQUEST, f"--duration: {exc}")])
    return create(target, service, seconds, args.comment)


def silence_command(args: argparse.Namespace, out: Output) -> int:
    """Run `monaco silence ACTION`; exit 0 when it did what was asked."""
    from monaco.silence.run import expire, list_owned

    if args.silence_action == "expire" and (args.id is None) == (args.service is None):
        out.error("monaco silence expire: give a silence ID or --service, not both and not neither")
        return EXIT_ERROR
    if args.silence_action == "create" and not _confirmed(args, out, f"silence {args.service}'s notifications"):
        return EXIT_ERROR
    loaded = _target(args, out)
    if loaded is None:
        return EXIT_ERROR
    session, target = loaded
    if args.silence_action == "create":
        outcome = _create(args, target)
    elif args.silence_action == "list":
        outcome = list_owned(target, args.service)
    else:
        outcome = expire(target, args.id, args.service)
    if outcome.diagnostics:
        out.diagnostics(outcome.diagnostics, session.workspace.sources)
    _report(args, out, outcome)
    return EXIT_OK if outcome.ok else EXIT_ERROR


def _report(args: argparse.Namespace, out: Output, outcome: Outcome) -> None:
    """What the action did, as text or JSON."""
    if args.format == "json":
        body: dict[str, Any] = {"target": outcome.target, "ok": outcome.ok}
        if args.silence_action == "create":
            body["silence_id"] = outcome.created
        elif args.silence_action == "list":
            body["silences"] = _rows(outcome)
        else:
            body["expired"] = outcome.expired
        out.result(json.dumps(body, indent=2))
    elif args.silence_action == "create" and outcome.created:
        out.result(
            f"Silenced {args.service} on {outcome.target} for {args.duration}: silence {outcome.created}.\n"
            f"End it early: monaco silence expire {outcome.created} --target {outcome.target}"
        )
    elif args.silence_action == "list":
        out.result(_text(outcome))
    elif args.silence_action == "expire" and outcome.ok:
        expired = ", ".join(outcome.expired)
        out.result(f"Expired {len(outcome.expired)} silence(s) on {outcome.target}{': ' + expired if expired else ''}.")
