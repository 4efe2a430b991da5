"""Executing a plan on the ruler, group by group, reporting every change; a failure stops nothing unrelated.

Order: each new or changed namespace's owner marker first (a namespace's groups are only ever written
after its marker, so an interrupted apply leaves nothing a rerun would read as not monaco's); then group
posts; then group deletes; then markers of namespaces being removed, only once every group delete in that
namespace succeeded. A change whose marker failed is not applied and says why; every other change runs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from monaco.backends.base import ApplyReport, ChangeResult
from monaco.backends.mimir_ruler.client import RulerClient
from monaco.backends.mimir_ruler.config import MARKER_GROUP
from monaco.backends.mimir_ruler.render import NAMESPACE, RULE_GROUP
from monaco.plan.model import Action, Change, Resource
from monaco.plan.yamltext import dump_yaml

Progress = Callable[[str], None]


def _namespace_of(resource: Resource) -> str:
    """The namespace a resource lives in (a namespace resource is its own)."""
    return resource.name if resource.kind == NAMESPACE else str(resource.body["namespace"])


def _post(client: RulerClient, namespace: str, group: dict[str, object]) -> str | None:
    """POST one group to its namespace; None when accepted, else why not."""
    response = client.request("POST", client.rules_url(namespace), dump_yaml(group))
    return None if response.status in (200, 202) else f"the ruler refused it: {response.describe()}"


def _delete(client: RulerClient, namespace: str, group: str) -> str | None:
    """DELETE one group; None when it is gone (a 404 means it already was), else why not."""
    response = client.request("DELETE", client.rules_url(namespace, group))
    return None if response.status in (200, 202, 404) else f"the ruler refused the delete: {response.describe()}"


def _write(client: RulerClient, change: Change) -> str | None:
    """Carry out one change; None on success, else the reason it failed."""
    resource = change.resource
    namespace = _namespace_of(resource)
    if change.action is Action.DELETE:
        name = MARKER_GROUP if resource.kind == NAMESPACE else str(resource.body["group"]["name"])
        return _delete(client, namespace, name)
    body = resource.body["marker"] if resource.kind == NAMESPACE else resource.body["group"]
    return _post(client, namespace, body)


def ordered(changes: Sequence[Change]) -> list[list[Change]]:
    """The steps of an apply: markers written, groups posted, groups deleted, markers deleted."""
    markers = [c for c in changes if c.resource.kind == NAMESPACE]
    groups = [c for c in changes if c.resource.kind == RULE_GROUP]
    return [
        [c for c in markers if c.action is not Action.DELETE],
        [c for c in groups if c.action is not Action.DELETE],
        [c for c in groups if c.action is Action.DELETE],
        [c for c in markers if c.action is Action.DELETE],
    ]


def apply_changes(
    client: RulerClient, changes: Sequence[Change], progress: Progress, cancel: threading.Event
) -> ApplyReport:
    """Apply `changes` one request each, reporting every outcome as it completes; never raises for the ruler's errors.

    The report's listeners show progress; `progress` hears only why the apply did not complete."""
    report = ApplyReport()
    failed_markers: set[str] = set()
    failed_deletes: set[str] = set()
    total = len(changes)
    for step in ordered(changes):
        for change in step:
            namespace = _namespace_of(change.resource)
            blocked = _blocked(change, namespace, failed_markers, failed_deletes, cancel)
            problem = blocked or _write(client, change)
            if problem is None:
                report.results.append(ChangeResult(change.key, change.action.value, True))
                continue
            if change.resource.kind == NAMESPACE and change.action is not Action.DELETE:
                failed_markers.add(namespace)
            if change.resource.kind == RULE_GROUP and change.action is Action.DELETE:
                failed_deletes.add(namespace)
            message = problem if blocked else f"failed: {problem}"
            report.results.append(ChangeResult(change.key, change.action.value, False, message))
    if not report.ok:
        report.errors.append(f"{sum(not r.ok for r in report.results)} of {total} changes were not applied")
        progress(f"  {report.errors[-1]}")
    return report


def _blocked(
    change: Change, namespace: str, failed_markers: set[str], failed_deletes: set[str], cancel: threading.Event
) -> str | None:
    """Why a change must not start (cancelled, its namespace unmarked, its namespace's groups not all gone)."""
    if cancel.is_set():
        return "not applied (cancelled)"
    if change.resource.kind == RULE_GROUP and namespace in failed_markers:
        return f"not applied: the owner marker of namespace {namespace} could not be written"
    if change.resource.kind == NAMESPACE and change.action is Action.DELETE and namespace in failed_deletes:
        return f"not applied: some groups of namespace {namespace} could not be deleted"
    return None
