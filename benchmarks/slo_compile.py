"""Benchmark: parse, and compile (load + lower + render SLO groups), 1,000 services x 5 SLOs; prints time and memory.

Run: `python benchmarks/slo_compile.py [--services N]`. A script, not a test: numbers vary by machine.
"""

from __future__ import annotations

import argparse
import gc
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from monaco.backends.promrules.slo_rules import render_slo_groups
from monaco.diagnostics import Diagnostics
from monaco.engine import load_checked
from monaco.ir.lower import lower

SLOS = """\
slos:
  - name: availability
    objective: 99.9
    sli:
      ratio:
        bad: {{prometheus: 'sum(rate(http_requests_total{{job="{name}",code=~"5.."}}[{{{{window}}}}]))'}}
        total: {{prometheus: 'sum(rate(http_requests_total{{job="{name}"}}[{{{{window}}}}]))'}}
  - name: availability-by-route
    objective: 99.5
    period: 28d
    group_by: [route]
    sli:
      ratio:
        bad: {{prometheus: {{metric: http_requests_total, matchers: {{job: {name}, code: "~5.."}}}}}}
        total: {{prometheus: {{metric: http_requests_total, matchers: {{job: {name}}}}}}}
  - name: latency
    objective: 99
    sli:
      latency: {{threshold: 0.3, prometheus: {{metric: http_request_duration_seconds, matchers: {{job: {name}}}}}}}
    alerting: {{min_events: 100}}
  - name: uptime
    objective: 99.95
    period: 7d
    sli:
      gauge: {{prometheus: 'up{{job="{name}"}}'}}
  - name: jobs
    objective: 99
    sli:
      ratio:
        good: {{prometheus: {{metric: jobs_succeeded_total, matchers: {{job: {name}}}}}}}
        total: {{prometheus: {{metric: jobs_total, matchers: {{job: {name}}}}}}}
    alerting:
      page: [{{for: 5m}}, {{disabled: true}}]
      ticket: {{severity: low}}
"""


def write_specs(root: Path, services: int) -> None:
    """One file per service, each with five SLOs of every SLI kind."""
    for i in range(services):
        name = f"svc-{i:04d}"
        head = f"apiVersion: monaco/v1\nkind: Service\nmetadata:\n  name: {name}\n  team: team-{i % 40}\n"
        (root / f"{name}.yaml").write_text(head + SLOS.format(name=name), encoding="utf-8")


def measure(label: str, work: Callable[[], Any]) -> Any:
    """Run `work` once, print wall time and tracemalloc peak."""
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<32} {elapsed:8.2f} s   peak traced {peak / 2**20:8.1f} MiB")
    return result


def main() -> None:
    """Generate the specs, then time parse-only and full compile."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="monaco-bench-") as tmp:
        root = Path(tmp)
        write_specs(root, args.services)
        size = sum(p.stat().st_size for p in root.iterdir())
        print(f"{args.services} services x 5 SLOs, {size / 2**20:.1f} MiB of YAML")

        def parse() -> int:
            diagnostics = Diagnostics()
            workspace = load_checked([root], diagnostics)
            assert not diagnostics.has_errors, diagnostics.sorted()[:3]
            return len(workspace.services)

        def compile_() -> int:
            diagnostics = Diagnostics()
            model = lower(load_checked([root], diagnostics), diagnostics)
            assert not diagnostics.has_errors, diagnostics.sorted()[:3]
            rules = 0
            for service in model.services:
                for slo in service.slos:
                    rules += sum(len(g["rules"]) for g in render_slo_groups(service, slo, {}))
            return rules

        services = measure("parse (load_workspace)", parse)
        rules = measure("compile (load+lower+render)", compile_)
        t0 = time.perf_counter()
        parse()
        parse_plain = time.perf_counter() - t0
        t0 = time.perf_counter()
        compile_()
        compile_plain = time.perf_counter() - t0
        print(
            f"untraced: parse {parse_plain:.2f} s, compile {compile_plain:.2f} s, "
            f"ratio compile/parse {compile_plain / parse_plain:.2f}"
        )
        print(
            f"{services} services, {rules} rules; max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
        )


if __name__ == "__main__":
    main()
