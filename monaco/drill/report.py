"""A drill's report: a table of receiver -> delivered or not and time to delivery, or the same as JSON."""

from __future__ import annotations

import json
from typing import Any

from monaco.drill.run import DrillRun


def report_data(run: DrillRun) -> dict[str, Any]:
    """The drill as JSON-ready data: target, alert, one entry per receiver, cleanup, outcome."""
    alert = run.alert
    return {
        "target": run.target,
        "ok": run.ok,
        "drill_id": alert.drill_id if alert else None,
        "service": alert.service if alert else None,
        "severity": alert.severity if alert else None,
        "labels": alert.labels if alert else {},
        "expected": list(alert.expected) if alert else [],
        "receivers": [
            {
                "receiver": d.receiver,
                "expected": d.expected,
                "delivered": d.delivered,
                "seconds": d.seconds,
                "detail": d.detail,
            }
            for d in run.result.deliveries
        ],
        "cleaned_up": list(run.result.cleaned_up),
        "seconds": run.seconds,
    }


def report_json(run: DrillRun) -> str:
    """The drill report as indented JSON."""
    return json.dumps(report_data(run), indent=2, sort_keys=True) + "\n"


def report_text(run: DrillRun) -> str:
    """The drill report as a table, then cleanup and the outcome."""
    alert = run.alert
    if alert is None or not run.result.deliveries:
        return f"Drill of {run.target}: not sent.\n"
    rows = [("RECEIVER", "EXPECTED", "DELIVERED", "TIME", "DETAIL")]
    for d in run.result.deliveries:
        seconds = "-" if d.seconds is None else f"{d.seconds:.2f}s"
        rows.append((d.receiver, "yes" if d.expected else "no", "yes" if d.delivered else "NO", seconds, d.detail))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        f"Drill {alert.drill_id} of {alert.service} on {run.target} (severity {alert.severity}):",
        *(
            "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[4]
            for row in rows
        ),
    ]
    lines = [line.rstrip() for line in lines]
    lines += [f"  cleanup: {item}" for item in run.result.cleaned_up]
    expected = [d for d in run.result.deliveries if d.expected]
    got = sum(1 for d in expected if d.delivered)
    lines.append(f"{got} of {len(expected)} expected receivers got the drill alert.")
    return "\n".join(lines) + "\n"
