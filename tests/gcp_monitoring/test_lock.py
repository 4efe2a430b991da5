"""The apply lock: a Service Monitoring service created atomically; a live holder waited for, a stale one taken over."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, replace

from google.cloud import monitoring_v3

from monaco.backends.gcp_monitoring.apply_lock import HOLDER_PREFIX, RENEWED_LABEL, TOKEN_LABEL
from monaco.backends.lock import LockHolder
from tests.gcp_monitoring.workspace import PROJECT, GcpWorkspace

LOCK_ID = "monaco-lock-gcp-test"


def _hold(ws: GcpWorkspace, holder: LockHolder, renewed: float) -> None:
    """Someone else's lock service for the test target, as another monaco process would have made it."""
    assert ws.fake is not None
    service = monitoring_v3.Service(
        display_name=HOLDER_PREFIX + json.dumps(asdict(holder), sort_keys=True),
        custom=monitoring_v3.Service.Custom(),
        user_labels={TOKEN_LABEL: "someone-else", RENEWED_LABEL: str(int(renewed))},
    )
    ws.fake.server.add_service(PROJECT, LOCK_ID, service)


def _services(ws: GcpWorkspace) -> list[str]:
    assert ws.fake is not None
    return sorted(
        s.name.rsplit("/", 1)[1] for s in ws.fake.clients.services.list_services(parent=f"projects/{PROJECT}")
    )


def test_a_live_holder_makes_apply_wait_then_refuse_naming_it(ws: GcpWorkspace) -> None:
    """Held by ci@builder (another host, renewed now): apply waits --lock-timeout, writes nothing, names the holder."""
    _hold(ws, replace(LockHolder.me(), user="ci", host="builder-7", pid=4242), time.time())
    failed = ws.run("apply", "--auto-approve", "--lock-timeout", "1s")
    assert failed.code == 1 and "is locked by ci@builder-7 (pid 4242, monaco apply)" in failed.output, failed.output
    assert _services(ws) == [LOCK_ID]


def test_a_stale_lock_is_taken_over_with_a_notice_and_released_after_apply(ws: GcpWorkspace) -> None:
    """Not renewed for longer than the TTL: taken over (said so), the apply runs, the lock is gone afterwards."""
    _hold(ws, replace(LockHolder.me(), user="ci", host="builder-7", pid=4242), time.time() - 3600)
    applied = ws.converge()
    assert "taking over the stale apply lock of target gcp-test" in applied.output, applied.output
    assert _services(ws) == ["checkout"]
