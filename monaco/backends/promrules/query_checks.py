"""Every PromQL query of a workspace checked for its Prometheus release, positions mapped into the YAML.

Queries the in-process parser refuses are kept until all are seen, then put to promtool in one run
(when a promtool of the workspace's release is on PATH): promtool's verdict and column win.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from monaco.backends.promrules import promtool_check
from monaco.backends.promrules.promql import QueryProblem, check_query, pad_window
from monaco.backends.promrules.promql_versions import Version
from monaco.diagnostics import Diagnostic, Diagnostics
from monaco.spec.yaml_loader import Document, Path


@dataclass(slots=True)
class QueryChecks:
    """Collects query problems; `finish` settles the in-process parser's refusals with promtool."""

    version: Version
    pending: list[tuple[Document, Path, QueryProblem, str]] = field(default_factory=list)

    def check(self, doc: Document, path: Path, query: str, role: str, diagnostics: Diagnostics) -> None:
        """Check one query written at `path` of `doc` (`role`: counter, gauge or anything else)."""
        arbiter = promtool_check.arbiter_for(self.version)
        for problem in check_query(query, role, self.version):
            if problem.arbitrable and arbiter is not None:
                self.pending.append((doc, path, problem, pad_window(query)))
            else:
                diagnostics.add(_diagnostic(doc, path, problem))

    def finish(self, diagnostics: Diagnostics) -> None:
        """Report the refusals promtool confirms (at its position); drop those it accepts."""
        arbiter = promtool_check.arbiter_for(self.version)
        verdicts = promtool_check.check_expressions(arbiter, [t for *_, t in self.pending]) if arbiter else None
        for doc, path, problem, text in self.pending:
            verdict = verdicts.get(text) if verdicts is not None else None
            if verdict is None:
                diagnostics.add(_diagnostic(doc, path, problem))
            elif not verdict.accepted:
                message = f"PromQL does not parse: {verdict.message}"
                diagnostics.add(
                    _diagnostic(doc, path, QueryProblem(problem.code, message, verdict.offset, problem.hint))
                )
        self.pending.clear()


def _diagnostic(doc: Document, path: Path, problem: QueryProblem) -> Diagnostic:
    return Diagnostic(problem.code, problem.message, doc.span_at(path, problem.offset), problem.hint, problem.level)
