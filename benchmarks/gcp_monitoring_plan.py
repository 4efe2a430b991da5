"""Plan against 1,000 live Cloud Monitoring alert policies on the fake gRPC server: API calls and wall time.

Run: python benchmarks/gcp_monitoring_plan.py [--policies 1000] [--page-size 100]

It starts the fake (tests/fakes/gcp_monitoring) on 127.0.0.1, applies N threshold policies through monaco's CLI,
then measures (a) monaco's plan: render + paged read_live + diff, through the real clients, and (b) a per-object
refresh that calls GetAlertPolicy once per policy (what a tool keyed by server-assigned ids would do).
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

BACKEND = "monaco.backends.gcp_monitoring.backend:GcpMonitoringBackend"


def _register() -> None:
    """Register the backend and its codes when the registry does not list it yet."""
    from monaco.backends import REGISTRY, source_families
    from monaco.backends.gcp_monitoring.codes import CODES as GCP_CODES
    from monaco.diagnostic_codes import CODES, _codes

    if "gcp_monitoring" not in REGISTRY:
        REGISTRY["gcp_monitoring"] = BACKEND
        CODES.update(_codes("backends.gcp_monitoring", GCP_CODES))
        source_families.cache_clear()


def _workspace(root: Path, policies: int, endpoint: str, page_size: int) -> None:
    """One service with `policies` threshold alerts on Cloud Run metrics, an email receiver, a target on the fake."""
    alerts = [
        {
            "name": f"Latency{i:04d}",
            "severity": "high",
            "for": "5m",
            "when": {"above": 100 + i},
            "source": {
                "gcp": {
                    "metric_type": "run.googleapis.com/request_latencies",
                    "resource_type": "cloud_run_revision",
                    "resource_labels": {"service_name": f"svc-{i:04d}"},
                    "aligner": "ALIGN_PERCENTILE_99",
                }
            },
            "summary": f"latency {i}",
        }
        for i in range(policies)
    ]
    service = {"apiVersion": "monaco/v1", "kind": "Service", "metadata": {"name": "bench", "team": "ops", "tier": 1}}
    service |= {"alerts": alerts, "routes": [{"match": {"severity": "high"}, "to": ["ops-mail"]}]}
    team = {"apiVersion": "monaco/v1", "kind": "Team", "metadata": {"name": "ops"}, "default_receiver": "ops-mail"}
    team |= {"receivers": [{"name": "ops-mail", "email": {"to": ["ops@example.com"]}}]}
    config = {"project": "monaco-bench", "endpoint": endpoint, "plaintext": True, "page_size": page_size}
    target = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": "bench"}, "backend": "gcp_monitoring"}
    for folder in ("specs", "targets"):
        (root / folder).mkdir()
    (root / "specs" / "bench.yaml").write_text(json.dumps(service) + "\n---\n" + json.dumps(team) + "\n")
    (root / "targets" / "target.yaml").write_text(json.dumps(target | {"config": config}))


def _one_by_one(endpoint: str) -> tuple[list[str], float]:
    """(policy names, wall seconds) of reading every policy with its own GetAlertPolicy, as a naive refresh does."""
    from tests.fakes.gcp_monitoring import make_clients

    clients = make_clients(endpoint)
    try:
        names = [p.name for p in clients.alert_policies.list_alert_policies(name="projects/monaco-bench")]
        started = time.perf_counter()
        for name in names:
            clients.alert_policies.get_alert_policy(name=name, retry=None)
        return names, time.perf_counter() - started
    finally:
        clients.close()


def main() -> None:
    """Measure and print the comparison."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--policies", type=int, default=1000)
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    _register()

    from monaco import engine
    from monaco.cli.main import main as monaco
    from monaco.plan.diff import diff
    from tests.fakes.gcp_monitoring import GcpMonitoringFake

    with tempfile.TemporaryDirectory() as tmp, GcpMonitoringFake() as server:
        root = Path(tmp)
        _workspace(root, args.policies, server.endpoint, args.page_size)
        specs, targets = ["--specs", str(root / "specs")], ["--targets", str(root / "targets")]
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            assert monaco(["apply", *specs, *targets, "--auto-approve"]) == 0, "apply failed"
        setup = time.perf_counter() - started

        started = time.perf_counter()
        session = engine.load([root / "specs"], [root / "targets"])
        target = session.targets[0]
        backend, rendered = engine.render(session, target)
        read_started = time.perf_counter()
        live = backend.read_live(target)
        read_wall = time.perf_counter() - read_started
        plan, _ = diff(target.name, target.backend, rendered.resources, live.resources, backend.requires_replace)
        monaco_wall = time.perf_counter() - started
        assert not plan.changes, "the plan after apply must be empty"
        calls: dict[str, int] = dict(getattr(backend, "last_calls", {}))

        names, naive_wall = _one_by_one(server.endpoint)

    print(f"live policies: {len(names)} (+1 channel); apply took {setup:.1f} s")
    print(f"{'refresh':<52} {'API calls':>9} {'wall':>8}")
    print(f"{'monaco plan (load + render + paged read + diff)':<52} {live.calls:>9} {monaco_wall:>7.2f}s")
    print(f"  of which read_live {read_wall:.2f}s: " + ", ".join(f"{k} {v}" for k, v in sorted(calls.items())))
    print(f"{'one GetAlertPolicy per policy':<52} {len(names):>9} {naive_wall:>7.2f}s")
    print(f"calls ratio: {len(names) / live.calls:.0f}x fewer; read wall ratio: {naive_wall / read_wall:.1f}x")
    print("(the fake answers in microseconds; against the real API every call is a network round trip)")


if __name__ == "__main__":
    main()
