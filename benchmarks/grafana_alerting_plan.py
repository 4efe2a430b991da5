"""Plan against 1,000 live Grafana alert rules on the fake provisioning API: API calls and wall time.

Run: python benchmarks/grafana_alerting_plan.py [--rules 1000] [--services 20]

It starts the fake Grafana (tests/fakes/grafana_provisioning) on 127.0.0.1, applies N threshold alerts spread
over S services through monaco's backend, then measures (a) monaco's plan: render + read_live (four list calls
whatever N is) + diff, and (b) a per-rule refresh that GETs each rule by uid, as a tool keyed on single objects does.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {{name: {name}, team: shop, tier: 2}}
alerts:
{alerts}
routes:
  - match: {{severity: high}}
    to: [shop-mail]
"""
ALERT = """\
  - name: Queue{index:04d}
    severity: high
    for: 5m
    when: {{above: {index}}}
    source: {{prometheus: 'sum(queue_depth{{queue="q{index}"}})'}}
    summary: "queue q{index} is backing up"
"""
TEAM = """\
apiVersion: monaco/v1
kind: Team
metadata: {name: shop}
default_receiver: shop-mail
receivers:
  - name: shop-mail
    email: {to: [shop@example.com]}
"""


def _workspace(root: Path, url: str, rules: int, services: int) -> None:
    (root / "specs").mkdir(parents=True)
    (root / "targets").mkdir()
    per = rules // services
    for s in range(services):
        alerts = "".join(ALERT.format(index=s * per + i) for i in range(per))
        (root / "specs" / f"svc{s:02d}.yaml").write_text(SERVICE.format(name=f"svc{s:02d}", alerts=alerts))
    (root / "specs" / "team.yaml").write_text(TEAM)
    config = {"url": url, "datasource_uid": "prom", "token": {"env": "BENCH_GRAFANA_TOKEN"}}
    target = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": "bench"}}
    target |= {"backend": "grafana_alerting", "config": config}
    (root / "targets" / "target.yaml").write_text(json.dumps(target))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--services", type=int, default=20)
    return parser.parse_args()


def main() -> None:
    """Measure and print the comparison."""
    args = _arguments()
    import os

    from grafana_client.api import GrafanaApi

    from monaco.backends.grafana_alerting.backend import GrafanaAlertingBackend
    from monaco.engine import load
    from monaco.plan.diff import diff
    from tests.fakes.grafana_provisioning import TOKEN, GrafanaProvisioningFake

    os.environ["BENCH_GRAFANA_TOKEN"] = TOKEN
    fake = GrafanaProvisioningFake().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            _workspace(root, fake.url, args.rules, args.services)
            session = load([root / "specs"], [root / "targets"])
            assert session.model is not None, [str(d) for d in session.diagnostics]
            (target,) = session.targets
            backend = GrafanaAlertingBackend()
            started = time.perf_counter()
            rendered = backend.render(session.model, target, lambda ref, span: "sha256:bench")
            plan, _ = diff(target.name, target.backend, rendered.resources, backend.read_live(target).resources)
            report = backend.apply(target, plan.changes, lambda ref: "unused")
            assert report.ok, report.results[:3]
            setup = time.perf_counter() - started

            started = time.perf_counter()
            rendered = backend.render(session.model, target, lambda ref, span: "sha256:bench")
            live = backend.read_live(target)
            plan, _ = diff(target.name, target.backend, rendered.resources, live.resources)
            monaco_wall = time.perf_counter() - started
            assert not plan.changes, "the plan after apply must be empty"

            api = GrafanaApi.from_url(fake.url, credential=TOKEN, timeout=10)
            uids = [r.body["uid"] for r in rendered.resources if r.kind == "rule"]
            started = time.perf_counter()
            for uid in uids:
                api.alertingprovisioning.get_alertrule(uid)
            naive_wall = time.perf_counter() - started
    finally:
        fake.stop()

    print(f"live rules: {len(uids)} in {args.services} groups; apply took {setup:.1f} s")
    _table(
        [("monaco plan (render + read_live + diff)", live.calls, monaco_wall), ("per-rule GET", len(uids), naive_wall)]
    )


def _table(rows: list[tuple[str, int, float]]) -> None:
    print(f"{'refresh':<44} {'API calls':>9} {'wall':>8}")
    for name, calls, wall in rows:
        print(f"{name:<44} {calls:>9} {wall:>7.2f}s")


if __name__ == "__main__":
    main()
