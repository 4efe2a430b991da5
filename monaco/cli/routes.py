"""`monaco routes`: which receivers get which alert on every target, as a table or as JSON."""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

from monaco.cli.output import Output
from monaco.engine import Session
from monaco.ir.route_query import Delivery
from monaco.routes import RouteRow, route_rows, select_queries

FORMAT_VERSION = 1
"""The version of the JSON answer; a field's meaning never changes within one."""
_LABEL = re.compile(r"^(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)=(?P<value>.*)$")
NOT_CARRIED, NO_ONE, UNREACHED_MARK = "-", "NO ONE", "!"


def parse_labels(pairs: list[str]) -> tuple[dict[str, str], str | None]:
    """`name=value` arguments as labels, or why one is not a label pair."""
    labels: dict[str, str] = {}
    for pair in pairs:
        found = _LABEL.match(pair)
        if found is None:
            return {}, f"{pair!r} is not a label pair; write name=value, e.g. severity=critical"
        if found["name"] in labels:
            return {}, f"label {found['name']!r} is given twice"
        labels[found["name"]] = found["value"]
    return labels, None


def show_routes(session: Session, args: argparse.Namespace, out: Output) -> int:
    """Answer the command's question on every target and print it; exit 1 on bad input or a target that fails."""
    assert session.model is not None
    labels, problem = parse_labels(args.labels)
    if problem is None and labels and args.alert is not None:
        problem = "give --alert or label pairs, not both"
    queries, problem = ([], problem) if problem else select_queries(session.model, args.service, args.alert, labels)
    if problem is not None:
        out.error(problem)
        return 1
    rows = route_rows(session, queries)
    errors = [d for d in session.diagnostics.sorted() if d.level.value == "error"]
    if errors:
        out.diagnostics(errors, session.workspace.sources)
        return 1
    targets = [(t.name, t.backend) for t in session.targets]
    out.result(json_answer(rows, targets) if args.format == "json" else table(rows, [name for name, _ in targets]))
    unreached = sum(1 for row in rows if row.unreached_on)
    out.info(f"{len(rows)} alerts on {len(targets)} targets; {unreached} reach no one on some target.")
    return 0


def cell(delivery: Delivery) -> str:
    """One table cell: the delivery objects, `NO ONE`, or `-` when the target does not carry the alert."""
    if delivery is None:
        return NOT_CARRIED
    return ", ".join(item.name for item in delivery) or NO_ONE


def table(rows: list[RouteRow], targets: list[str]) -> str:
    """A fixed-width table: mark, alert, service, severity, then one column per target."""
    header = ["", "ALERT", "SERVICE", "SEVERITY", *targets]
    lines = [header]
    for row in rows:
        mark = UNREACHED_MARK if row.unreached_on else ""
        query = row.query
        lines.append(
            [mark, query.alert, query.service or "-", query.severity or "-"]
            + [cell(row.deliveries[t]) for t in targets]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["  ".join(value.ljust(width) for value, width in zip(line, widths, strict=True)).rstrip() for line in lines]
    if any(row.unreached_on for row in rows):
        text.append(
            f"\n{UNREACHED_MARK} reaches no one on some target ({NO_ONE}); {NOT_CARRIED}: the target does not carry it"
        )
    return "\n".join(text)


def json_answer(rows: list[RouteRow], targets: list[tuple[str, str]]) -> str:
    """The answer as JSON: the targets, then one entry per alert, unreached ones first."""
    document: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "targets": [{"name": name, "kind": kind} for name, kind in targets],
        "alerts": [_row_json(row) for row in rows],
    }
    return json.dumps(document, indent=2, sort_keys=True)


def _row_json(row: RouteRow) -> dict[str, Any]:
    """One alert: what it is, its labels, and per target null (not carried) or the delivery objects."""
    query = row.query
    return {
        "alert": query.alert,
        "kind": query.kind,
        "service": query.service,
        "severity": query.severity,
        "labels": query.label_map(),
        "unreached_on": row.unreached_on,
        "targets": {
            name: None
            if delivery is None
            else [{"name": item.name, "receivers": list(item.receivers)} for item in delivery]
            for name, delivery in row.deliveries.items()
        },
    }
