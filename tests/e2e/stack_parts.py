"""The pieces of the end-to-end stack: the platform base config, the live targets, the two server processes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.e2e.live import LOCALHOST, ManagedProcess


def base_config(webhook: str, smtp_port: int) -> dict[str, Any]:
    """The platform's base config: fast grouping, and every fallback on 127.0.0.1 (the webhook, a closed SMTP port)."""
    return {
        "global": {
            "resolve_timeout": "5m",
            "smtp_smarthost": f"{LOCALHOST}:{smtp_port}",
            "smtp_from": "alertmanager@example.com",
            "smtp_require_tls": False,
        },
        "route": {
            "receiver": "platform-default",
            "group_by": ["alertname", "service"],
            "group_wait": "1s",
            "group_interval": "1s",
            "repeat_interval": "1h",
        },
        "receivers": [{"name": "platform-default", "webhook_configs": [{"url": f"{webhook}/platform-default"}]}],
    }


def target_docs(prometheus_url: str | None, alertmanager_url: str | None) -> list[dict[str, Any]]:
    """The live targets (with server URLs), or for the bootstrap apply only the Alertmanager file target."""
    alertmanager_config: dict[str, Any] = {
        "config_file": "../alertmanager/alertmanager.yml",
        "base_config": "_base/alertmanager.yml",
    }
    if alertmanager_url is not None:
        alertmanager_config["url"] = alertmanager_url
    head = {"apiVersion": "monaco/v1", "kind": "Target"}
    alertmanager_doc = head | {
        "metadata": {"name": "e2e-alertmanager"},
        "backend": "alertmanager",
        "config": alertmanager_config,
    }
    if prometheus_url is None:
        return [alertmanager_doc]
    prometheus_doc = head | {
        "metadata": {"name": "e2e-prometheus"},
        "backend": "prometheus",
        "config": {"rules_dir": "../prometheus/rules", "url": prometheus_url},
    }
    return [prometheus_doc, alertmanager_doc]


def alertmanager_process(binary: str, root: Path, port: int) -> ManagedProcess:
    """An Alertmanager on 127.0.0.1:`port` reading the config file monaco writes."""
    return ManagedProcess(
        "alertmanager",
        [
            binary,
            f"--config.file={root / 'alertmanager' / 'alertmanager.yml'}",
            f"--storage.path={root / 'alertmanager' / 'data'}",
            f"--web.listen-address={LOCALHOST}:{port}",
            "--cluster.listen-address=",
            "--log.level=info",
        ],
        root / "alertmanager.log",
    )


def prometheus_process(binary: str, root: Path, port: int, alertmanager_port: int) -> ManagedProcess:
    """A Prometheus on 127.0.0.1:`port` evaluating monaco's rule files every second (its config written here)."""
    rules_dir = root / "prometheus" / "rules"
    rules_dir.mkdir(parents=True, exist_ok=True)
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "alerting": {"alertmanagers": [{"static_configs": [{"targets": [f"{LOCALHOST}:{alertmanager_port}"]}]}]},
        "rule_files": [f"{rules_dir}/*.yml"],
    }
    (root / "prometheus" / "prometheus.yml").write_text(json.dumps(config, indent=2), encoding="utf-8")
    return ManagedProcess(
        "prometheus",
        [
            binary,
            f"--config.file={root / 'prometheus' / 'prometheus.yml'}",
            f"--storage.tsdb.path={root / 'prometheus' / 'data'}",
            f"--web.listen-address={LOCALHOST}:{port}",
            "--web.enable-lifecycle",
            "--rules.alert.resend-delay=1s",
        ],
        root / "prometheus.log",
    )
