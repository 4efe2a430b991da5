"""Checks across documents: unique names, known severities and receivers; where each source place is.

Service and team checks read the documents' raw values rather than validated models, so a file with
a structural mistake still gets its cross-reference and PromQL mistakes reported in the same pass.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from typing import Any

from monaco.diagnostics import Diagnostics
from monaco.spec.identity import alert_keys
from monaco.spec.interval_checks import check_route_intervals
from monaco.spec.load import Workspace
from monaco.spec.sources import SourceRole
from monaco.spec.yaml_loader import Document, Path


def check_workspace(workspace: Workspace, diagnostics: Diagnostics) -> None:
    """Report every cross-reference and expression problem in the workspace."""
    severities = [s.name for s in workspace.severities]
    for kind, located in (("service", workspace.services), ("team", workspace.teams), ("target", workspace.targets)):
        names: list[tuple[str, Document, Path]] = [
            (item.spec.metadata.name, item.doc, ("metadata", "name")) for item in located
        ]
        _unique(names, "MON201", kind, diagnostics)
    teams = [d for d in workspace.documents if d.value.get("kind") == "Team"]
    services = [d for d in workspace.documents if d.value.get("kind") == "Service"]
    _unique([item for doc in [*teams, *services] for item in _receiver_names(doc)], "MON206", "receiver", diagnostics)
    by_team: dict[str, set[str]] = {}
    for team in teams:
        by_team.setdefault(str(raw_get(team.value, "metadata", "name")), set()).update(
            name for name, _, _ in _receiver_names(team)
        )
    for team in teams:
        known = by_team.get(str(raw_get(team.value, "metadata", "name")), set())
        _check_routes(team, known, severities, diagnostics)
        default = team.value.get("default_receiver")
        if isinstance(default, str) and default not in known:
            _unknown_receiver(default, team, ("default_receiver",), known, diagnostics)
    for service in services:
        known = by_team.get(str(raw_get(service.value, "metadata", "team")), set())
        receivers = known | {name for name, _, _ in _receiver_names(service)}
        _check_service(service, receivers, severities, diagnostics)
    check_route_intervals(workspace.documents, diagnostics)


def raw_get(value: Any, *keys: str) -> Any:
    """The value under `keys` in nested mappings, or None where the shape is wrong."""
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def raw_entries(value: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, mapping) for each mapping in the list under `key`."""
    items = value.get(key) if isinstance(value, dict) else None
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            yield i, item


def _receiver_names(doc: Document) -> list[tuple[str, Document, Path]]:
    return [
        (r["name"], doc, ("receivers", i, "name"))
        for i, r in raw_entries(doc.value, "receivers")
        if isinstance(r.get("name"), str)
    ]


def _check_service(doc: Document, known: set[str], severities: list[str], diagnostics: Diagnostics) -> None:
    alerts = list(raw_entries(doc.value, "alerts"))
    slos = list(raw_entries(doc.value, "slos"))
    _check_alert_identities(doc, alerts, diagnostics)
    slo_names = [(s["name"], doc, ("slos", i, "name")) for i, s in slos if isinstance(s.get("name"), str)]
    _unique(slo_names, "MON203", "SLO", diagnostics)
    for i, alert in alerts:
        _check_severity(alert.get("severity"), doc, ("alerts", i, "severity"), severities, diagnostics)
    for i, slo in slos:
        for tier in ("page", "ticket"):
            overrides = raw_get(slo, "alerting", tier)
            paths: list[tuple[Path, Any]] = (
                [((tier, j), o) for j, o in enumerate(overrides)]
                if isinstance(overrides, list)
                else [((tier,), overrides)]
            )
            for where, override in paths:
                path = ("slos", i, "alerting", *where, "severity")
                _check_severity(raw_get(override, "severity"), doc, path, severities, diagnostics)
    _check_routes(doc, known, severities, diagnostics)


def _check_alert_identities(doc: Document, alerts: list[tuple[int, dict[str, Any]]], diagnostics: Diagnostics) -> None:
    """MON202: two alerts with one identity (name and severity, or an explicit `id`)."""
    named = [(i, a) for i, a in alerts if isinstance(a.get("name"), str)]
    keys = alert_keys(
        [(a["name"], str(a.get("severity")), a["id"] if isinstance(a.get("id"), str) else None) for _, a in named]
    )
    first: dict[str, int] = {}
    for (i, alert), key in zip(named, keys, strict=True):
        if key not in first:
            first[key] = i
            continue
        explicit = isinstance(alert.get("id"), str)
        what = f"id {key!r}" if explicit else f"name {alert['name']!r} at severity {alert.get('severity')!r}"
        line = doc.span(("alerts", first[key], "name")).line
        hint = f"the alert at line {line} has the same identity; "
        hint += "ids must be unique in a service" if explicit else "give each a distinct `id:`"
        path: Path = ("alerts", i, "id" if explicit else "name")
        diagnostics.error("MON202", f"duplicate alert {what}", doc.span(path), hint)


def raw_source_places(doc: Document, family: str) -> Iterator[tuple[Path, SourceRole, Any]]:
    """(path, role, value as written) of each place in a Service document where `family` names a source."""
    for i, alert in raw_entries(doc.value, "alerts"):
        value = raw_get(alert, "source", family)
        if value is not None:
            yield ("alerts", i, "source", family), "alert", value
    for i, slo in raw_entries(doc.value, "slos"):
        sli = slo.get("sli")
        if not isinstance(sli, dict):
            continue
        ratio = sli.get("ratio")
        for side in ("bad", "good", "total"):
            value = raw_get(ratio, side, family)
            if value is not None:
                yield ("slos", i, "sli", "ratio", side, family), "counter", value
        for kind in ("gauge", "latency"):
            value = raw_get(sli, kind, family)
            if value is not None:
                yield ("slos", i, "sli", kind, family), kind, value


def raw_at(value: Any, path: Path) -> Any:
    """The value at `path` (keys and list indexes) in a document as written, or None where the shape is wrong."""
    for part in path:
        if isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
        else:
            value = value.get(part) if isinstance(value, dict) and isinstance(part, str) else None
    return value


def _check_routes(doc: Document, known: set[str], severities: list[str], diagnostics: Diagnostics) -> None:
    for i, route in raw_entries(doc.value, "routes"):
        targets = route.get("to")
        for j, name in enumerate(targets if isinstance(targets, list) else []):
            if isinstance(name, str) and name not in known:
                _unknown_receiver(name, doc, ("routes", i, "to", j), known, diagnostics)
        wanted = raw_get(route, "match", "severity")
        base: Path = ("routes", i, "match", "severity")
        paths = [((*base, j), v) for j, v in enumerate(wanted)] if isinstance(wanted, list) else [(base, wanted)]
        for path, value in paths:
            _check_severity(value, doc, path, severities, diagnostics)


def _unknown_receiver(name: str, doc: Document, path: Path, known: set[str], diagnostics: Diagnostics) -> None:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    hint = f"did you mean {close[0]!r}?" if close else "define it under `receivers:` here or in the team's file"
    diagnostics.error("MON205", f"route names unknown receiver {name!r}", doc.span(path), hint)


def _check_severity(value: Any, doc: Document, path: Path, severities: list[str], diagnostics: Diagnostics) -> None:
    if isinstance(value, str) and value not in severities:
        close = difflib.get_close_matches(value, severities, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"severities are: {', '.join(severities)}"
        diagnostics.error("MON204", f"unknown severity {value!r}", doc.span(path), hint)


def _unique(items: Sequence[tuple[str, Document, Path]], code: str, what: str, diagnostics: Diagnostics) -> None:
    first: dict[str, Document] = {}
    for name, doc, path in items:
        if name in first:
            diagnostics.error(
                code,
                f"duplicate {what} name {name!r}",
                doc.span(path),
                f"first defined in {first[name].file}" if first[name].file != doc.file else "names must be unique",
            )
        else:
            first[name] = doc
