"""`monaco drill` on a live Alertmanager process: the delivery is observed at a local webhook, not assumed.

One module-scoped stack: a recording webhook and `prometheus-alertmanager` on 127.0.0.1 ephemeral ports, fed the
config `monaco apply` writes; both are stopped by PID in the fixture's teardown.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require_tool
from tests.drill.workspace import CHAT, HOOK, PAGER_KEY_ENV, SERVICE, monaco, target_doc, write_specs, write_targets
from tests.e2e.live import ManagedProcess, WebhookReceiver, free_port, get_json, poll, stopping
from tests.threaded_server import LOCALHOST


@dataclass(frozen=True)
class Stack:
    """The live pieces and the workspace paths of one module's drills."""

    root: Path
    url: str
    webhook: WebhookReceiver

    def drill(self, *args: str, specs: str = "specs") -> Any:
        """`monaco drill --target am ...` against this workspace."""
        return monaco(
            "drill", "--specs", self.root / specs, "--targets", self.root / "targets", "--target", "am", *args
        )

    def drill_posts(self, path: str, drill_id: str, status: str = "firing") -> list[dict[str, Any]]:
        """Webhook notifications to `path` holding the drill alert `drill_id` in `status`."""
        return [
            post["body"]
            for post in self.webhook.received()
            if post["path"] == path
            and any(
                a["labels"].get("drill_id") == drill_id and a["status"] == status
                for a in post["body"].get("alerts", [])
            )
        ]

    def active(self, drill_id: str) -> list[Any]:
        """The drill's alerts Alertmanager still lists as active."""
        alerts = get_json(f"{self.url}/api/v2/alerts")
        return [a for a in alerts if a["labels"].get("drill_id") == drill_id]


def _base_config(webhook: str) -> dict[str, Any]:
    """The platform's base config: fast grouping; the fallback receiver is the local webhook too."""
    return {
        "route": {
            "receiver": "platform-default",
            "group_by": ["alertname", "service"],
            "group_wait": "1s",
            "group_interval": "1s",
            "repeat_interval": "1h",
        },
        "receivers": [{"name": "platform-default", "webhook_configs": [{"url": f"{webhook}/platform-default"}]}],
    }


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Webhook and Alertmanager running the config monaco applied; always stopped by PID."""
    binary = require_tool("prometheus-alertmanager")
    root = tmp_path_factory.mktemp("drill-am")
    webhook = WebhookReceiver()
    port = free_port()
    url = f"http://{LOCALHOST}:{port}"
    config_file = root / "alertmanager" / "alertmanager.yml"
    process = ManagedProcess(
        "alertmanager",
        [
            binary,
            f"--config.file={config_file}",
            f"--storage.path={root / 'alertmanager' / 'data'}",
            f"--web.listen-address={LOCALHOST}:{port}",
            "--cluster.listen-address=",
        ],
        root / "alertmanager.log",
    )
    with pytest.MonkeyPatch.context() as env, stopping(webhook, process):
        env.setenv(PAGER_KEY_ENV, "drill-test-not-a-real-key")
        webhook.start()
        write_specs(root / "specs", webhook.url)
        write_specs(root / "specs-with-chat", webhook.url, chat_route=True)
        (root / "base.yml").write_text(json.dumps(_base_config(webhook.url)), encoding="utf-8")
        config = {"config_file": "../alertmanager/alertmanager.yml", "base_config": "../base.yml"}
        write_targets(root / "bootstrap", target_doc("am", "alertmanager", config))
        write_targets(root / "targets", target_doc("am", "alertmanager", {**config, "url": url}))
        applied = monaco("apply", "--auto-approve", "--specs", root / "specs", "--targets", root / "bootstrap")
        assert applied.returncode == 0, applied.stdout + applied.stderr
        process.start()
        process.wait_ready(f"{url}/-/ready")
        yield Stack(root, url, webhook)


def test_a_drill_reaches_the_routed_receiver_and_is_resolved(stack: Stack) -> None:
    """Exit 0; the webhook behind pay-hook gets the drill alert firing, then resolved; nothing stays active."""
    result = stack.drill("--yes", "--format", "json", "--timeout", "20s", "--interval", "0.2")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    drill_id = report["drill_id"]
    assert report["ok"] and report["expected"] == [HOOK] and report["severity"] == "low"
    assert report["labels"]["drill"] == "true" and report["labels"]["alertname"] == "MonacoDrill"
    assert report["labels"]["service"] == SERVICE and report["labels"]["team"] == "payments"
    [row] = report["receivers"]
    assert row["receiver"] == HOOK and row["delivered"] and 0 <= row["seconds"] < 20
    assert any("resolved" in item for item in report["cleaned_up"])
    [firing] = poll("the webhook to get the drill", lambda: stack.drill_posts("/hook", drill_id), timeout=20)
    assert firing["receiver"] == HOOK
    assert firing["alerts"][0]["annotations"]["summary"].startswith("monaco drill of checkout")
    poll("the resolved drill at the webhook", lambda: stack.drill_posts("/hook", drill_id, "resolved"), timeout=20)
    assert stack.active(drill_id) == []
    assert not stack.drill_posts("/chat", drill_id) and not stack.drill_posts("/platform-default", drill_id)


def test_the_text_report_is_a_table_of_receivers(stack: Stack) -> None:
    """The default output names each receiver, whether it got the alert, and how long it took."""
    result = stack.drill("--yes", "--severity", "medium", "--timeout", "20s", "--interval", "0.2")
    assert result.returncode == 0, result.stdout + result.stderr
    row = next(line.split() for line in result.stdout.splitlines() if line.strip().startswith(HOOK))
    assert row[:3] == [HOOK, "yes", "yes"] and row[3].endswith("s")
    assert "1 of 1 expected receivers got the drill alert." in result.stdout


def test_a_receiver_that_never_gets_it_fails_within_the_timeout(stack: Stack) -> None:
    """Specs that add pay-chat, not applied: the live tree never gives it the alert; exit 1 after ~3 s, not forever."""
    started = time.monotonic()
    result = stack.drill("--yes", "--format", "json", "--timeout", "3s", "--interval", "0.2", specs="specs-with-chat")
    took = time.monotonic() - started
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(result.stdout)
    rows = {r["receiver"]: r for r in report["receivers"]}
    assert rows[HOOK]["delivered"] and not rows[CHAT]["delivered"] and rows[CHAT]["seconds"] is None
    assert "within 3s" in rows[CHAT]["detail"]
    assert 3 <= took < 30
    assert stack.active(report["drill_id"]) == []
    time.sleep(2)  # group_wait is 1s: a wrong delivery to /chat would have arrived by now
    assert not stack.drill_posts("/chat", report["drill_id"])


def test_without_yes_outside_a_terminal_nothing_is_sent(stack: Stack) -> None:
    """stdin is /dev/null: MON451, exit 1, and Alertmanager holds no drill alert."""
    before = [a for a in get_json(f"{stack.url}/api/v2/alerts") if a["labels"].get("drill") == "true"]
    result = stack.drill()
    assert result.returncode == 1
    assert "MON451" in result.stderr and "--yes" in result.stderr
    after = [a for a in get_json(f"{stack.url}/api/v2/alerts") if a["labels"].get("drill") == "true"]
    assert after == before == []


def test_a_paging_drill_is_refused_unless_the_spec_allows_it(stack: Stack) -> None:
    """Severity critical routes to PagerDuty and pages: MON452, exit 1, nothing posted."""
    result = stack.drill("--yes", "--severity", "critical", "--format", "json")
    assert result.returncode == 1
    assert "MON452" in result.stderr and "pay-pager" in result.stderr
    assert json.loads(result.stdout)["drill_id"] is None
    assert [a for a in get_json(f"{stack.url}/api/v2/alerts") if a["labels"].get("drill") == "true"] == []


def test_an_unknown_service_or_severity_is_a_diagnostic(stack: Stack) -> None:
    """MON453 for a service the target does not select, MON458 for a severity outside the closed set."""
    unknown = stack.drill("--yes", "--service", "nope")
    assert unknown.returncode == 1 and "MON453" in unknown.stderr and SERVICE in unknown.stderr
    wrong = stack.drill("--yes", "--severity", "urgent")
    assert wrong.returncode == 1 and "MON458" in wrong.stderr
