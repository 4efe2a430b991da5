"""Plan against 1,000 live Azure Monitor rules on the fake ARM server: API calls and wall time, beside a per-rule GET.

Run: python benchmarks/azure_monitor_plan.py [--rules 1000] [--page-size 100]

It starts the fake ARM server (HTTPS on 127.0.0.1, ephemeral port), applies N threshold alerts through
monaco's real azure-mgmt clients (half metric alerts, half log alerts, plus their action groups), then
measures (a) monaco's plan: render + one paged list call per type + diff, and (b) a refresh that GETs
every rule by name, as a per-resource tool would.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _get_each(azure: Any, target: Any, rules: list[Any]) -> float:
    """Seconds taken to GET every rule by name, as a per-resource refresh does."""
    from tests.azure_monitor import builders as b

    clients = azure.make_clients(target.config, target)
    started = time.perf_counter()
    for rule in rules:
        monitor = clients.monitor
        operations = monitor.metric_alerts if rule.kind == "metric_alert" else monitor.scheduled_query_rules
        operations.get(b.GROUP, rule.name)
    return time.perf_counter() - started


def main() -> None:
    """Measure and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--page-size", type=int, default=100, help="log alerts per list page the fake returns")
    args = parser.parse_args()

    from monaco.plan.diff import diff
    from tests.azure_monitor import builders as b
    from tests.azure_monitor.conftest import Azure
    from tests.fakes.azure_arm import running_azure_fake

    with running_azure_fake(page_size=args.page_size) as fake:
        azure = Azure(fake)
        half = args.rules // 2
        metric = tuple(b.alert(f"Http{i:04d}", threshold=float(i)) for i in range(half))
        logs = tuple(
            b.alert(f"Log{i:04d}", source=b.log_source(), threshold=float(i)) for i in range(args.rules - half)
        )
        svc = b.service(alerts=metric + logs)
        model, target = b.model(svc), b.target(azure.config(), svc)
        started = time.perf_counter()
        azure.converge(model, target)
        setup = time.perf_counter() - started

        backend = azure.backend()
        started = time.perf_counter()
        rendered = backend.render(model, target, b.fingerprint)
        live = backend.read_live(target)
        plan, _ = diff(target.name, target.backend, rendered.resources, live.resources, backend.requires_replace)
        monaco_wall = time.perf_counter() - started
        assert not plan.changes, "the plan after apply must be empty"

        rules = [r for r in rendered.resources if r.kind in ("metric_alert", "log_alert")]
        naive_wall = _get_each(azure, target, rules)
        for made in azure.clients_made:
            made.close()

    print(f"live rules: {len(rules)} (+{len(rendered.resources) - len(rules)} action groups); apply took {setup:.1f} s")
    print(f"{'refresh':<58} {'API calls':>9} {'wall':>8}")
    detail = ", ".join(f"{k} {v}" for k, v in sorted(backend.last_calls.items()))
    print(f"{'monaco plan (render + paged lists + diff)':<58} {live.calls:>9} {monaco_wall:>7.2f}s")
    print(f"  {detail} (log alerts {args.page_size} a page)")
    print(f"{'one GET per rule':<58} {len(rules):>9} {naive_wall:>7.2f}s")
    print(f"calls ratio: {len(rules) / live.calls:.0f}x fewer; wall ratio: {naive_wall / monaco_wall:.1f}x faster")


if __name__ == "__main__":
    main()
