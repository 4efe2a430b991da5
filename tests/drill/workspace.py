"""A small workspace for drills: Settings (with its `drill:` block), a team, one service, and targets."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.tools.workspaces import REPO

SERVICE, TEAM = "checkout", "payments"
HOOK, CHAT, PAGER = "pay-hook", "pay-chat", "pay-pager"
PAGER_KEY_ENV = "DRILL_TEST_PAGERDUTY_KEY"
"""The PagerDuty receiver's routing key, by reference; tests set it (no real key exists)."""


def _write(path: Path, *docs: dict[str, Any]) -> None:
    """Write documents as YAML (JSON is YAML)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n---\n".join(json.dumps(doc, indent=2) for doc in docs) + "\n", encoding="utf-8")


def write_specs(
    specs: Path,
    webhook: str,
    *,
    chat_route: bool = False,
    drill: dict[str, Any] | None = None,
    cloudwatch: bool = False,
    pager: bool = True,
) -> None:
    """Settings, the payments team and the checkout service; critical alerts go to pay-pager (unless not `pager`)
    and pay-hook, medium and low ones to pay-hook (and pay-chat)."""
    settings = {
        "apiVersion": "monaco/v1",
        "kind": "Settings",
        "severities": [{"name": "critical", "page": True}, {"name": "medium"}, {"name": "low"}],
        **({"drill": drill} if drill is not None else {}),
    }
    team = {"apiVersion": "monaco/v1", "kind": "Team", "metadata": {"name": TEAM}}
    quiet = [HOOK, CHAT] if chat_route else [HOOK]
    source: dict[str, Any] = {"prometheus": "vector(0)"}
    if cloudwatch:
        source["cloudwatch"] = {"namespace": "Checkout", "metric": "Errors", "stat": "Sum"}
    service = {
        "apiVersion": "monaco/v1",
        "kind": "Service",
        "metadata": {"name": SERVICE, "team": TEAM, "tier": 2},
        "alerts": [
            {"name": name, "severity": sev, "for": "1m", "when": {"above": 0}, "source": source, "summary": name}
            for name, sev in (("CheckoutDown", "critical"), ("CheckoutSlow", "medium"), ("CheckoutOdd", "low"))
        ],
        "routes": [
            {"match": {"severity": "critical"}, "to": [PAGER, HOOK] if pager else [HOOK]},
            {"match": {"severity": ["medium", "low"]}, "to": quiet},
        ],
        "receivers": [
            {"name": HOOK, "webhook": {"url": f"{webhook}/hook", "send_resolved": True}},
            {"name": CHAT, "webhook": {"url": f"{webhook}/chat", "send_resolved": True}},
            {"name": PAGER, "pagerduty": {"routing_key": {"env": PAGER_KEY_ENV}}},
        ],
    }
    _write(specs / "settings.yaml", settings)
    _write(specs / "payments.yaml", team, service)


def target_doc(name: str, backend: str, config: dict[str, Any]) -> dict[str, Any]:
    """One Target document."""
    return {
        "apiVersion": "monaco/v1",
        "kind": "Target",
        "metadata": {"name": name},
        "backend": backend,
        "config": config,
    }


def write_targets(targets: Path, *docs: dict[str, Any]) -> None:
    """A targets directory holding `docs`."""
    _write(targets / "targets.yaml", *docs)


def monaco(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """`python -m monaco ARGS` with stdin not a terminal (/dev/null), as in CI; bounded by a timeout."""
    return subprocess.run(
        [sys.executable, "-m", "monaco", "--no-color", *map(str, args)],
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
