"""A best-effort apply lock for a CloudWatch target: holder tags on an SNS topic, written, then read back.

CloudWatch and SNS offer no compare-and-swap, so the lock is a protocol on the tags of one SNS topic,
`<topic_prefix>apply_lock` (its `_` keeps it apart from every receiver's topic; it carries no owner
marker, and `read_live` never reads it, so it never appears in a plan):

1. Read the topic's tags. No topic, or no holder tags: free. A holder whose `monaco:lock-renewed`
   time is older than `lock_ttl_seconds`, or that ran on this host in a process that has ended, is
   stale and is taken over, with a notice naming it. Any other holder: poll (about once a second)
   until `timeout`, then raise LockBusy naming the holder and how long it has held the lock.
2. Claim: `CreateTopic` with this holder's tags (AWS refuses it when the topic exists with other
   tags), then `TagResource` with the same tags (a stale takeover; moto ignores tags on an existing
   topic).
3. Wait `lock_settle_seconds` and read the tags back: the claimer that reads back its own random
   token holds the lock; the others wait as in 1. Claims that overlap end with the last writer's token.
4. While held, a thread renews `monaco:lock-renewed` every TTL/4 (after checking that the token is
   still its own), so a long apply is not taken over as stale.
5. Release: if the token is still its own, `DeleteTopic`; otherwise a notice that it was taken over.

Limits (best effort, not mutual exclusion): a claimer whose write lands more than the settle delay
after its read can still hold the lock beside another; tag reads are eventually consistent; clocks
more than a TTL apart make a live holder look stale; a holder that cannot renew for a TTL loses the
lock without stopping. Two targets share a lock exactly when they share a name prefix.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from monaco.backends.aws_cloudwatch.clients import Clients, error_code
from monaco.backends.aws_cloudwatch.config import CloudWatchConfig, tag_value
from monaco.backends.aws_cloudwatch.normalize import canonical_tags
from monaco.backends.lock import LockBusy, LockHolder

LOCK_TAG = "monaco:lock"
TOKEN, USER, HOST, PID = "monaco:lock-token", "monaco:lock-user", "monaco:lock-host", "monaco:lock-pid"
SINCE, RENEWED, OPERATION = "monaco:lock-since", "monaco:lock-renewed", "monaco:lock-operation"
POLL_SECONDS = 1.0
NOT_FOUND = frozenset({"NotFound", "ResourceNotFound", "ResourceNotFoundException"})
Notice = Callable[[str], None]


class LockError(OSError):
    """The lock topic could not be read or written (an AWS error): no lock was taken."""


@dataclass(frozen=True, slots=True)
class LockRecord:
    """What the lock topic's tags say: the holder's token, who it is, and when it last renewed."""

    token: str
    holder: LockHolder
    renewed: float


def _number(text: str | None) -> float:
    try:
        return float(text or 0)
    except ValueError:
        return 0.0


class TopicLock:
    """One target's apply lock on the tags of its lock topic."""

    def __init__(self, clients: Clients, config: CloudWatchConfig, target: str, operation: str = "apply") -> None:
        self.clients, self.config = clients, config
        self.name = config.lock_topic_name
        self.arn = config.topic_arn(self.name)
        self.what = f"target {target} (lock topic {self.name})"
        self.me = LockHolder.me(operation)
        self.token = uuid.uuid4().hex

    def read(self) -> LockRecord | None:
        """The current holder, or None when the topic or its holder tags are absent."""
        try:
            page = self.clients.call("sns", "ListTagsForResource", ResourceArn=self.arn)
        except Exception as exc:
            if error_code(exc) in NOT_FOUND:
                return None
            raise
        tags = canonical_tags(page.get("Tags"))
        if not tags.get(TOKEN):
            return None
        pid = int(_number(tags.get(PID)))
        since = _number(tags.get(SINCE))
        holder = LockHolder(tags.get(USER, "?"), tags.get(HOST, "?"), pid, since, tags.get(OPERATION, "apply"))
        return LockRecord(tags[TOKEN], holder, _number(tags.get(RENEWED)))

    def _tags(self) -> list[dict[str, str]]:
        me, now = self.me, f"{time.time():.3f}"
        values = {
            LOCK_TAG: tag_value(f"apply lock of {self.config.name_prefix}"),
            TOKEN: self.token,
            USER: tag_value(me.user),
            HOST: tag_value(me.host),
            PID: str(me.pid),
            SINCE: f"{me.since:.3f}",
            RENEWED: now,
            OPERATION: tag_value(me.operation),
        }
        return [{"Key": k, "Value": v} for k, v in values.items()]

    def claim(self) -> None:
        """Write this holder's tags on the lock topic, creating it when absent."""
        tags = self._tags()
        try:
            self.clients.call("sns", "CreateTopic", Name=self.name, Tags=tags)
        except Exception as exc:
            if error_code(exc) != "InvalidParameter":  # AWS: the topic exists with other tags
                raise
        self.clients.call("sns", "TagResource", ResourceArn=self.arn, Tags=tags)

    def is_stale(self, record: LockRecord) -> str | None:
        """Why `record`'s holder no longer holds the lock, or None while it does."""
        idle = time.time() - record.renewed
        if idle > self.config.lock_ttl_seconds:
            return f"not renewed for {idle:.0f}s (TTL {self.config.lock_ttl_seconds:g}s)"
        if not record.holder.is_alive():
            return "that process has ended"
        return None

    def acquire(self, timeout: float, notice: Notice) -> LockHolder:
        """Take the lock, waiting up to `timeout` seconds; raise LockBusy when it stays held."""
        started = time.monotonic()
        announced = False
        while True:
            current = self.read()
            if current is not None and (why := self.is_stale(current)) is not None:
                notice(f"taking over the stale lock of {self.what} left by {current.holder.describe()}: {why}")
                current = None
            if current is None:
                self.claim()
                time.sleep(self.config.lock_settle_seconds)
                current = self.read()
                if current is not None and current.token == self.token:
                    return self.me
            waited = time.monotonic() - started
            if waited >= timeout:
                raise LockBusy(self.what, current.holder if current else None, waited)
            if not announced and current is not None:
                notice(f"waiting for the lock of {self.what}, held by {current.holder.describe()}")
                announced = True
            time.sleep(min(POLL_SECONDS, max(0.0, timeout - waited)))

    def renew(self, notice: Notice) -> bool:
        """Refresh the renewal time; False (with a notice) when the lock is no longer this holder's."""
        current = self.read()
        if current is None or current.token != self.token:
            who = current.holder.describe() if current else "nobody"
            notice(f"the lock of {self.what} was taken over (now held by {who}); this apply no longer holds it")
            return False
        renewed = [{"Key": RENEWED, "Value": f"{time.time():.3f}"}]
        self.clients.call("sns", "TagResource", ResourceArn=self.arn, Tags=renewed)
        return True

    def release(self, notice: Notice) -> None:
        """Delete the lock topic if this holder still holds it; never raises."""
        try:
            current = self.read()
            if current is not None and current.token == self.token:
                self.clients.call("sns", "DeleteTopic", TopicArn=self.arn)
            elif current is not None:
                notice(f"the lock of {self.what} is now held by {current.holder.describe()}; left it in place")
        except Exception as exc:
            ttl = self.config.lock_ttl_seconds
            notice(f"could not release the lock of {self.what} ({exc}); it turns stale after {ttl:g}s")


def _renew_until(lock: TopicLock, stop: threading.Event, notice: Notice) -> None:
    """Renew `lock` every TTL/4 until `stop` is set or the lock is lost; AWS errors are notices."""
    while not stop.wait(lock.config.lock_ttl_seconds / 4):
        try:
            if not lock.renew(notice):
                return
        except Exception as exc:
            notice(f"could not renew the lock of {lock.what}: {exc}")


@contextlib.contextmanager
def topic_lock(
    clients: Clients, config: CloudWatchConfig, target: str, timeout: float, notice: Notice
) -> Iterator[LockHolder]:
    """Hold the target's apply lock for the block; LockBusy after `timeout`, LockError on an AWS error."""
    lock = TopicLock(clients, config, target)
    try:
        holder = lock.acquire(timeout, notice)
    except LockBusy:
        raise
    except Exception as exc:
        raise LockError(f"{lock.what}: {exc}") from exc
    stop = threading.Event()
    renewer = threading.Thread(target=_renew_until, args=(lock, stop, notice), name="monaco-lock-renew", daemon=True)
    renewer.start()
    try:
        yield holder
    finally:
        stop.set()
        renewer.join()
        lock.release(notice)
