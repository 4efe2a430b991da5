"""Benchmark: validate, compile and plan at scale, each beside the C-loader compose time of the same files.

Generates N services x (5 ratio SLOs + 10 threshold alerts) with the default targets (Prometheus rule
files and an Alertmanager config in a local folder), then runs each command in a fresh process and
prints its wall time, peak RSS and ratio to `yaml.compose` with PyYAML's C loader. Each command's time is the
best of `--repeat` runs (3), and its ratio the best of the runs' ratios, each to a compose timed just before
it: a shared machine's speed drifts within a minute, and the fastest run is the one least disturbed. Before each `apply`, the live state is removed, so every run
applies everything; the no-change plan runs after the last apply.

Run: `python benchmarks/scale.py [--services 100 1000 3000] [--repeat 3]`. A script, not a test: numbers
vary by machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {{name: {name}, team: team-{team}, tier: 2, runbook: "https://runbooks.example.com/{name}"}}
slos:
{slos}
alerts:
{alerts}
"""
SLO = """\
  - name: {slo}
    objective: 99.9
    sli:
      ratio:
        bad: {{prometheus: 'sum(rate(http_requests_total{{job="{name}",route="/{slo}",code=~"5.."}}[{{{{window}}}}]))'}}
        total: {{prometheus: 'sum(rate(http_requests_total{{job="{name}",route="/{slo}"}}[{{{{window}}}}]))'}}
"""
ALERT = """\
  - name: {alert}
    severity: {severity}
    for: 5m
    when: {{above: {threshold}}}
    source: {{prometheus: 'sum(rate(worker_errors_total{{job="{name}",kind="{alert}"}}[5m]))'}}
    summary: '{{{{ $labels.job }}}}: {alert} above {threshold}'
"""
TEAM = """\
apiVersion: monaco/v1
kind: Team
metadata: {{name: team-{team}}}
receivers:
  - {{name: team-{team}-email, email: {{to: [team-{team}@example.com]}}}}
default_receiver: team-{team}-email
routes:
  - {{match: {{severity: critical}}, to: [team-{team}-email]}}
"""
TARGETS = """\
apiVersion: monaco/v1
kind: Target
metadata: {name: local-prometheus}
backend: prometheus
config: {rules_dir: ../live/rules}
---
apiVersion: monaco/v1
kind: Target
metadata: {name: local-alertmanager}
backend: alertmanager
config: {config_file: ../live/alertmanager.yml, base_config: _base/alertmanager.yml}
"""
BASE = "global: {smtp_smarthost: 'mail.example.com:25', smtp_from: monaco@example.com}\nroute: {receiver: fallback}\nreceivers:\n  - name: fallback\n"
SEVERITIES = ("critical", "high", "medium", "low")


def write_corpus(root: Path, services: int) -> list[Path]:
    """The spec and target files of `services` services in 1 team per 10 services; returns the spec files."""
    specs, targets = root / "specs", root / "targets"
    (targets / "_base").mkdir(parents=True)
    specs.mkdir()
    (targets / "local.yaml").write_text(TARGETS, encoding="utf-8")
    (targets / "_base" / "alertmanager.yml").write_text(BASE, encoding="utf-8")
    files = []
    for team in range(services // 10 + 1):
        files.append(specs / f"team-{team}.yaml")
        files[-1].write_text(TEAM.format(team=team), encoding="utf-8")
    for i in range(services):
        name = f"svc-{i:05d}"
        slos = "".join(SLO.format(name=name, slo=f"slo-{j}") for j in range(5))
        alerts = "".join(
            ALERT.format(name=name, alert=f"Alert{j}", severity=SEVERITIES[j % 4], threshold=j + 1) for j in range(10)
        )
        files.append(specs / f"{name}.yaml")
        files[-1].write_text(SERVICE.format(name=name, team=i // 10, slos=slos, alerts=alerts), encoding="utf-8")
    return files


def compose_seconds(files: list[Path]) -> float:
    """Best of 3: compose every file with PyYAML's C loader (positions kept, nothing constructed)."""
    best = float("inf")
    texts = [f.read_text(encoding="utf-8") for f in files]
    for _ in range(3):
        start = time.perf_counter()
        for text in texts:
            yaml.compose(text, Loader=yaml.CSafeLoader)
        best = min(best, time.perf_counter() - start)
    return best


def run(root: Path, *args: str) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB, exit code) of `monaco args...` in a fresh process."""
    command = [sys.executable, "-m", "monaco", *args, "--specs", "specs", "--targets", "targets"]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def best_run(root: Path, args: tuple[str, ...], files: list[Path], repeat: int) -> tuple[float, float, float, int]:
    """(fastest wall, best ratio to compose, largest peak RSS, worst exit code) of `repeat` runs; each run's
    ratio is to the compose time measured just before it, so a drift of the machine's speed between runs
    moves both figures alike."""
    runs = []
    for _ in range(repeat):
        if args[0] == "apply":
            shutil.rmtree(root / "live", ignore_errors=True)
        compose = compose_seconds(files)
        wall, rss, code = run(root, *args)
        runs.append((wall, wall / compose, rss, code))
    return min(r[0] for r in runs), min(r[1] for r in runs), max(r[2] for r in runs), max(r[3] for r in runs)


def measure(services: int, repeat: int) -> None:
    """Print one row per command for a corpus of `services` services."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = write_corpus(root, services)
        size = sum(f.stat().st_size for f in files) / 2**20
        compose = compose_seconds(files)
        print(f"\n{services} services ({size:.1f} MiB of YAML): compose (C loader, best of 3) {compose:.2f} s")
        steps = [
            ("validate", ("validate",)),
            ("compile --out", ("compile", "--out", "compiled")),
            ("plan (first)", ("plan",)),
            ("apply", ("apply", "--auto-approve")),
            ("plan (no changes)", ("plan",)),
        ]
        print(f"  {'command':<20}{'wall':>9}{'peak RSS':>11}{'x compose':>11}  exit   (best of {repeat})")
        for label, args in steps:
            wall, ratio, rss, code = best_run(root, args, files, repeat)
            print(f"  {label:<20}{wall:>8.2f}s{rss:>8.0f} MiB{ratio:>10.1f}x  {code}")
        children = os.environ.get("MONACO_JOBS", "all usable cores")
        print(f"  (MONACO_JOBS: {children}; peak RSS is the largest process's, parent or forked child)")


def main() -> None:
    """Measure each requested corpus size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, nargs="+", default=[100, 1000, 3000])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command; the fastest is shown")
    options = parser.parse_args()
    for services in options.services:
        measure(services, options.repeat)


if __name__ == "__main__":
    main()
