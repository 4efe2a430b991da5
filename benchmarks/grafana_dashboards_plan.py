"""Plan against 1,000 live dashboards in the fake Grafana: API calls and wall time of render + read + diff.

Run: python benchmarks/grafana_dashboards_plan.py [--services 1000] [--concurrency 4]

It writes a workspace of N services (one SLO and one threshold alert each), starts the fake Grafana HTTP
API on 127.0.0.1 (tests/fakes/grafana, ephemeral port), applies the N dashboards through monaco, then
measures monaco's plan: rendering N dashboards with grafana-foundation-sdk, reading live state (paged
searches by tag, uid and folder, then one GET per owned dashboard, `max_concurrency` at a time) and diffing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {{name: svc-{n:04d}, team: bench}}
slos:
  - name: availability
    objective: 99.9
    sli:
      ratio:
        bad: {{prometheus: 'sum(rate(http_requests_total{{job="svc-{n:04d}",code=~"5.."}}[{{{{window}}}}]))'}}
        total: {{prometheus: 'sum(rate(http_requests_total{{job="svc-{n:04d}"}}[{{{{window}}}}]))'}}
alerts:
  - name: HighCPU
    severity: high
    when: {{above: 0.9}}
    source: {{prometheus: 'avg(rate(process_cpu_seconds_total{{job="svc-{n:04d}"}}[5m]))'}}
    summary: CPU above 90%
"""
TEAM = """\
apiVersion: monaco/v1
kind: Team
metadata: {name: bench}
default_receiver: bench-mail
receivers:
  - {name: bench-mail, email: {to: [bench@example.com]}}
"""
TARGET = """\
apiVersion: monaco/v1
kind: Target
metadata: {{name: bench-grafana}}
backend: grafana_dashboards
config: {{url: "{url}", token: {{env: BENCH_GRAFANA_TOKEN}}, max_concurrency: {concurrency}}}
"""


def _workspace(root: Path, services: int, url: str, concurrency: int) -> None:
    """N service specs, their team, and the target pointing at the fake."""
    (root / "specs").mkdir()
    (root / "targets").mkdir()
    for n in range(services):
        (root / "specs" / f"svc-{n:04d}.yaml").write_text(SERVICE.format(n=n), encoding="utf-8")
    (root / "specs" / "team.yaml").write_text(TEAM, encoding="utf-8")
    (root / "targets" / "grafana.yaml").write_text(TARGET.format(url=url, concurrency=concurrency), encoding="utf-8")


def _plan(session: Any, target: Any, backend: Any) -> tuple[Any, int, dict[str, float]]:
    """Render + read + diff: the plan, the live calls, and the wall seconds of each step."""
    from monaco.plan.diff import diff

    started = time.perf_counter()
    rendered = backend.render(session.model, target, lambda ref, span: "sha256:bench")
    rendered_at = time.perf_counter()
    live = backend.read_live(target)
    read_at = time.perf_counter()
    assert not live.diagnostics, live.diagnostics
    target_plan, _ = diff(target.name, target.backend, rendered.resources, live.resources, backend.requires_replace)
    done = time.perf_counter()
    return (
        target_plan,
        live.calls,
        {"render": rendered_at - started, "read": read_at - rendered_at, "diff": done - read_at},
    )


def _measure(fake: Any, services: int, concurrency: int) -> dict[str, Any]:
    """Apply N dashboards to the fake, then time a plan against them and count its calls by path."""
    from monaco import engine
    from monaco.backends import get_backend

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _workspace(root, services, fake.url, concurrency)
        session = engine.load([root / "specs"], [root / "targets"])
        assert session.model is not None, "the benchmark workspace does not load"
        target = next(t for t in session.targets if t.backend == "grafana_dashboards")
        backend = get_backend("grafana_dashboards")
        started = time.perf_counter()
        first, _, _ = _plan(session, target, backend)
        report = backend.apply(target, first.changes, lambda ref: "")
        assert report.ok, report.errors[:3]
        setup = time.perf_counter() - started
        before = len(fake.calls)
        again, calls, walls = _plan(session, target, backend)
        assert not again.changes, f"the plan after apply must be empty, it has {len(again.changes)} changes"
    paths = Counter(c.path if c.path == "/api/search" else c.path.rsplit("/", 1)[0] for c in fake.calls[before:])
    return {"first": len(first.changes), "setup": setup, "calls": calls, "walls": walls, "paths": paths}


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--services", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    from monaco.backends import REGISTRY
    from tests.fakes.grafana import TOKEN, GrafanaFake

    REGISTRY.setdefault("grafana_dashboards", "monaco.backends.grafana_dashboards.backend:GrafanaDashboardsBackend")
    os.environ["BENCH_GRAFANA_TOKEN"] = TOKEN
    fake = GrafanaFake().start()
    try:
        found = _measure(fake, args.services, args.concurrency)
    finally:
        fake.stop()
    walls: dict[str, float] = found["walls"]
    print(f"live dashboards: {args.services}; first plan: {found['first']} changes; apply took {found['setup']:.1f} s")
    print(f"{'monaco plan (render + paged searches + GET per dashboard + diff)':<66} {'calls':>6} {'wall':>8}")
    print(f"{'':<66} {found['calls']:>6} {sum(walls.values()):>7.2f}s")
    print("  " + ", ".join(f"{step} {seconds:.2f}s" for step, seconds in walls.items()))
    print("  " + ", ".join(f"{path} {count}" for path, count in sorted(found["paths"].items())))


if __name__ == "__main__":
    main()
