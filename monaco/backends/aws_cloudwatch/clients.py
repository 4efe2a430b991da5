"""boto3 clients for one target, with call counting, a write-rate limiter and retries on throttling.

boto3 is imported here only, inside functions, so loading monaco (or `monaco --help`) never pays for it.
botocore's own retries are turned off (one attempt) so that every retry is monaco's, counted and backed
off the same way whether AWS or a test hook produced the throttling error.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from monaco.backends.aws_cloudwatch.config import CloudWatchConfig

RETRYABLE = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "RequestThrottled",
        "RequestThrottledException",
        "SlowDown",
        "ServiceUnavailable",
        "InternalFailure",
        "InternalServiceError",
        "RequestTimeout",
    }
)
WRITES = frozenset(
    {
        "PutMetricAlarm",
        "PutCompositeAlarm",
        "DeleteAlarms",
        "TagResource",
        "UntagResource",
        "CreateTopic",
        "DeleteTopic",
        "Subscribe",
        "Unsubscribe",
    }
)


class RateLimiter:
    """At most `rate` acquisitions per second across threads (a token bucket of one token)."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = 1.0 / rate
        self._next = 0.0
        self._lock = threading.Lock()
        self._clock = clock

    def acquire(self) -> None:
        """Block until the next call may start."""
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            time.sleep(start - now)


def error_code(exc: BaseException) -> str:
    """The AWS error code of a botocore ClientError (empty for other exceptions)."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def is_retryable(exc: BaseException) -> bool:
    """True for throttling, transient server errors and dropped connections."""
    if error_code(exc) in RETRYABLE:
        return True
    response = getattr(exc, "response", None)
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) if isinstance(response, dict) else 0
    return int(status or 0) >= 500 or type(exc).__name__ in ("EndpointConnectionError", "ReadTimeoutError")


@dataclass(slots=True)
class Clients:
    """The CloudWatch, SNS and Resource Groups Tagging clients of one target, and what they were asked."""

    cloudwatch: Any
    sns: Any
    tagging: Any
    max_attempts: int = 6
    backoff_seconds: float = 0.5
    limiter: RateLimiter | None = None
    calls: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, client: str, operation: str, **params: Any) -> dict[str, Any]:
        """Call `operation` (PascalCase) on `client`, retrying throttling with jittered exponential backoff."""
        method = getattr(getattr(self, client), _snake(operation))
        for attempt in range(1, self.max_attempts + 1):
            if self.limiter is not None and operation in WRITES:
                self.limiter.acquire()
            with self._lock:
                self.calls[operation] += 1
            try:
                result: dict[str, Any] = method(**params)
                return result
            except Exception as exc:
                if attempt == self.max_attempts or not is_retryable(exc):
                    raise
                with self._lock:
                    self.retries += 1
                delay = min(20.0, self.backoff_seconds * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
                time.sleep(delay)
        raise AssertionError("unreachable")

    @property
    def total(self) -> int:
        """API calls made so far, retries included."""
        return sum(self.calls.values())


def converge_tags(clients: Clients, arn: str, old: dict[str, str], new: dict[str, str]) -> None:
    """Make a CloudWatch resource's tags `new` from `old`: untag what went, tag what is new or changed."""
    stale = sorted(k for k in old if k not in new)
    if stale:
        clients.call("cloudwatch", "UntagResource", ResourceARN=arn, TagKeys=stale)
    changed = [{"Key": k, "Value": v} for k, v in new.items() if old.get(k) != v]
    if changed:
        clients.call("cloudwatch", "TagResource", ResourceARN=arn, Tags=changed)


def _snake(operation: str) -> str:
    out = []
    for i, ch in enumerate(operation):
        if ch.isupper() and i and not operation[i - 1].isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def make_session(config: CloudWatchConfig) -> Any:
    """A boto3 session for the target: its profile, then its role assumed when one is configured."""
    import boto3

    session = boto3.Session(profile_name=config.profile, region_name=config.region)
    if config.role_arn is None:
        return session
    sts = session.client("sts", endpoint_url=config.endpoint_url)
    creds = sts.assume_role(RoleArn=config.role_arn, RoleSessionName="monaco")["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=config.region,
    )


def make_clients(config: CloudWatchConfig, session: Any = None) -> Clients:
    """Clients for the target, on `session` (default: `make_session(config)`)."""
    from botocore.config import Config

    session = session if session is not None else make_session(config)
    botocore_config = Config(
        retries={"total_max_attempts": 1},
        max_pool_connections=max(10, 2 * config.max_concurrency),
        connect_timeout=10,
        read_timeout=30,
    )

    def client(name: str) -> Any:
        return session.client(name, region_name=config.region, endpoint_url=config.endpoint_url, config=botocore_config)

    return Clients(
        client("cloudwatch"),
        client("sns"),
        client("resourcegroupstaggingapi"),
        max_attempts=config.max_attempts,
        backoff_seconds=config.backoff_seconds,
        limiter=RateLimiter(config.max_rate),
    )
