"""Executing a plan on CloudWatch and SNS: ownership re-checked, dependency order, batches, bounded concurrency.

Order: topics (alarms point at them); alarms being replaced are deleted; metric alarms (children) are
put before composite alarms (parents); then alarm mute rules are put (a rule names existing alarms
only) and deleted (before the alarms they name); then composites are deleted one per `DeleteAlarms`
call before metric alarms in batches of at most 100 names; topics last. Calls inside a step run concurrently (up
to `max_concurrency`, at most `max_rate` writes per second, throttling retried with backoff). When a
step has a failure, later steps are not started: deletes never run after a failed create, so nothing
owned is lost, and a re-run converges. The report says, per change, what was and was not applied.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from monaco.backends.aws_cloudwatch.clients import Clients, converge_tags, error_code
from monaco.backends.aws_cloudwatch.config import CloudWatchConfig
from monaco.backends.aws_cloudwatch.live import existing_alarm_names, owned_tags, ownership, prefixed_topic_arns
from monaco.backends.aws_cloudwatch.mute_live import delete_mute_rule, mute_rule_names, mute_rule_tags, put_mute_rule
from monaco.backends.aws_cloudwatch.normalize import ALARM, MUTE_RULE, TOPIC, canonical_tags, request_params
from monaco.backends.aws_cloudwatch.topic_apply import ApplyError, delete_topic, ensure_topic
from monaco.backends.base import ApplyReport, ChangeResult, SecretValue
from monaco.plan.model import Action, Change, Resource

DELETE_BATCH = 100
Progress = Callable[[str], None]


@dataclass(slots=True)
class Task:
    """One unit of work inside a step: the changes it carries out and the calls that do it."""

    changes: list[Change]
    run: Callable[[], str]
    what: str


def _not_ours_now(
    clients: Clients, config: CloudWatchConfig, change: Change, owned: dict[str, dict[str, str]], target: str
) -> str | None:
    """Why the object a change touches is no longer `target`'s (its tags, read now), or None when it still is."""
    resource = change.before
    assert resource is not None
    if resource.kind == MUTE_RULE:
        tags = mute_rule_tags(clients, config, resource.name)
    elif resource.kind == ALARM:
        arn = config.alarm_arn(resource.name)
        tags = owned.get(arn) or canonical_tags(
            clients.call("cloudwatch", "ListTagsForResource", ResourceARN=arn).get("Tags")
        )
    else:
        arn = config.topic_arn(resource.name)
        tags = owned.get(arn) or canonical_tags(clients.call("sns", "ListTagsForResource", ResourceArn=arn).get("Tags"))
    mine, holder = ownership(tags, target)
    if mine:
        return None
    if holder.startswith("target "):
        return f"refused: it now belongs to monaco {holder}"
    return "refused: it no longer carries monaco's managed-by marker"


def preflight(clients: Clients, config: CloudWatchConfig, changes: Sequence[Change], target: str) -> dict[str, str]:
    """Change key -> why it is refused: creating over an existing object, or touching one not `target`'s now."""
    refused: dict[str, str] = {}
    creates = [c for c in changes if c.action is Action.CREATE]
    alarm_names = sorted(c.resource.name for c in creates if c.resource.kind == ALARM)
    for name in sorted(existing_alarm_names(clients, alarm_names)) if alarm_names else []:
        refused[f"{ALARM}.{name}"] = "refused: an alarm of this name exists now and would be overwritten; re-plan"
    if any(c.resource.kind == TOPIC for c in creates):
        existing = {arn.rsplit(":", 1)[-1] for arn in prefixed_topic_arns(clients, config)}
        for change in creates:
            if change.resource.kind == TOPIC and change.resource.name in existing:
                refused[change.key] = "refused: a topic of this name exists now and would be adopted; re-plan"
    if any(c.resource.kind == MUTE_RULE for c in creates):
        rules = set(mute_rule_names(clients))
        for change in creates:
            if change.resource.kind == MUTE_RULE and change.resource.name in rules:
                refused[change.key] = "refused: a mute rule of this name exists now and would be overwritten; re-plan"
    touching = [c for c in changes if c.action is not Action.CREATE]
    if touching:
        owned = owned_tags(clients)
        for change in touching:
            if (why := _not_ours_now(clients, config, change, owned, target)) is not None:
                refused[change.key] = why
    return refused


def _alarm_type(resource: Resource | None) -> str:
    return str(resource.body.get("Type", "metric")) if resource is not None else ""


def _without_tags(body: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != "Tags"}


def _put_alarm(clients: Clients, config: CloudWatchConfig, change: Change) -> str:
    after = change.after
    assert after is not None
    operation = "PutCompositeAlarm" if _alarm_type(after) == "composite" else "PutMetricAlarm"
    before = change.before if change.action is Action.UPDATE else None
    if before is None:
        clients.call("cloudwatch", operation, **request_params(after.body, with_tags=True))
        return ""
    if _without_tags(before.body) != _without_tags(after.body):
        # An update ignores Tags (AWS documents it), so tags are converged separately below.
        clients.call("cloudwatch", operation, **request_params(after.body, with_tags=False))
    converge_tags(clients, config.alarm_arn(after.name), before.body.get("Tags", {}), after.body.get("Tags", {}))
    return ""


def _delete_alarms(clients: Clients, names: list[str]) -> str:
    clients.call("cloudwatch", "DeleteAlarms", AlarmNames=names)
    return ""


def _deletes(changes: list[Change], clients: Clients, kind: str) -> list[Task]:
    """Delete tasks: each composite alone, metric alarms in batches of at most 100 names."""
    chosen = [c for c in changes if c.before is not None and _alarm_type(c.before) == kind]
    size = 1 if kind == "composite" else DELETE_BATCH
    tasks = []
    for i in range(0, len(chosen), size):
        batch = chosen[i : i + size]
        names = [c.before.name for c in batch if c.before is not None]
        tasks.append(Task(batch, functools.partial(_delete_alarms, clients, names), f"delete {len(names)} alarm(s)"))
    return tasks


def steps(
    clients: Clients, config: CloudWatchConfig, changes: Sequence[Change], secrets: SecretValue
) -> list[list[Task]]:
    """The ordered steps of an apply; tasks inside one step are independent."""
    topics = [c for c in changes if c.resource.kind == TOPIC]
    alarms = [c for c in changes if c.resource.kind == ALARM]
    puts = [c for c in alarms if c.action is not Action.DELETE]
    replaced = [c for c in alarms if c.action is Action.REPLACE]
    deleted = [c for c in alarms if c.action is Action.DELETE]
    rules = [c for c in changes if c.resource.kind == MUTE_RULE]

    def put(change: Change) -> Task:
        return Task([change], lambda: _put_alarm(clients, config, change), f"put {change.key}")

    def topic(change: Change) -> Task:
        if change.action is Action.DELETE:
            return Task([change], lambda: delete_topic(clients, config, change.resource), f"delete {change.key}")
        create = change.action is Action.CREATE
        return Task(
            [change], lambda: ensure_topic(clients, config, change.resource, create, secrets), f"put {change.key}"
        )

    return [
        [topic(c) for c in topics if c.action is not Action.DELETE],
        _deletes(replaced, clients, "composite"),
        _deletes(replaced, clients, "metric"),
        [put(c) for c in puts if _alarm_type(c.after) == "metric"],
        [put(c) for c in puts if _alarm_type(c.after) == "composite"],
        [Task([c], functools.partial(put_mute_rule, clients, config, c), f"put {c.key}") for c in rules if c.after],
        [Task([c], functools.partial(delete_mute_rule, clients, c), f"delete {c.key}") for c in rules if not c.after],
        _deletes(deleted, clients, "composite"),
        _deletes(deleted, clients, "metric"),
        [topic(c) for c in topics if c.action is Action.DELETE],
    ]


def _describe(exc: BaseException) -> str:
    code = error_code(exc)
    return f"{code}: {exc}" if code else f"{type(exc).__name__}: {exc}"


def _refused(
    clients: Clients, config: CloudWatchConfig, changes: Sequence[Change], target: str, report: ApplyReport
) -> dict[str, tuple[bool, str]]:
    """The outcome of every change refused before anything is written (all of them if the check fails)."""
    try:
        return {key: (False, reason) for key, reason in preflight(clients, config, changes, target).items()}
    except Exception as exc:
        report.errors.append(f"could not re-check ownership before applying: {_describe(exc)}; nothing was applied")
        return {c.key: (False, "not applied: the ownership check failed") for c in changes}


def apply_changes(
    clients: Clients,
    config: CloudWatchConfig,
    changes: Sequence[Change],
    secrets: SecretValue,
    progress: Progress,
    target: str,
    cancel: threading.Event | None = None,
) -> ApplyReport:
    """Apply `changes` to `target` and report each one's outcome; never raises for an AWS error."""
    report = ApplyReport()
    outcome = _refused(clients, config, changes, target, report)
    todo = [c for c in changes if c.key not in outcome]
    # Each replace is carried out by two tasks (delete, then put); it succeeds only if both do.
    done = 0
    total = len(todo)
    failed_step = False
    with ThreadPoolExecutor(max_workers=config.max_concurrency) as pool:
        for step in steps(clients, config, todo, secrets):
            stopped = "an earlier step failed" if failed_step else "cancelled" if cancel and cancel.is_set() else ""
            if stopped:
                for task in step:
                    for change in task.changes:
                        outcome.setdefault(change.key, (False, f"not applied: {stopped}"))
                continue
            futures = [(task, pool.submit(task.run)) for task in step]
            for task, future in futures:
                try:
                    note = future.result()
                except Exception as exc:  # an AWS error or ApplyError: reported, never raised
                    failed_step = True
                    message = str(exc) if isinstance(exc, ApplyError) else _describe(exc)
                    for change in task.changes:
                        outcome[change.key] = (False, f"failed: {message}")
                    progress(f"  failed  {task.what}: {message}")
                    continue
                for change in task.changes:
                    if change.action is Action.REPLACE and task.what.startswith("delete"):
                        outcome.setdefault(change.key, (False, "not applied: deleted, but not yet re-created"))
                        continue
                    previous = outcome.get(change.key)
                    if previous is None or previous[1].startswith("not applied: deleted"):
                        outcome[change.key] = (True, note)
                        done += 1
                        progress(f"  [{done}/{total}] {change.action.symbol} {change.key}")
    for change in changes:
        ok, message = outcome.get(change.key, (False, "not applied"))
        report.results.append(ChangeResult(change.key, change.action.value, ok, message))
    return report
