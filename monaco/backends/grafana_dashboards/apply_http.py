"""Applying dashboard changes to a live Grafana, change by change, and the apply lock held as a dashboard.

Deletes go first (a dashboard renamed to a new uid frees its title before the new one is posted), then
creates and updates, in plan order. The folder is created before the first post if it is missing. A
create posts with `overwrite: false`, so a dashboard someone made at that uid since the plan is refused
by Grafana (412) rather than replaced; an update of an owned dashboard posts with `overwrite: true`. Every
change is reported as it completes, and a failure does not stop the others.

The lock: a dashboard at the root with the uid `<uid_prefix>apply-lock`, created with `overwrite: false`
(Grafana answers 412 while it exists, so the create is the atomic claim); its description records the
holder. A holder older than `lock_ttl_seconds`, or one on this host whose process has ended, is stale:
deleted with a notice, then claimed again. Released by deleting it.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from pathlib import Path

from monaco.backends.base import ApplyReport, ChangeResult, Notice
from monaco.backends.grafana_dashboards.client import GrafanaError, GrafanaHttp
from monaco.backends.grafana_dashboards.config import LOCK_TAG, GrafanaDashboardsConfig
from monaco.backends.lock import LockBusy, LockHolder
from monaco.plan.model import Action, Change

POLL_SECONDS = 0.5


def _ordered(changes: Sequence[Change]) -> list[Change]:
    """Deletes first, then the rest, each in plan order."""
    return [c for c in changes if c.action is Action.DELETE] + [c for c in changes if c.action is not Action.DELETE]


def apply_changes(
    api: GrafanaHttp,
    config: GrafanaDashboardsConfig,
    changes: Sequence[Change],
    cancel: threading.Event,
    progress: Notice,
) -> ApplyReport:
    """Carry out exactly `changes`, reporting each; cancelled ones are not started."""
    report = ApplyReport()
    ordered = _ordered(changes)
    folder_ready = False
    for n, change in enumerate(ordered):
        if cancel.is_set():
            return report.cancelled(ordered[n:])
        try:
            if change.action is Action.DELETE:
                _delete(api, change)
            else:
                if not folder_ready:
                    api.ensure_folder(config.folder_uid, config.folder)
                    folder_ready = True
                _post(api, change)
        except GrafanaError as exc:
            report.results.append(ChangeResult(change.key, change.action.value, False, f"not applied: {exc}"))
            report.errors.append(f"{change.key}: Grafana refused it: {exc}")
            continue
        report.results.append(ChangeResult(change.key, change.action.value, True))
    return report


def _delete(api: GrafanaHttp, change: Change) -> None:
    """Delete an owned dashboard; one already gone counts as deleted."""
    assert change.before is not None
    try:
        api.delete(change.before.name)
    except GrafanaError as exc:
        if exc.status != 404:
            raise


def _post(api: GrafanaHttp, change: Change) -> None:
    """Save the desired dashboard in its folder: overwrite only what is ours already (an update)."""
    assert change.after is not None
    body = change.after.body
    api.save(dict(body["dashboard"]), str(body["folder"]), overwrite=change.action is not Action.CREATE)


@contextlib.contextmanager
def dashboard_lock(
    config: GrafanaDashboardsConfig, base_dir: Path, target: str, timeout: float, notice: Notice
) -> Iterator[LockHolder]:
    """Hold the target's apply lock (the lock dashboard) for the block; LockBusy after `timeout` seconds."""
    try:
        api = GrafanaHttp(config, base_dir)
    except KeyError as exc:
        raise GrafanaError(0, f"the credential is not set ({exc.args[0]})") from None
    me = LockHolder.me()
    deadline = time.monotonic() + max(0.0, timeout)
    announced = False
    while not _claim(api, config, me, target):
        holder = _holder(api, config)
        if holder is not None and (not holder.is_alive() or time.time() - holder.since > config.lock_ttl_seconds):
            notice(f"took over a stale Grafana apply lock {config.lock_uid} left by {holder.describe()}")
            api.delete(config.lock_uid)
            continue
        if time.monotonic() >= deadline:
            raise LockBusy(f"Grafana apply lock {config.lock_uid} at {config.base_url}", holder, timeout)
        if not announced:
            who = holder.describe() if holder else "another process"
            notice(f"waiting for the Grafana apply lock {config.lock_uid}, held by {who}")
            announced = True
        time.sleep(POLL_SECONDS)
    try:
        yield me
    finally:
        with contextlib.suppress(GrafanaError):
            api.delete(config.lock_uid)


def _claim(api: GrafanaHttp, config: GrafanaDashboardsConfig, me: LockHolder, target: str) -> bool:
    """Create the lock dashboard; False when Grafana says it exists (412)."""
    lock = {
        "uid": config.lock_uid,
        "title": f"monaco apply lock {config.lock_uid}",
        "tags": [LOCK_TAG],
        "description": json.dumps({**asdict(me), "target": target}, sort_keys=True),
        "panels": [],
        "schemaVersion": 41,
    }
    try:
        api.save(lock, "", overwrite=False)
    except GrafanaError as exc:
        if exc.status == 412:
            return False
        raise
    return True


def _holder(api: GrafanaHttp, config: GrafanaDashboardsConfig) -> LockHolder | None:
    """Who holds the lock, from the lock dashboard's description; None when it is gone or not a lock's."""
    try:
        found = api.dashboard(config.lock_uid)
    except GrafanaError:
        return None
    try:
        recorded = json.loads(str(found["dashboard"].get("description") or "null"))
        recorded.pop("target", None)
        return LockHolder(**recorded)
    except (ValueError, TypeError, AttributeError):
        return None
