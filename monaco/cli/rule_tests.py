"""`monaco test`: the rule tests written in specs, run by the real promtool against compiled rules; then route tests."""

from __future__ import annotations

import shutil

from monaco.backends.promrules.promtool_run import run_promtool_tests, spec_tests
from monaco.backends.promrules.service_rules import promtool_rule_files
from monaco.cli.output import Output
from monaco.diagnostics import Diagnostics
from monaco.engine import Session
from monaco.routes import run_route_tests as route_test_report


def run_rule_tests(session: Session, promtool: str, out: Output) -> int:
    """Run every service's `tests:`; failures are reported at the spec line of the test. Exit 0 or 1."""
    if shutil.which(promtool) is None:
        out.error(f"{promtool} not found; install Debian's `prometheus` package (it ships promtool)")
        return 1
    assert session.model is not None
    services = {s.name: s for s in session.model.services}
    diagnostics = Diagnostics()
    ran = failed = 0
    for located in sorted(session.workspace.services, key=lambda s: s.spec.metadata.name):
        if not located.spec.tests:
            continue
        service = services[located.spec.metadata.name]
        rule_files = promtool_rule_files(service)
        tests = spec_tests(rule_files, located.spec.tests, located.doc.span, diagnostics)
        for result in run_promtool_tests(rule_files, tests, promtool):
            ran += 1
            out.info(f"  {'ok  ' if result.ok else 'FAIL'} {service.name}: {result.name}")
            problem = result.diagnostic()
            if problem is not None:
                failed += 1
                diagnostics.add(problem)
    out.diagnostics(diagnostics.sorted(), session.workspace.sources)
    out.info(f"{ran} rule tests, {failed} failed.")
    return 1 if failed or diagnostics.has_errors else 0


def run_route_tests(session: Session, out: Output) -> int:
    """Run every service's `route_tests:` against every target's answer; a failure is reported at its spec line."""
    report = route_test_report(session)
    if not report.ran and not report.diagnostics.has_errors:
        return 0
    for line in report.lines:
        out.info(line)
    out.diagnostics(report.diagnostics.sorted(), session.workspace.sources)
    out.info(f"{report.ran} route tests, {report.failed} failed.")
    return 1 if report.failed or report.diagnostics.has_errors else 0
