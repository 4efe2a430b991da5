"""A service's own rule group: its recording rules and group options (interval, limit, query_offset).

Codes: MON263 (error: a group option the workspace's `prometheus_version` does not support; it is
never written, so promtool and the server never see it), MON264 (recording rules on a backend with
no equivalent; the level is the target's `missing_source` level, like MON301/MON701).
"""

from __future__ import annotations

from monaco.diagnostics import Diagnostic, Diagnostics, Level
from monaco.ir.nodes import GroupOptions, RecordingRule, Service
from monaco.spec.load import Located
from monaco.spec.models import ServiceSpec
from monaco.spec.types import parse_duration

QUERY_OFFSET_SINCE = (2, 53)
"""The first Prometheus release whose rule groups accept `query_offset`."""


def version_tuple(version: str) -> tuple[int, int]:
    """`"2.42"` as (2, 42)."""
    major, minor = version.split(".")[:2]
    return int(major), int(minor)


def lower_records(located: Located[ServiceSpec]) -> tuple[RecordingRule, ...]:
    """The service's recording rules (their PromQL is checked with every other query, in spec checks)."""
    records = []
    for i, record in enumerate(located.spec.records):
        records.append(
            RecordingRule(
                name=record.name,
                expr=record.expr.strip(),
                labels=tuple(sorted(record.labels.items())),
                origin=located.doc.span(("records", i)),
            )
        )
    return tuple(records)


def lower_group_options(
    located: Located[ServiceSpec], prometheus_version: str, diagnostics: Diagnostics
) -> GroupOptions:
    """The service's group options; one the target Prometheus cannot read is reported and left out."""
    spec = located.spec.rule_group
    if spec is None:
        return GroupOptions()
    offset = parse_duration(spec.query_offset) if spec.query_offset else None
    if offset is not None and version_tuple(prometheus_version) < QUERY_OFFSET_SINCE:
        diagnostics.error(
            "MON263",
            f"rule group option `query_offset` is not supported by Prometheus {prometheus_version} "
            f"(it needs {'.'.join(map(str, QUERY_OFFSET_SINCE))} or later); it would be rejected",
            located.doc.span(("rule_group", "query_offset"), key=True),
            'remove it, or set `prometheus_version: "2.53"` (or later) in Settings once every server runs it',
        )
        offset = None
    return GroupOptions(
        interval_seconds=parse_duration(spec.interval) if spec.interval else None,
        limit=spec.limit,
        query_offset_seconds=offset,
    )


RECORDS_NOT_RENDERED = "MON264"
"""The code for recording rules a backend has no equivalent for."""


def records_not_rendered(service: Service, target: str, backend: str, level: Level) -> list[Diagnostic]:
    """MON264 for each recording rule of `service`, on a backend that has no recording rules."""
    return [
        Diagnostic(
            RECORDS_NOT_RENDERED,
            f"target {target}: recording rule {record.name} of {service.name} has no equivalent on {backend}; "
            "it is not rendered on this target",
            record.origin,
            "record it on a Prometheus target, or select this service out of the target",
            level,
        )
        for record in service.records
    ]
