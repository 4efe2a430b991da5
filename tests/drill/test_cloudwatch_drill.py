"""`monaco drill` on CloudWatch (moto on 127.0.0.1): a drill alarm monaco owns publishes to the routes' SNS topics.

Delivery is observed twice: monaco reads each topic's publish from an SQS queue it subscribes for the drill,
and the test's own webhook (the topic's HTTP subscription, as monaco applied it) records the notification.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.aws.conftest import ACCOUNT, REGION, Aws
from tests.drill import moto_alarm_actions
from tests.drill.workspace import CHAT, HOOK, PAGER_KEY_ENV, monaco, target_doc, write_specs, write_targets
from tests.e2e.live import WebhookReceiver, poll


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    """A recording HTTP server on 127.0.0.1, stopped after the test."""
    receiver = WebhookReceiver()
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()


@pytest.fixture
def workspace(aws: Aws, webhook: WebhookReceiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Specs with CloudWatch sources, a target on moto, applied; moto runs alarm actions."""
    moto_alarm_actions.install()
    monkeypatch.setenv(PAGER_KEY_ENV, "drill-test-not-a-real-key")
    write_specs(tmp_path / "specs", webhook.url, cloudwatch=True)
    write_specs(tmp_path / "specs-with-chat", webhook.url, cloudwatch=True, chat_route=True)
    config = {"region": REGION, "account_id": ACCOUNT, "endpoint_url": aws.endpoint, "backoff_seconds": 0.0}
    write_targets(tmp_path / "targets", target_doc("cw", "aws_cloudwatch", config))
    applied = monaco("apply", "--auto-approve", "--specs", tmp_path / "specs", "--targets", tmp_path / "targets")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    return tmp_path


def _drill(root: Path, *args: str, specs: str = "specs") -> Any:
    """`monaco drill --target cw --yes --format json ...`."""
    return monaco(
        "drill",
        "--specs",
        root / specs,
        "--targets",
        root / "targets",
        "--target",
        "cw",
        "--yes",
        "--format",
        "json",
        *args,
    )


def _sns_posts(webhook: WebhookReceiver, path: str, alarm_prefix: str) -> list[dict[str, Any]]:
    """SNS notifications the webhook got at `path` whose CloudWatch message names a drill alarm."""
    found = []
    for post in webhook.received():
        body = post["body"]
        if post["path"] == path and body.get("Type") == "Notification":
            message = json.loads(body["Message"])
            if str(message.get("AlarmName", "")).startswith(alarm_prefix):
                found.append(message)
    return found


def test_the_drill_alarm_publishes_to_the_routed_topic_and_is_deleted(
    aws: Aws, workspace: Path, webhook: WebhookReceiver
) -> None:
    """Exit 0; pay-hook's topic published (seen on SQS and at the webhook); no drill alarm, queue or sub left."""
    subscriptions_before = aws.client("sns").list_subscriptions()["Subscriptions"]
    result = _drill(workspace, "--timeout", "20s")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    [row] = report["receivers"]
    assert row["receiver"] == HOOK and row["delivered"] and 0 <= row["seconds"] < 20
    messages = poll("the SNS notification at the webhook", lambda: _sns_posts(webhook, "/hook", "monaco/_drill/"), 10)
    assert messages[0]["NewStateValue"] == "ALARM" and report["drill_id"] in messages[0]["AlarmName"]
    assert not [name for name in aws.alarms() if "_drill/" in name]
    assert aws.client("sqs").list_queues().get("QueueUrls", []) == []
    assert aws.client("sns").list_subscriptions()["Subscriptions"] == subscriptions_before
    assert any(item.startswith("deleted alarm monaco/_drill/checkout/") for item in report["cleaned_up"])


def test_a_receiver_without_its_topic_is_not_delivered_and_the_wait_is_bounded(
    aws: Aws, workspace: Path, webhook: WebhookReceiver
) -> None:
    """Specs adding pay-chat, not applied: its topic does not exist, so it is reported not delivered; exit 1."""
    result = _drill(workspace, "--timeout", "5s", specs="specs-with-chat")
    assert result.returncode == 1, result.stdout + result.stderr
    rows = {r["receiver"]: r for r in json.loads(result.stdout)["receivers"]}
    assert rows[HOOK]["delivered"] and not rows[CHAT]["delivered"]
    assert "apply the target first" in rows[CHAT]["detail"]
    assert not _sns_posts(webhook, "/chat", "monaco/_drill/")
    assert not [name for name in aws.alarms() if "_drill/" in name]
    assert aws.client("sqs").list_queues().get("QueueUrls", []) == []


def test_a_paging_severity_creates_nothing(aws: Aws, workspace: Path) -> None:
    """--severity critical reaches pay-pager (PagerDuty) and pages: MON452, exit 1, no alarm, no queue."""
    result = _drill(workspace, "--severity", "critical")
    assert result.returncode == 1 and "MON452" in result.stderr
    assert not [name for name in aws.alarms() if "_drill/" in name]
    assert aws.client("sqs").list_queues().get("QueueUrls", []) == []


def test_a_paging_severity_runs_only_when_the_settings_allow_paging(aws: Aws, workspace: Path) -> None:
    """Critical routed to pay-hook only (no PagerDuty, nothing leaves 127.0.0.1): refused for its severity, then
    drilled once `drill: {allow_paging: true}` is set."""
    write_specs(workspace / "no-pager", "http://127.0.0.1:9", cloudwatch=True, pager=False)
    refused = _drill(workspace, "--severity", "critical", specs="no-pager")
    assert refused.returncode == 1 and "severity critical pages" in refused.stderr
    allowed = {"allow_paging": True}
    write_specs(workspace / "no-pager", "http://127.0.0.1:9", cloudwatch=True, pager=False, drill=allowed)
    result = _drill(workspace, "--severity", "critical", "--timeout", "20s", specs="no-pager")
    assert result.returncode == 0, result.stdout + result.stderr
    assert [(r["receiver"], r["delivered"]) for r in json.loads(result.stdout)["receivers"]] == [(HOOK, True)]
