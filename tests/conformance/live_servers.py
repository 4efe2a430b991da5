"""Real `prometheus` and `prometheus-alertmanager` processes on 127.0.0.1 for the properties that need a server.

Each is started at most once per test module (by a module-scoped fixture, only when a property asks for
it) and stopped by PID. A test points its target at the server's rule directory or config file and its
URL; `reset()` puts the server back to holding nothing of monaco's before each use.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from monaco.cli.main import main
from tests.conftest import require_tool
from tests.e2e.live import ManagedProcess, free_port, http
from tests.threaded_server import LOCALHOST

BASE_CONFIG = {
    "global": {"smtp_smarthost": f"{LOCALHOST}:25", "smtp_from": "alertmanager@example.com", "smtp_require_tls": False},
    "route": {"receiver": "platform-default", "group_by": ["alertname", "service"]},
    "receivers": [{"name": "platform-default"}],
}
"""The platform's base Alertmanager config: mail only via 127.0.0.1, a root route to a receiver that notifies nobody."""

BASE_CONFIG_FILE = "_base/alertmanager.yml"
"""Where a workspace keeps the base config, relative to its targets directory."""


@dataclass(slots=True)
class LiveServer:
    """One running server: where monaco writes for it, its URL, and the process."""

    place: Path
    url: str
    process: ManagedProcess
    initial: str = ""

    def reset(self) -> None:
        """Remove what earlier tests wrote (rule files; the config back to the bootstrap one) and reload."""
        if self.place.is_dir():
            shutil.rmtree(self.place)
            self.place.mkdir()
        else:
            self.place.write_text(self.initial, encoding="utf-8")
        status, body = http("POST", f"{self.url}/-/reload")
        assert status == 200, f"{self.process.name} refused the reset reload: {status} {body}"


def prometheus_server(root: Path) -> Iterator[LiveServer]:
    """A Prometheus loading every `*.yml` in `root/rules`, with the lifecycle API on; stopped by PID."""
    binary = require_tool("prometheus")
    rules = root / "rules"
    rules.mkdir(parents=True)
    config = {"global": {"evaluation_interval": "1s"}, "rule_files": [f"{rules}/*.yml"]}
    (root / "prometheus.yml").write_text(json.dumps(config), encoding="utf-8")
    port = free_port()
    process = ManagedProcess(
        "prometheus",
        [
            binary,
            f"--config.file={root / 'prometheus.yml'}",
            f"--storage.tsdb.path={root / 'data'}",
            f"--web.listen-address={LOCALHOST}:{port}",
            "--web.enable-lifecycle",
        ],
        root / "prometheus.log",
    )
    yield from _serving(LiveServer(rules, f"http://{LOCALHOST}:{port}", process), "/-/ready")


def write_base_config(targets: Path) -> None:
    """The platform's base config beside a workspace's targets."""
    path = targets / BASE_CONFIG_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(BASE_CONFIG, indent=2) + "\n", encoding="utf-8")


def _bootstrap(root: Path, target: str, config_file: Path) -> None:
    """Alertmanager needs a config to start, and monaco changes only files it owns: apply no services first."""
    (root / "specs").mkdir(parents=True)
    write_base_config(root / "targets")
    config = {"config_file": str(config_file), "base_config": BASE_CONFIG_FILE}
    document = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": target}}
    document |= {"backend": "alertmanager", "config": config}
    (root / "targets" / "target.yaml").write_text(json.dumps(document), encoding="utf-8")
    code = main(["apply", "--auto-approve", "--specs", str(root / "specs"), "--targets", str(root / "targets")])
    assert code == 0 and config_file.is_file(), "the bootstrap apply of the Alertmanager config failed"


def alertmanager_server(root: Path, target: str) -> Iterator[LiveServer]:
    """An Alertmanager reading `root/alertmanager.yml` (bootstrapped by monaco for `target`); stopped by PID."""
    binary = require_tool("prometheus-alertmanager")
    config = root / "alertmanager.yml"
    _bootstrap(root / "bootstrap", target, config)
    port = free_port()
    process = ManagedProcess(
        "alertmanager",
        [
            binary,
            f"--config.file={config}",
            f"--storage.path={root / 'data'}",
            f"--web.listen-address={LOCALHOST}:{port}",
            "--cluster.listen-address=",
        ],
        root / "alertmanager.log",
    )
    server = LiveServer(config, f"http://{LOCALHOST}:{port}", process, config.read_text(encoding="utf-8"))
    yield from _serving(server, "/-/ready")


def _serving(server: LiveServer, ready_path: str) -> Iterator[LiveServer]:
    """Start the process, wait until it is ready, yield it, and always stop it."""
    server.process.start()
    try:
        server.process.wait_ready(f"{server.url}{ready_path}")
        yield server
    finally:
        server.process.stop()
