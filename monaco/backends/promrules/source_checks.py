"""The Prometheus family's `check` hook: every PromQL query, template and SLI shape in the workspace.

Queries are read from the documents as written (so a file with a structural mistake still gets its PromQL
mistakes reported in the same pass); SLI shape and kept identity labels need the validated models.
"""

from __future__ import annotations

import functools

from monaco.backends.promrules.kept_label_checks import check_kept_labels
from monaco.backends.promrules.promql_versions import parse_version
from monaco.backends.promrules.query_checks import QueryChecks
from monaco.backends.promrules.sli_checks import check_prometheus_sli
from monaco.backends.promrules.sources import FAMILY
from monaco.backends.promrules.template_checks import check_alert_templates
from monaco.diagnostics import Diagnostics, Span
from monaco.spec.checks import raw_at, raw_entries, raw_source_places
from monaco.spec.load import Located, Workspace
from monaco.spec.models import ServiceSpec
from monaco.spec.yaml_loader import Document, Path


def check_prometheus_sources(workspace: Workspace, diagnostics: Diagnostics) -> None:
    """Report each Prometheus query, template and SLI that Prometheus would refuse or mis-evaluate."""
    queries = QueryChecks(parse_version(workspace.prometheus_version))
    services = {id(located.doc): located for located in workspace.services}
    awaiting_promtool: list[Located[ServiceSpec]] = []
    for doc in workspace.documents:
        if doc.value.get("kind") != "Service":
            continue
        pending = len(queries.pending)
        _check_document(doc, queries, diagnostics)
        located = services.get(id(doc))
        if located is None:
            continue
        # Checked while the document's parses are still cached, unless promtool must first settle a refusal.
        if len(queries.pending) > pending:
            awaiting_promtool.append(located)
        else:
            _check_service(located, workspace, diagnostics)
    queries.finish(diagnostics)
    for located in awaiting_promtool:
        _check_service(located, workspace, diagnostics)


def _check_document(doc: Document, queries: QueryChecks, diagnostics: Diagnostics) -> None:
    """Queries at every Prometheus source place, recording rules, and alert templates."""
    for path, role, value in raw_source_places(doc, FAMILY):
        if isinstance(value, str) and role != "latency":
            queries.check(doc, path, value, role, diagnostics)
    for i, _ in raw_entries(doc.value, "records"):
        expr = raw_at(doc.value, ("records", i, "expr"))
        if isinstance(expr, str):
            queries.check(doc, ("records", i, "expr"), expr, "record", diagnostics)
    for i, _ in raw_entries(doc.value, "alerts"):
        check_alert_templates(doc, ("alerts", i), queries.version, diagnostics)


def _slo_span(doc: Document, index: int, path: Path) -> Span:
    """The span of `path` under the SLO at `index`."""
    return doc.span(("slos", index, *path))


def _check_service(located: Located[ServiceSpec], workspace: Workspace, diagnostics: Diagnostics) -> None:
    """SLI shape (MON242/243) and identity labels a query keeps (MON261), on the validated service."""
    for i, slo in enumerate(located.spec.slos):
        check_prometheus_sli(slo, functools.partial(_slo_span, located.doc, i), diagnostics)
    check_kept_labels(located, workspace.identity_labels, diagnostics)
