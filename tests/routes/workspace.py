"""A workspace whose routing has every shape Alertmanager cares about: continue, lists, team routes, defaults."""

from __future__ import annotations

from pathlib import Path

TEAM = """\
apiVersion: monaco/v1
kind: Team
metadata: {name: payments}
default_receiver: payments-email
receivers:
  - name: payments-pager
    pagerduty: {routing_key: {file: /etc/monaco/pd}}
  - name: payments-slack
    slack: {channel: "#payments", webhook_url: {file: /etc/monaco/slack}}
  - name: payments-email
    email: {to: [payments@example.com]}
  - name: db-hook
    webhook: {url: "https://hooks.example.com/db"}
routes:
  - match: {severity: critical}
    to: [payments-pager, payments-slack]
  - match: {severity: [high, medium]}
    to: [payments-slack]
"""

SERVICE = """\
apiVersion: monaco/v1
kind: Service
metadata: {name: checkout, team: payments, tier: 1, labels: {env: prod}, runbook: "https://runbooks.example.com/c"}
alerts:
  - name: CheckoutErrors
    severity: critical
    for: 5m
    when: {above: 0.05}
    source: {prometheus: 'sum(rate(http_errors_total{job="checkout"}[5m]))'}
    summary: errors
  - name: CheckoutDbSlow
    severity: high
    for: 5m
    when: {above: 2}
    labels: {component: db}
    source: {prometheus: 'max(db_latency_seconds{job="checkout"})'}
    summary: slow db
  - name: CheckoutDiskLow
    severity: low
    for: 5m
    when: {above: 0.9}
    source: {prometheus: 'max(disk_used_ratio{job="checkout"})'}
    summary: disk
routes:
  - match: {component: db}
    to: [db-hook]
    continue: true
  - match: {severity: low, env: [prod, staging]}
    to: [payments-email]
slos:
  - name: availability
    objective: 99.9
    period: 30d
    sli:
      ratio:
        bad: {prometheus: 'sum(rate(http_errors_total{job="checkout"}[{{window}}]))'}
        total: {prometheus: 'sum(rate(http_requests_total{job="checkout"}[{{window}}]))'}
"""

BASE = """\
global: {smtp_smarthost: "smtp.example.com:587", smtp_from: "am@example.com"}
route:
  receiver: platform-default
  group_by: [alertname]
  routes:
    - receiver: platform-db
      match: {team: storage}
    - receiver: platform-regex
      match_re: {cluster: "eu-.*"}
      continue: true
    - receiver: platform-not-prod
      matchers: ['env!="prod"', 'region!~"us-.*"']
receivers:
  - name: platform-default
  - name: platform-db
  - name: platform-regex
  - name: platform-not-prod
"""

TARGETS = """\
apiVersion: monaco/v1
kind: Target
metadata: {name: am}
backend: alertmanager
config: {config_file: ../live/alertmanager.yml, base_config: _base/alertmanager.yml}
---
apiVersion: monaco/v1
kind: Target
metadata: {name: prom}
backend: prometheus
config: {rules_dir: ../live/rules}
"""


def write_workspace(root: Path, service: str = SERVICE, targets: str = TARGETS, team: str = TEAM) -> Path:
    """The team, service, base config and targets under `root`; returns `root`."""
    (root / "specs").mkdir(parents=True)
    (root / "targets" / "_base").mkdir(parents=True)
    (root / "specs" / "team.yaml").write_text(team)
    (root / "specs" / "checkout.yaml").write_text(service)
    (root / "targets" / "_base" / "alertmanager.yml").write_text(BASE)
    (root / "targets" / "targets.yaml").write_text(targets)
    return root
