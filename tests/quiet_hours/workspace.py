"""A small quiet-hours workspace: Settings with named time intervals, a team, a service whose routes use them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SERVICE, TEAM = "checkout", "payments"
MUTED, ACTIVE, PLAIN = "muted-hook", "active-hook", "plain-hook"
"""Receivers: one route muted during `window`, one active only during `window`, one always on."""


def _write(path: Path, *docs: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n---\n".join(json.dumps(doc, indent=2) for doc in docs) + "\n", encoding="utf-8")


def write_specs(specs: Path, webhook: str, intervals: list[dict[str, Any]], muted: str, active: str) -> None:
    """Settings defining `intervals`; checkout's critical alerts go to MUTED (muted during `muted`), to ACTIVE
    (active only during `active`) and to PLAIN (always), each a route of its own that continues."""
    settings = {"apiVersion": "monaco/v1", "kind": "Settings", "time_intervals": intervals}
    team = {"apiVersion": "monaco/v1", "kind": "Team", "metadata": {"name": TEAM}}
    routes: list[dict[str, Any]] = [
        {"match": {"severity": "critical"}, "to": [MUTED], "continue": True, "mute_during": [muted]},
        {"match": {"severity": "critical"}, "to": [ACTIVE], "continue": True, "active_during": [active]},
        {"match": {"severity": "critical"}, "to": [PLAIN]},
    ]
    service = {
        "apiVersion": "monaco/v1",
        "kind": "Service",
        "metadata": {"name": SERVICE, "team": TEAM},
        "alerts": [
            {
                "name": "CheckoutDown",
                "severity": "critical",
                "source": {"prometheus": "up == 0"},
                "summary": "checkout is down",
            }
        ],
        "routes": routes,
        "receivers": [
            {"name": name, "webhook": {"url": f"{webhook}/{name}", "send_resolved": False}}
            for name in (MUTED, ACTIVE, PLAIN)
        ],
    }
    _write(specs / "settings.yaml", settings)
    _write(specs / "payments.yaml", team, service)


def write_target(targets: Path, name: str, backend: str, config: dict[str, Any]) -> None:
    """One Target document."""
    doc = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": name}, "backend": backend}
    _write(targets / "targets.yaml", {**doc, "config": config})
