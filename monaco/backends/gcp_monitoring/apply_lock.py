"""The apply lock of a gcp_monitoring target: a Service Monitoring service whose create is the atomic claim.

Services have client-chosen ids and CreateService answers ALREADY_EXISTS when the id is taken, so the lock is
the custom service `<service_prefix>monaco-lock-<target>`: its display name records the holder (user, host,
pid, since) and its user labels a random token and the last renewal (epoch seconds). It carries no ownership
label, so `read_live` never lists it and it never appears in a plan.

1. CreateService: created, the lock is held. ALREADY_EXISTS: read it; our own token (a create whose reply was
   lost) means held; a holder not renewed for `lock_ttl_seconds`, or one on this host whose process has ended,
   is stale: deleted with a notice, then claimed again; any other holder is waited for (polling) until
   `timeout`, then LockBusy names it.
2. While held, a thread renews the label every TTL/4 (only while the token is still ours).
3. Release: delete the service when the token is still ours; otherwise a notice that it was taken over.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from monaco.backends.base import Notice
from monaco.backends.gcp_monitoring.clients import Clients
from monaco.backends.gcp_monitoring.config import GcpConfig, resource_id
from monaco.backends.lock import LockBusy, LockHolder

TOKEN_LABEL = "monaco_lock_token"
RENEWED_LABEL = "monaco_lock_renewed"
HOLDER_PREFIX = "monaco apply lock held by "
POLL_SECONDS = 0.5


class LockError(OSError):
    """The lock service could not be read or written (an API error): no lock was taken."""


def lock_name(config: GcpConfig, target: str) -> tuple[str, str]:
    """The lock service's id and full name for `target`."""
    service_id = resource_id(f"{config.service_prefix}monaco-lock-{target}")
    return service_id, f"{config.parent}/services/{service_id}"


def _holder(service: Any) -> LockHolder | None:
    """The holder recorded in a lock service's display name, or None when it is not a lock's."""
    text = str(service.display_name)
    if not text.startswith(HOLDER_PREFIX):
        return None
    try:
        return LockHolder(**json.loads(text.removeprefix(HOLDER_PREFIX)))
    except (ValueError, TypeError):
        return None


def _is_stale(service: Any, ttl: float) -> bool:
    """True when the lock was not renewed for `ttl` seconds, or its holder's process on this host has ended."""
    holder = _holder(service)
    renewed = float(service.user_labels.get(RENEWED_LABEL, "0") or 0)
    return holder is None or time.time() - renewed > ttl or not holder.is_alive()


class ServiceLock:
    """One claim on a target's lock service (see the module docstring)."""

    def __init__(self, clients: Clients, config: GcpConfig, target: str, notice: Notice) -> None:
        self.clients, self.config, self.target, self.notice = clients, config, target, notice
        self.service_id, self.name = lock_name(config, target)
        self.token = uuid.uuid4().hex
        self.stop = threading.Event()

    def _message(self) -> Any:
        from google.cloud import monitoring_v3

        labels = {TOKEN_LABEL: self.token, RENEWED_LABEL: str(int(time.time()))}
        display = HOLDER_PREFIX + json.dumps(asdict(LockHolder.me()), sort_keys=True)
        return monitoring_v3.Service(display_name=display, custom=monitoring_v3.Service.Custom(), user_labels=labels)

    def _current(self) -> Any:
        """The lock service now, or None."""
        try:
            return self.clients.call("services", "get_service", name=self.name)
        except Exception as exc:
            if type(exc).__name__ == "NotFound":
                return None
            raise

    def claim(self, timeout: float) -> None:
        """Hold the lock, taking over a stale one; LockBusy after `timeout` seconds of a live holder."""
        started = time.monotonic()
        request = {"parent": self.config.parent, "service_id": self.service_id, "service": self._message()}
        while True:
            try:
                self.clients.call("services", "create_service", request=request)
                return
            except Exception as exc:
                if type(exc).__name__ != "AlreadyExists":
                    raise
            current = self._current()
            if current is None:
                continue
            if current.user_labels.get(TOKEN_LABEL) == self.token:
                return
            if _is_stale(current, self.config.lock_ttl_seconds):
                holder = _holder(current)
                self.notice(f"taking over the stale apply lock of target {self.target} ({_describe(holder)})")
                self._delete()
                continue
            waited = time.monotonic() - started
            if waited >= timeout:
                raise LockBusy(f"target {self.target}", _holder(current), waited)
            time.sleep(min(POLL_SECONDS, max(0.0, timeout - waited)))

    def renew_until_stopped(self) -> None:
        """Renew the lock's label every TTL/4 while it is still ours."""
        while not self.stop.wait(self.config.lock_ttl_seconds / 4):
            current = self._current()
            if current is None or current.user_labels.get(TOKEN_LABEL) != self.token:
                return
            current.user_labels[RENEWED_LABEL] = str(int(time.time()))
            self.clients.call("services", "update_service", request={"service": current})

    def _delete(self) -> None:
        try:
            self.clients.call("services", "delete_service", name=self.name)
        except Exception as exc:
            if type(exc).__name__ != "NotFound":
                raise

    def release(self) -> None:
        """Delete the lock if it is still ours, else say it was taken over."""
        current = self._current()
        if current is not None and current.user_labels.get(TOKEN_LABEL) == self.token:
            self._delete()
        else:
            self.notice(f"the apply lock of target {self.target} was taken over while this apply held it")


def _describe(holder: LockHolder | None) -> str:
    return holder.describe() if holder is not None else "an unknown holder"


@contextlib.contextmanager
def service_lock(clients: Clients, config: GcpConfig, target: str, timeout: float, notice: Notice) -> Iterator[None]:
    """Hold the target's apply lock for the block; LockBusy after `timeout`, LockError on an API error."""
    lock = ServiceLock(clients, config, target, notice)
    try:
        lock.claim(timeout)
    except LockBusy:
        raise
    except Exception as exc:
        raise LockError(f"target {target}: {type(exc).__name__}: {getattr(exc, 'message', exc)}") from exc
    renewer = threading.Thread(target=lock.renew_until_stopped, name=f"gcp-lock-{target}", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        lock.stop.set()
        renewer.join(timeout=config.timeout_seconds * config.max_attempts)
        try:
            lock.release()
        except Exception as exc:  # the lock expires by its TTL; the apply's outcome is already decided
            notice(f"could not release the apply lock of target {target}: {type(exc).__name__}")
