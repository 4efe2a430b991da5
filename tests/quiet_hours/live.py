"""A live Alertmanager process on an ephemeral 127.0.0.1 port, for quiet-hours and silence tests; stopped by PID."""

from __future__ import annotations

import contextlib
import datetime
import json
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.conftest import require_tool
from tests.e2e.live import ManagedProcess, WebhookReceiver, free_port, poll
from tests.quiet_hours.workspace import PLAIN
from tests.threaded_server import LOCALHOST

FAST_ROOT: dict[str, Any] = {
    "receiver": "platform-default",
    "group_by": ["alertname", "service"],
    "group_wait": "1s",
    "group_interval": "1s",
    "repeat_interval": "1h",
}
"""A base config root route that notifies within a second."""


def base_config(webhook: str) -> dict[str, Any]:
    """The platform's base config: fast grouping, the fallback receiver a path of the local webhook."""
    return {
        "route": FAST_ROOT,
        "receivers": [{"name": "platform-default", "webhook_configs": [{"url": f"{webhook}/x"}]}],
    }


@contextlib.contextmanager
def alertmanager(root: Path, config_file: Path) -> Iterator[str]:
    """`prometheus-alertmanager` serving `config_file`; yields its base URL; always stopped by PID."""
    binary = require_tool("prometheus-alertmanager")
    port = free_port()
    url = f"http://{LOCALHOST}:{port}"
    process = ManagedProcess(
        "alertmanager",
        [
            binary,
            f"--config.file={config_file}",
            f"--storage.path={root / 'am-data'}",
            f"--web.listen-address={LOCALHOST}:{port}",
            "--cluster.listen-address=",
        ],
        root / "alertmanager.log",
    )
    try:
        process.start()
        process.wait_ready(f"{url}/-/ready")
        yield url
    finally:
        process.stop()


def post_alert(url: str, labels: dict[str, str]) -> None:
    """POST one firing alert (ending in ten minutes) to the Alertmanager at `url`."""
    now = datetime.datetime.now(datetime.UTC)
    alert = {
        "labels": labels,
        "startsAt": now.isoformat(),
        "endsAt": (now + datetime.timedelta(minutes=10)).isoformat(),
    }
    request = urllib.request.Request(
        f"{url}/api/v2/alerts", data=json.dumps([alert]).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 200


def receivers_hearing(url: str, labels: dict[str, str], webhook: WebhookReceiver) -> set[str]:
    """POST the alert to the Alertmanager at `url`; the receivers `webhook` hears from, once the always-on one has
    (PLAIN), and a few seconds more: every route's group waits 1s, so a muted one would have flushed by then."""
    post_alert(url, labels)

    def heard() -> set[str]:
        return {post["path"].strip("/") for post in webhook.received()}

    poll("the always-on receiver to be notified", lambda: PLAIN in heard(), timeout=30)
    time.sleep(4.0)
    return heard()
