"""Plan against 1,000 live CloudWatch alarms on moto: API calls and wall time, beside a per-alarm refresh.

Run: python benchmarks/cloudwatch_plan.py [--alarms 1000]

It starts moto's threaded server on 127.0.0.1 (ephemeral port, with the test shims that make
DescribeAlarms page like AWS), applies N threshold alarms through monaco, then measures
(a) monaco's plan: render + batched read_live + diff, and (b) a Terraform-style refresh that
calls DescribeAlarms(AlarmNames=[name]) and ListTagsForResource once per alarm.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _one_by_one(endpoint: str, names: list[str]) -> tuple[int, float]:
    """(calls, wall seconds) of reading each alarm and its tags with one call each, as a naive refresh does."""
    import boto3

    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="eu-west-1")
    cw: Any = session.client("cloudwatch", endpoint_url=endpoint)
    started = time.perf_counter()
    for name in names:
        alarm = cw.describe_alarms(AlarmNames=[name], AlarmTypes=["MetricAlarm"])["MetricAlarms"][0]
        cw.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])
    return 2 * len(names), time.perf_counter() - started


def _monaco_plan(backend: Any, model: Any, target: Any, fingerprint: Any) -> tuple[Any, Any, float]:
    """(rendered, live, wall seconds) of what `monaco plan` does for the target: render, paged read, diff."""
    from monaco.plan.diff import diff

    started = time.perf_counter()
    rendered = backend.render(model, target, fingerprint)
    live = backend.read_live(target)
    plan, _ = diff(target.name, target.backend, rendered.resources, live.resources, backend.requires_replace)
    assert not plan.changes, "the plan after apply must be empty"
    return rendered, live, time.perf_counter() - started


def main() -> None:
    """Measure and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alarms", type=int, default=1000)
    args = parser.parse_args()

    import logging

    from moto.server import ThreadedMotoServer

    from tests.aws import builders as b
    from tests.aws import moto_shims
    from tests.aws.conftest import Aws

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    moto_shims.install()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        aws = Aws(f"http://{host}:{port}")
        alerts = tuple(b.alert(f"Cpu{i:04d}", line=100 + i) for i in range(args.alarms))
        svc = b.service(alerts=alerts)
        model, target = b.model(svc), b.target(aws.config(max_concurrency=8), svc)
        started = time.perf_counter()
        aws.converge(model, target)
        setup = time.perf_counter() - started

        backend = aws.backend()
        rendered, live, monaco_wall = _monaco_plan(backend, model, target, b.fingerprint)

        names = [r.name for r in rendered.resources if r.kind == "alarm"]
        naive_calls, naive_wall = _one_by_one(aws.endpoint, names)
    finally:
        server.stop()

    print(f"live alarms: {len(names)} (+{len(rendered.resources) - len(names)} SNS topics); apply took {setup:.1f} s")
    print(f"{'refresh':<58} {'API calls':>9} {'wall':>8}")
    detail = ", ".join(f"{k} {v}" for k, v in sorted(backend.last_calls.items()))
    print(f"{'monaco plan (render + paged read + diff)':<58} {live.calls:>9} {monaco_wall:>7.2f}s")
    print(f"  {detail}")
    print(f"{'one DescribeAlarms + ListTagsForResource per alarm':<58} {naive_calls:>9} {naive_wall:>7.2f}s")
    print(f"calls ratio: {naive_calls / live.calls:.0f}x fewer; wall ratio: {naive_wall / monaco_wall:.1f}x faster")


if __name__ == "__main__":
    main()
