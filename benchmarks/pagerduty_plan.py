"""Plan against 1,000 live PagerDuty services on the fake: API calls and wall time, beside a per-service refresh.

Run: python benchmarks/pagerduty_plan.py [--services 1000]

It starts the fake PagerDuty (HTTPS on 127.0.0.1, ephemeral port), writes a workspace of N services of one
team with on-call, applies it through monaco, then measures (a) monaco's plan (load, render, paged
read_live, diff) and (b) a Terraform-style refresh reading each service and its integration one by one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SERVICE = """apiVersion: monaco/v1
kind: Service
metadata: {{name: svc-{i:04d}, team: payments, tier: 2}}
alerts:
  - {{name: Down, severity: critical, source: {{prometheus: 'up{{job="svc-{i:04d}"}} == 0'}}, summary: down}}
"""
TEAM = """apiVersion: monaco/v1
kind: Team
metadata: {name: payments}
oncall:
  escalation_policy:
    levels: [{escalation_delay_in_minutes: 10, targets: [{schedule: Primary}, {user: lead@example.com}]}]
"""


def _workspace(root: Path, count: int, url: str, ca_file: str) -> tuple[Path, Path]:
    specs, targets = root / "specs", root / "targets"
    specs.mkdir(parents=True)
    targets.mkdir()
    for i in range(count):
        (specs / f"svc-{i:04d}.yaml").write_text(SERVICE.format(i=i), encoding="utf-8")
    (specs / "team.yaml").write_text(TEAM, encoding="utf-8")
    config = {"token": {"env": "BENCH_PD_TOKEN"}, "base_url": url, "ca_file": ca_file}
    target = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": "pd"}, "backend": "pagerduty"}
    (targets / "pd.yaml").write_text(json.dumps(target | {"config": config}), encoding="utf-8")
    return specs, targets


def main() -> None:
    """Measure and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=1000)
    args = parser.parse_args()

    from monaco import engine
    from monaco.backends import REGISTRY, source_families
    from tests.fakes.pagerduty import rest_client, running_pagerduty_fake

    REGISTRY.setdefault("pagerduty", "monaco.backends.pagerduty.backend:PagerDutyBackend")
    source_families.cache_clear()
    with running_pagerduty_fake() as fake, tempfile.TemporaryDirectory() as folder:
        os.environ["BENCH_PD_TOKEN"] = fake.token
        fake.add_schedule("Primary")
        fake.add_user("Lead", "lead@example.com")
        specs, targets = _workspace(Path(folder), args.services, fake.url, fake.ca_file)
        started = time.perf_counter()
        session = engine.load([specs], [targets])
        reports = engine.apply(session, engine.plan(session, session.targets))
        assert all(report.ok for report in reports.values()), "the apply failed"
        setup = time.perf_counter() - started

        seen = len(fake.requests)
        started = time.perf_counter()
        session = engine.load([specs], [targets])
        plan = engine.plan(session, session.targets)
        monaco_wall = time.perf_counter() - started
        monaco_calls = len(fake.requests) - seen
        assert not any(t.changes for t in plan.targets), "the plan after apply must be empty"

        client = rest_client(fake)
        ids = [s["id"] for s in fake.store.listed("services")]
        seen, started = len(fake.requests), time.perf_counter()
        for ident in ids:
            service = client.rget(f"/services/{ident}")
            for integration in service["integrations"]:
                client.rget(f"/services/{ident}/integrations/{integration['id']}")
        naive_wall = time.perf_counter() - started
        naive_calls = len(fake.requests) - seen
        client.close()

    print(f"live services: {len(ids)} (+1 escalation policy); apply took {setup:.1f} s")
    print(f"{'refresh':<58} {'API calls':>9} {'wall':>8}")
    print(f"{'monaco plan (load + render + paged read + diff)':<58} {monaco_calls:>9} {monaco_wall:>7.2f}s")
    print(f"{'one GET per service and per integration':<58} {naive_calls:>9} {naive_wall:>7.2f}s")
    print(f"calls ratio: {naive_calls / monaco_calls:.0f}x fewer; wall ratio: {naive_wall / monaco_wall:.1f}x faster")


if __name__ == "__main__":
    main()
