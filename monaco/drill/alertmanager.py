"""Drilling a live Alertmanager: post the alert, read which receiver groups hold it, then resolve it.

API shapes from Alertmanager's OpenAPI v2 spec (api/v2/openapi.yaml): `POST /api/v2/alerts` takes a list of
postableAlert (labels, annotations, startsAt, endsAt); `GET /api/v2/alerts/groups` returns alertGroup objects
(`receiver.name`, `alerts[].labels`) and takes repeatable `filter` matchers; an alert whose endsAt has passed is
resolved and no longer listed by `GET /api/v2/alerts`.
"""

from __future__ import annotations

import datetime
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from monaco.diagnostics import Diagnostic, Level
from monaco.drill.codes import CLEANUP_FAILED, NO_LIVE_ENDPOINT, SEND_FAILED, UNEXPECTED_RECEIVER
from monaco.drill.contract import DRILL_LABEL, Delivery, DrillAlert, DrillResult, DrillWait, elapsed_since
from monaco.spec.types import parse_duration
from monaco.spec.yaml_data import YamlReadError, load_one_yaml

DEFAULT_GROUP_WAIT = 30.0
"""Alertmanager's group_wait when the root route sets none (docs: configuration, <route>)."""
REQUEST_SECONDS = 5.0
"""Each HTTP request's timeout; the drill as a whole is bounded by its DrillWait."""


def _stamp(moment: datetime.datetime) -> str:
    """RFC 3339 in UTC, as the API's date-time fields take it."""
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _call(method: str, url: str, body: Any = None) -> tuple[int, Any]:
    """(status, parsed JSON or None) of one request; status 0 when nothing answers."""
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if data is not None else {}
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=REQUEST_SECONDS) as resp:
            text = resp.read().decode("utf-8", "replace")
            status = int(resp.status)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")[:300]
    except (urllib.error.URLError, OSError) as exc:
        return 0, str(exc)
    try:
        return status, json.loads(text) if text.strip() else None
    except ValueError:
        return status, text[:300]


def _postable(alert: DrillAlert, starts: datetime.datetime, ends: datetime.datetime) -> list[dict[str, Any]]:
    """The one-alert body of `POST /api/v2/alerts`."""
    return [
        {
            "labels": alert.labels,
            "annotations": alert.annotations,
            "startsAt": _stamp(starts),
            "endsAt": _stamp(ends),
        }
    ]


def _filter_query(alert: DrillAlert) -> str:
    """`?filter=drill_id="..."`: only this drill's alert (matcher syntax as amtool's)."""
    return "?" + urllib.parse.urlencode({"filter": f'{DRILL_LABEL}_id="{alert.drill_id}"'})


def _receivers_holding(groups: Any, alert: DrillAlert) -> set[str]:
    """Names of the receivers whose groups hold the drill alert."""
    found: set[str] = set()
    for group in groups if isinstance(groups, list) else []:
        alerts = group.get("alerts") if isinstance(group, dict) else None
        receiver = group.get("receiver", {}).get("name") if isinstance(group, dict) else None
        for item in alerts if isinstance(alerts, list) else []:
            if isinstance(item, dict) and item.get("labels", {}).get(f"{DRILL_LABEL}_id") == alert.drill_id:
                found.add(str(receiver))
    return found


def _watch(base: str, alert: DrillAlert, wait: DrillWait, started: float) -> dict[str, float]:
    """Receiver -> seconds until its group held the alert; polls until every expected one has it or time is up."""
    seen: dict[str, float] = {}
    deadline = started + wait.timeout
    while True:
        status, groups = _call("GET", f"{base}/api/v2/alerts/groups{_filter_query(alert)}")
        if status == 200:
            for name in _receivers_holding(groups, alert):
                seen.setdefault(name, elapsed_since(started))
        if set(alert.expected) <= set(seen) or time.monotonic() >= deadline:
            return seen
        time.sleep(max(0.0, min(wait.interval, deadline - time.monotonic())))


def _resolve(base: str, alert: DrillAlert, starts: datetime.datetime, wait: DrillWait) -> Diagnostic | None:
    """Post the alert again ending now, then check it is no longer active; a problem is MON457."""
    now = datetime.datetime.now(datetime.UTC)
    status, answer = _call("POST", f"{base}/api/v2/alerts", _postable(alert, starts, now))
    deadline = time.monotonic() + min(wait.timeout, 10.0)
    while status == 200:
        listed, alerts = _call("GET", f"{base}/api/v2/alerts{_filter_query(alert)}")
        if listed == 200 and isinstance(alerts, list) and not alerts:
            return None
        if time.monotonic() >= deadline:
            answer = "it is still listed as active"
            break
        time.sleep(wait.interval)
    return Diagnostic(
        CLEANUP_FAILED,
        f"the drill alert {alert.drill_id} may still be active on Alertmanager at {base}: {answer}",
        hint="it ends by itself at its endsAt; or post it again with endsAt set to now",
        level=Level.WARNING,
    )


def _walk_group_waits(route: Any, inherited: float) -> list[float]:
    """Every route's effective group_wait (a child inherits its parent's), in seconds."""
    if not isinstance(route, dict):
        return []
    text = route.get("group_wait")
    own = float(parse_duration(text)) if isinstance(text, str) else inherited
    found = route.get("routes")
    children: list[Any] = found if isinstance(found, list) else []
    return [own, *(w for child in children for w in _walk_group_waits(child, own))]


def notify_hold(base: str) -> float:
    """How long the alert stays firing after it reaches its groups: the served tree's longest group_wait (a
    notification goes out only after it), Alertmanager's default 30s when the config cannot be read."""
    status, answer = _call("GET", f"{base}/api/v2/status")
    original = answer.get("config", {}).get("original") if status == 200 and isinstance(answer, dict) else None
    try:
        tree = (load_one_yaml(original) or {}).get("route") if isinstance(original, str) else None
        waits = _walk_group_waits(tree, DEFAULT_GROUP_WAIT)
    except (YamlReadError, ValueError, AttributeError):
        waits = []
    return max(waits, default=DEFAULT_GROUP_WAIT) + 1.0


def drill_alertmanager(url: str | None, alert: DrillAlert, wait: DrillWait) -> DrillResult:
    """Post `alert` to the Alertmanager at `url`, see which receivers' groups hold it, then resolve it."""
    result = DrillResult()
    if url is None:
        result.diagnostics.append(
            Diagnostic(NO_LIVE_ENDPOINT, "this alertmanager target has no `url`: there is no live server to drill")
        )
        return result
    base = url.rstrip("/")
    starts = datetime.datetime.now(datetime.UTC)
    started = time.monotonic()
    ends = starts + datetime.timedelta(seconds=wait.timeout + 60)
    status, answer = _call("POST", f"{base}/api/v2/alerts", _postable(alert, starts, ends))
    if status != 200:
        result.diagnostics.append(
            Diagnostic(SEND_FAILED, f"Alertmanager at {base} did not take the drill alert: {status or ''} {answer}")
        )
        return result
    hold = notify_hold(base)
    seen = _watch(base, alert, wait, started)
    if seen:
        until = min(started + min(seen.values()) + hold, started + wait.timeout)
        time.sleep(max(0.0, until - time.monotonic()))
        result.cleaned_up.append(f"held the alert firing {hold:g}s for the notifications to go out")
    for name in alert.expected:
        got = name in seen
        detail = "" if got else f"no group of this receiver held the alert within {wait.timeout:g}s"
        result.deliveries.append(Delivery(name, got, seen.get(name), True, detail))
    for name in sorted(set(seen) - set(alert.expected)):
        result.deliveries.append(Delivery(name, True, seen[name], False, "not a receiver the routes give this alert"))
        result.diagnostics.append(
            Diagnostic(
                UNEXPECTED_RECEIVER,
                f"the drill alert reached receiver {name!r}, which the spec's routes do not give it",
                hint="the live configuration differs from the specs: run monaco plan",
                level=Level.WARNING,
            )
        )
    problem = _resolve(base, alert, starts, wait)
    if problem is None:
        result.cleaned_up.append(f"resolved alert {alert.drill_id}")
    else:
        result.diagnostics.append(problem)
    return result
