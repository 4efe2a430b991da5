"""The CloudWatch apply lock on moto: busy with the holder named, stale takeover, release, renewal, exclusion.

The lock is holder tags on the SNS topic `<topic_prefix>apply_lock`, written and read back after a
settle delay (see `monaco.backends.aws_cloudwatch.apply_lock`); these tests use a short settle delay.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from typing import Any

import pytest

from monaco.backends.aws_cloudwatch.apply_lock import RENEWED, LockError, TopicLock
from monaco.backends.lock import LockBusy
from tests.aws import builders as b
from tests.aws.conftest import ACCOUNT, REGION, Aws
from tests.aws.test_faults import FailNth

LOCK_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:monaco-apply_lock"


def _target(aws: Aws, **config: Any) -> Any:
    svc = b.service(alerts=(b.alert("HighCPU"),))
    return b.target(aws.config(**{"lock_settle_seconds": 0.1, **config}), svc)


def _lock_tags(aws: Aws) -> dict[str, str]:
    tags = aws.client("sns").list_tags_for_resource(ResourceArn=LOCK_ARN)["Tags"]
    return {t["Key"]: t["Value"] for t in tags}


def _topics(aws: Aws) -> set[str]:
    return {t["TopicArn"] for t in aws.client("sns").list_topics()["Topics"]}


def _plant(aws: Aws, user: str, host: str, pid: int, renewed_ago: float) -> None:
    """A lock topic as another holder would have left it."""
    now = time.time()
    tags = {
        "monaco:lock-token": "f" * 32,
        "monaco:lock-user": user,
        "monaco:lock-host": host,
        "monaco:lock-pid": str(pid),
        "monaco:lock-since": f"{now - renewed_ago - 60:.3f}",
        "monaco:lock-renewed": f"{now - renewed_ago:.3f}",
    }
    aws.client("sns").create_topic(Name="monaco-apply_lock", Tags=[{"Key": k, "Value": v} for k, v in tags.items()])


def test_second_lock_is_busy_within_the_timeout_and_names_the_holder(aws: Aws) -> None:
    target = _target(aws)
    with aws.backend().lock(target, 0, lambda line: None):
        assert LOCK_ARN in _topics(aws)
        assert _lock_tags(aws)["monaco:lock-pid"] == str(os.getpid())
        notices: list[str] = []
        started = time.monotonic()
        with pytest.raises(LockBusy) as busy, aws.backend().lock(target, 1.5, notices.append):
            pytest.fail("the second lock must not be taken")
        waited = time.monotonic() - started
        assert 1.5 <= waited < 4
        message = str(busy.value)
        assert f"@{socket.gethostname()} (pid {os.getpid()}, monaco apply) for " in message
        assert "target aws-prod (lock topic monaco-apply_lock)" in message and "; waited " in message
        assert notices and notices[0].startswith("waiting for the lock of target aws-prod")
    assert LOCK_ARN not in _topics(aws)  # released: the topic is gone
    with aws.backend().lock(target, 0, lambda line: None):
        pass


def test_stale_lock_is_taken_over_with_a_notice(aws: Aws) -> None:
    _plant(aws, "ghost", "elsewhere", 4242, renewed_ago=1000)
    notices: list[str] = []
    with aws.backend().lock(_target(aws), 0, notices.append):
        assert _lock_tags(aws)["monaco:lock-pid"] == str(os.getpid())
    assert any("stale lock" in n and "ghost@elsewhere (pid 4242" in n and "not renewed for" in n for n in notices)
    assert LOCK_ARN not in _topics(aws)


def test_lock_of_an_ended_process_on_this_host_is_stale(aws: Aws) -> None:
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    _plant(aws, "someone", socket.gethostname(), int(ended.stdout), renewed_ago=0)
    notices: list[str] = []
    with aws.backend().lock(_target(aws), 0, notices.append):
        pass
    assert any("that process has ended" in n for n in notices)


def test_live_lock_of_another_holder_is_not_taken_over(aws: Aws) -> None:
    _plant(aws, "alice", "ci-7", 77, renewed_ago=5)
    with (
        pytest.raises(LockBusy, match=r"alice@ci-7 \(pid 77, monaco apply\) for 6\ds"),
        aws.backend().lock(_target(aws), 0, lambda line: None),
    ):
        pytest.fail("a live holder's lock must not be taken")
    assert _lock_tags(aws)["monaco:lock-user"] == "alice"  # left as it was


def test_held_lock_is_renewed(aws: Aws) -> None:
    with aws.backend().lock(_target(aws, lock_ttl_seconds=5), 0, lambda line: None):
        first = float(_lock_tags(aws)[RENEWED])
        time.sleep(1.6)  # renewal every TTL/4 = 1.25s
        assert float(_lock_tags(aws)[RENEWED]) > first


def test_lock_topic_is_never_part_of_a_plan(aws: Aws) -> None:
    target = _target(aws)
    svc = target.selected[0]
    aws.converge(b.model(svc), target)
    with aws.backend().lock(target, 0, lambda line: None):
        live = aws.backend().read_live(target)
        assert not [r for r in live.resources if "apply_lock" in r.name]
        assert aws.plan(b.model(svc), target)[0].changes == []
        empty = b.service(service_routes=())
        plan, _ = aws.plan(b.model(empty), b.target(aws.config(), empty))
        assert plan.changes and not [c for c in plan.changes if "apply_lock" in c.key]


def test_concurrent_holders_never_overlap(aws: Aws) -> None:
    target = _target(aws, lock_settle_seconds=0.3)
    inside, overlaps, rounds = [0], [0], []
    guard = threading.Lock()

    def worker() -> None:
        for _ in range(3):
            with aws.backend().lock(target, 30, lambda line: None):  # own clients, as two applies have
                with guard:
                    inside[0] += 1
                    overlaps[0] += inside[0] > 1
                time.sleep(0.05)
                with guard:
                    inside[0] -= 1
                rounds.append(1)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(rounds) == 6 and overlaps == [0]


def test_topic_lock_reads_nothing_when_absent(aws: Aws) -> None:
    config = aws.config()
    assert TopicLock(aws.make_clients(config), config, "aws-prod").read() is None


def test_aws_error_while_locking_is_a_lock_error_not_a_traceback(aws: Aws) -> None:
    aws.hooks.append(("before-call.sns.ListTagsForResource", FailNth({1}, "AuthorizationError", 403)))
    with (
        pytest.raises(LockError, match=r"lock topic monaco-apply_lock.*AuthorizationError"),
        aws.backend().lock(_target(aws), 0, lambda line: None),
    ):
        pytest.fail("no lock was taken")
    assert issubclass(LockError, OSError)  # the engine reports it as "cannot take the apply lock"
