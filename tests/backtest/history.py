"""History made by the test: OpenMetrics with known bursts, imported with promtool into a TSDB a real Prometheus serves.

Six hours, one sample a minute, ending `END_AGO` before now on a whole hour (promtool writes blocks only
for what is older than the head). Minutes are counted from the start:

* `api_error_ratio{job="api"}`: 1 in minutes [60, 80) and [200, 240) (20 and 40 minutes), and in a
  3-minute blip [300, 303); 0 elsewhere.
* `http_requests_total{job="api"}`: +60 a minute (1/s) throughout; `http_errors_total{job="api"}`: +30
  a minute (half the requests fail) in [60, 80) and [200, 240) only, so an SLO burns in exactly those.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.live import ManagedProcess, free_port
from tests.threaded_server import LOCALHOST

MINUTES = 360
END_AGO_SECONDS = 4 * 3600
BURSTS = ((60, 80), (200, 240))
BLIP = (300, 303)


@dataclass(frozen=True, slots=True)
class History:
    """The range the history covers (Unix seconds, whole minutes)."""

    start: int
    end: int

    def at(self, minute: int) -> int:
        """The Unix time of a minute of the history."""
        return self.start + 60 * minute


def _in(minute: int, spans: tuple[tuple[int, int], ...]) -> bool:
    return any(a <= minute < b for a, b in spans)


def openmetrics(history: History) -> str:
    """The three series as OpenMetrics text (timestamps in seconds, `# EOF` last)."""
    ratio, requests, errors = [], [], []
    total = failed = 0
    for minute in range(MINUTES + 1):
        t = history.at(minute)
        total += 60
        failed += 30 if _in(minute, BURSTS) else 0
        ratio.append(f'api_error_ratio{{job="api"}} {1 if _in(minute, (*BURSTS, BLIP)) else 0} {t}')
        requests.append(f'http_requests_total{{job="api"}} {total} {t}')
        errors.append(f'http_errors_total{{job="api"}} {failed} {t}')
    lines = ["# TYPE api_error_ratio gauge", *ratio, "# TYPE http_requests counter", *requests]
    lines += ["# TYPE http_errors counter", *errors, "# EOF"]
    return "\n".join(lines) + "\n"


def make_history(promtool: str, directory: Path) -> History:
    """Write the history into a TSDB under `directory / "data"` and return its range."""
    end = (int(time.time()) - END_AGO_SECONDS) // 3600 * 3600
    history = History(end - MINUTES * 60, end)
    source = directory / "history.om"
    source.write_text(openmetrics(history), encoding="utf-8")
    subprocess.run(
        [promtool, "tsdb", "create-blocks-from", "openmetrics", str(source), str(directory / "data")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return history


def prometheus_process(binary: str, directory: Path, rules_dir: Path) -> tuple[ManagedProcess, str]:
    """A Prometheus on an ephemeral 127.0.0.1 port serving the TSDB (and loading `rules_dir`), and its URL."""
    port = free_port()
    config = directory / "prometheus.yml"
    config.write_text(f'global: {{evaluation_interval: 1m}}\nrule_files: ["{rules_dir}/*.yml"]\n', encoding="utf-8")
    process = ManagedProcess(
        "prometheus",
        [
            binary,
            f"--config.file={config}",
            f"--storage.tsdb.path={directory / 'data'}",
            "--storage.tsdb.retention.time=30d",
            f"--web.listen-address={LOCALHOST}:{port}",
            "--web.enable-lifecycle",
        ],
        directory / "prometheus.log",
    )
    return process, f"http://{LOCALHOST}:{port}"
