"""One function per subcommand: call the engine, print, return the exit code."""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import TypeVar

from monaco import engine
from monaco.backends.base import ApplyReport, listening
from monaco.backends.files import write_atomic
from monaco.cli.output import Output
from monaco.cli.progress import ApplyProgress
from monaco.parallel import map_split
from monaco.plan.markdown import render_markdown
from monaco.plan.model import Action, Plan
from monaco.plan.views import render_json, render_text, text_chunks

EXIT_OK, EXIT_ERROR, EXIT_CHANGES = 0, 1, 2


def _session(args: argparse.Namespace, out: Output) -> engine.Session | None:
    """Load the workspace; print diagnostics; None when there are errors."""
    paths = getattr(args, "paths", None) or []
    specs = [*paths, *(args.specs or [])] or [Path("specs")]
    targets = args.targets or ([] if paths else [Path("targets")])
    missing = [p for p in [*specs, *targets] if not p.exists()]
    if missing:
        out.error(f"no such file or directory: {', '.join(map(str, missing))}")
        return None
    _HELD_TO_EXIT.clear()  # a new command: the last one's objects go
    return held_to_exit(engine.load(specs, targets))


_HELD_TO_EXIT: list[object] = []
"""The last command's session and what it made (its plan, its rendered targets). The program leaves without
freeing them (`main.run`): freeing a thousand services' objects one by one costs 0.1-0.2 s and changes nothing.
A later command in the same process (the tests) replaces them, so one command's objects at most are held."""

T = TypeVar("T")


def held_to_exit(value: T) -> T:
    """`value`, held until the process exits (or the next command starts)."""
    _HELD_TO_EXIT.append(value)
    return value


def loaded_session(args: argparse.Namespace, out: Output) -> engine.Session | None:
    """A session whose specs and targets loaded without errors; otherwise print why and return None."""
    session = _session(args, out)
    if session is not None and session.diagnostics.has_errors:
        _report(session, out)
        return None
    return session


def _report(session: engine.Session, out: Output) -> bool:
    """Print the session's diagnostics; True when any is an error."""
    out.diagnostics(session.diagnostics.sorted(), session.workspace.sources)
    return session.diagnostics.has_errors


def validate(args: argparse.Namespace, out: Output) -> int:
    """Check specs and targets, and each target as rendering it would (`engine.check`), so backend problems show too."""
    session = _session(args, out)
    if session is None:
        return EXIT_ERROR
    if not session.diagnostics.has_errors:
        for target in session.targets:
            engine.check(session, target)
        if session.model is not None and session.workspace.settings:  # lint too, when Settings asks for it
            from monaco.lint.runner import lint_in_validate  # lint's rules load only where Settings may ask

            session.diagnostics.extend(lint_in_validate(session.workspace, session.model))
    if _report(session, out):
        return EXIT_ERROR
    counts = f"{len(session.workspace.services)} services, {len(session.workspace.targets)} targets"
    out.info(f"Valid: {counts}.")
    return EXIT_OK


def compile_(args: argparse.Namespace, out: Output) -> int:
    """Write each target's desired configuration under OUT/<target>/."""
    session = _session(args, out)
    if session is None:
        return EXIT_ERROR
    targets = engine.choose_targets(session, args.target) if not session.diagnostics.has_errors else []
    written: list[Path] = []
    for target in targets:
        backend, result = held_to_exit(engine.render(session, target, need_secrets=False))
        files = backend.compile_files(target, result.resources)
        write = partial(_write_compiled, files, args.out / target.name)
        written.extend(map_split(write, list(files)))  # a forked child writes about half the files
    if _report(session, out):
        return EXIT_ERROR
    out.info(f"Wrote {len(written)} files under {args.out}/.")
    return EXIT_OK


def _write_compiled(files: Mapping[str, str], directory: Path, name: str) -> Path:
    """Write file `name` of `files` under `directory`; its path. Idempotent, so a forked child may do it."""
    path = directory / name
    write_atomic(path, files[name], durable=False)  # made again from the specs at will: no fsync per file
    return path


def plan(args: argparse.Namespace, out: Output) -> int:
    """Diff desired against live and print (and optionally save) the plan."""
    session = loaded_session(args, out)
    if session is None:
        return EXIT_ERROR
    result = held_to_exit(engine.plan(session, engine.choose_targets(session, args.target), out.info))
    if _report(session, out):
        return EXIT_ERROR
    if args.format == "markdown":
        out.result(_markdown(session, result, args, out))
    elif args.format == "text":
        out.result_chunks(text_chunks(result, out.colour, args.compact))
    else:
        out.result(render_json(result))
    if args.out:
        write_atomic(args.out, render_json(result))
        out.info(f"Saved the plan to {args.out}. Apply exactly it with: monaco apply {args.out}")
    if args.detailed_exitcode and result.has_changes:
        return EXIT_CHANGES
    return EXIT_OK


def _markdown(session: engine.Session, result: Plan, args: argparse.Namespace, out: Output) -> str:
    """The Markdown plan; with `--backtest`, the backtest's table after it, the two within the budget."""
    diagnostics = session.diagnostics.sorted()
    if not args.backtest:
        return render_markdown(result, diagnostics, args.markdown_budget)
    from monaco.cli.backtest import markdown_section

    section = markdown_section(session, args, out, args.markdown_budget // 2)
    return render_markdown(result, diagnostics, args.markdown_budget - len(section)) + section


def apply(args: argparse.Namespace, out: Output) -> int:
    """Apply a saved plan after checking nothing changed, or plan afresh and apply after approval."""
    session = loaded_session(args, out)
    if session is None:
        return EXIT_ERROR
    if args.planfile:
        try:
            to_apply = engine.load_plan_file(args.planfile)
        except ValueError as exc:
            out.error(str(exc))
            return EXIT_ERROR
        if not _still_current(session, to_apply, out):
            return EXIT_ERROR
    else:
        to_apply = held_to_exit(engine.plan(session, engine.choose_targets(session, args.target)))
        if _report(session, out):
            return EXIT_ERROR
        out.result(render_text(to_apply, out.colour))
        if not to_apply.has_changes:
            return EXIT_OK
        if not args.auto_approve and not _confirmed(out):
            out.error("apply cancelled; nothing changed")
            return EXIT_ERROR
    cancel = threading.Event()
    total = sum(len(t.changes) for t in to_apply.targets)
    with (
        _interrupts_cancel(cancel, out),
        ApplyProgress(total, out.interactive) as progress,
        listening(progress.changed),
    ):
        reports = engine.apply(session, to_apply, progress.notice, args.lock_timeout, cancel)
    return _print_reports(to_apply, reports, out)


@contextlib.contextmanager
def _interrupts_cancel(cancel: threading.Event, out: Output) -> Iterator[None]:
    """While applying, SIGINT sets `cancel` (only the main thread can take signals; elsewhere nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, _interrupt_handler(cancel, out))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _interrupt_handler(cancel: threading.Event, out: Output) -> Callable[[int, object], None]:
    """SIGINT during apply: the first asks to stop after the change in flight, the second aborts at once."""

    def handle(signum: int, frame: object) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        out.error("interrupt received: finishing what is in flight, then stopping; interrupt again to abort at once")

    return handle


def _still_current(session: engine.Session, saved: Plan, out: Output) -> bool:
    """True when every target in the saved plan exists, and what it read and its secrets are unchanged.

    A planned secret is its fingerprint inside the value at its pointer, in each backend's own form (Alertmanager's
    `(sensitive sha256:…)`, an SNS or Azure endpoint's `secret:sha256:…`, a GCP label's `sha256:…`).
    """
    targets = {t.name: t for t in session.targets}
    ok = True
    for target_plan in saved.targets:
        target = targets.get(target_plan.target)
        if target is None:
            out.error(f"the plan names target {target_plan.target!r}, which is not defined any more")
            ok = False
            continue
        stale = engine.stale_resources(session, target_plan, target)
        if stale:
            out.error(f"target {target.name} changed since the plan was made: {', '.join(stale)}")
            ok = False
        for change in target_plan.changes:
            after = change.after
            for pointer, ref in after.secrets.items() if after else []:
                expected = _pointer(after.body, pointer) if after else None
                now = session.secret_fingerprint(ref, None)
                if now is None:
                    out.error(f"secret {ref} used by {change.key} is not set; it is needed to apply the plan")
                    ok = False
                elif not isinstance(expected, str) or now not in expected:
                    out.error(f"secret {ref} used by {change.key} changed since the plan was made")
                    ok = False
    if not ok:
        out.error("refusing to apply a stale plan; run `monaco plan` again")
    return ok


def _pointer(body: object, pointer: str) -> object:
    node = body
    for part in pointer.strip("/").split("/"):
        if isinstance(node, list):
            node = node[int(part)] if part.isdigit() and int(part) < len(node) else None
        elif isinstance(node, dict):
            node = node.get(part)
    return node


def _confirmed(out: Output) -> bool:
    if not sys.stdin.isatty():
        out.error("refusing to apply without confirmation: stdin is not a terminal; pass --auto-approve")
        return False
    answer = input("Do you want to perform these actions? Only 'yes' will be accepted: ")
    return answer.strip() == "yes"


def _print_reports(applied: Plan, reports: dict[str, ApplyReport], out: Output) -> int:
    failed = False
    done = {"add": 0, "change": 0, "destroy": 0}
    for target, report in reports.items():
        for item in report.results:
            state = "ok" if item.ok else f"NOT APPLIED ({item.message})"
            out.info(f"  {target}: {item.key}: {item.action} {state}")
            if item.ok:
                action = Action(item.action)
                done["add"] += action in (Action.CREATE, Action.REPLACE)
                done["change"] += action is Action.UPDATE
                done["destroy"] += action in (Action.DELETE, Action.REPLACE)
        for error in report.errors:
            out.error(f"target {target}: {error}")
        failed = failed or not report.ok
    summary = f"{done['add']} added, {done['change']} changed, {done['destroy']} destroyed"
    if failed:
        out.error(f"Apply failed. Applied: {summary}. Everything not marked ok above was not applied.")
        return EXIT_ERROR
    out.info(f"Apply complete! Resources: {summary}.")
    return EXIT_OK


def schema(args: argparse.Namespace, out: Output) -> int:
    """Print the JSON Schema for spec documents."""
    from monaco.backends import source_families
    from monaco.spec.schema import spec_schema

    out.result(json.dumps(spec_schema(source_families(), args.kind), indent=2, sort_keys=True))
    return EXIT_OK


def test(args: argparse.Namespace, out: Output) -> int:
    """Run each service's rule tests against its compiled rules with promtool, then its route tests."""
    from monaco.cli.rule_tests import run_route_tests, run_rule_tests

    session = loaded_session(args, out)
    if session is None:
        return EXIT_ERROR
    specs = [located.spec for located in session.workspace.services]
    only_route_tests = any(s.route_tests for s in specs) and not any(s.tests for s in specs)
    code: int = EXIT_OK if only_route_tests else run_rule_tests(session, args.promtool, out)
    return max(code, run_route_tests(session, out))


def routes(args: argparse.Namespace, out: Output) -> int:
    """Show which receivers get which alert, on every target."""
    from monaco.cli.routes import show_routes

    session = loaded_session(args, out)
    if session is None:
        return EXIT_ERROR
    return show_routes(session, args, out)


__all__ = ["apply", "compile_", "plan", "routes", "schema", "test", "validate"]
