"""Plan against 1,000 live rule groups on the fake Mimir ruler: API calls and wall time of `monaco plan`.

Run: python benchmarks/mimir_ruler_plan.py [--services 500]

It writes a workspace of N services (a threshold alert and an SLO each: two rule groups per service,
2N groups in one `per_target` namespace), stores what monaco would apply straight into the fake (no
promtool on each of them, so setting up stays quick), then times `monaco plan --detailed-exitcode`
(render, one listing call, diff: expected "no changes") and counts the requests the fake answered.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: NAME, team: core, tier: 2}
alerts:
  - name: HighLatency
    severity: high
    for: 5m
    when: {above: 0.5}
    summary: p99 latency of NAME above 500ms
    source: {prometheus: 'histogram_quantile(0.99, sum by (le) (rate(http_duration_seconds_bucket{job="NAME"}[5m])))'}
slos:
  - name: availability
    objective: 99.9
    period: 30d
    sli:
      ratio:
        bad: {prometheus: 'sum(rate(http_requests_total{job="NAME",code=~"5.."}[{{window}}]))'}
        total: {prometheus: 'sum(rate(http_requests_total{job="NAME"}[{{window}}]))'}
    alerting:
      page: {severity: critical}
"""
TEAM = "apiVersion: monaco/v1\nkind: Team\nmetadata: {name: core}\nreceivers:\n  - name: core-mail\n    email: {to: [core@example.com]}\ndefault_receiver: core-mail\n"


def _workspace(root: Path, services: int, url: str) -> tuple[Path, Path]:
    """Specs for `services` services and one mimir_ruler target pointing at `url`."""
    specs, targets = root / "specs", root / "targets"
    specs.mkdir(parents=True)
    targets.mkdir()
    for i in range(services):
        (specs / f"svc{i:04d}.yaml").write_text(SERVICE.replace("NAME", f"svc{i:04d}"), encoding="utf-8")
    (specs / "core-team.yaml").write_text(TEAM, encoding="utf-8")
    target = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": "bench"}, "backend": "mimir_ruler"}
    target["config"] = {"url": url, "tenant": "bench", "namespace": "per_target"}
    (targets / "mimir.yaml").write_text(json.dumps(target), encoding="utf-8")
    return specs, targets


def _run(argv: list[str]) -> tuple[int, str]:
    """Run the CLI in-process; exit code and everything it printed."""
    from monaco.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue() + err.getvalue()


def main() -> None:
    """Set up, measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=500)
    args = parser.parse_args()

    from tests.fakes.mimir import running_mimir_fake

    with running_mimir_fake() as fake, tempfile.TemporaryDirectory() as tmp:
        specs, targets = _workspace(Path(tmp), args.services, fake.url)
        code, output = _run(["compile", "--specs", str(specs), "--targets", str(targets), "--out", f"{tmp}/out"])
        assert code == 0, output[-2000:]
        import yaml

        for path in sorted(Path(tmp, "out").rglob("*.yaml")):
            document = yaml.safe_load(path.read_text(encoding="utf-8"))
            for group in document["groups"]:
                fake.seed_group("bench", document["namespace"], group)
        live_groups = len(fake.snapshot())
        fake.calls.clear()
        started = time.perf_counter()
        code, output = _run(["plan", "--detailed-exitcode", "--specs", str(specs), "--targets", str(targets)])
        took = time.perf_counter() - started
        assert code == 0, output[-2000:]
        calls = fake.calls_of()
        print(f"live rule groups: {live_groups} ({args.services} services, one namespace, its owner marker included)")
        print(f"monaco plan: {len(calls)} API call(s) ({', '.join(sorted({c.method + ' ' + c.path for c in calls}))})")
        print(f"monaco plan wall time: {took:.2f}s (render + listing + diff; result: no changes)")


if __name__ == "__main__":
    main()
