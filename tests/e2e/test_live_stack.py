"""The whole path on real servers: specs -> apply -> Prometheus rules -> a firing alert -> Alertmanager route -> webhook.

One module-scoped stack (a recording webhook, `prometheus-alertmanager`, `prometheus`, all on 127.0.0.1 with
ephemeral ports and temporary folders) serves every test; each test first converges the workspace with
`apply --auto-approve`, so any one of them can run alone. Servers are stopped by PID in the fixture's teardown.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.conftest import require_tool
from tests.e2e.live import LOCALHOST, ManagedProcess, WebhookReceiver, free_port, get_json, http, poll, stopping
from tests.e2e.stack_parts import alertmanager_process, base_config, prometheus_process, target_docs
from tests.tools.workspaces import EXAMPLES, monaco

EXAMPLE = EXAMPLES / "http-api"
SERVICE_FILE = "storefront-api.yaml"
SERVICE, TEAM = "storefront-api", "web"
FIRING_ALERT, FIRING_SEVERITY = "E2EAlwaysFiring", "medium"
E2E_RECEIVER = "e2e-webhook"


def _round_trip() -> YAML:
    """A ruamel round-trip loader/dumper that keeps comments and block scalars of spec files."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


@dataclass(slots=True)
class Stack:
    """The live servers and the spec workspace that targets them."""

    root: Path
    specs: Path
    targets: Path
    rules_dir: Path
    am_config: Path
    base_config: Path
    prometheus_url: str
    alertmanager_url: str
    webhook: WebhookReceiver
    prometheus: ManagedProcess
    alertmanager: ManagedProcess

    @property
    def service_file(self) -> Path:
        """The service spec the tests edit."""
        return self.specs / SERVICE_FILE

    def monaco(self, command: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
        """`python -m monaco COMMAND --specs ... --targets ... ARGS` against this workspace."""
        return monaco(command, "--specs", self.specs, "--targets", self.targets, *args)

    def converge(self) -> None:
        """Apply whatever is pending, then require an empty plan."""
        applied = self.monaco("apply", "--auto-approve")
        assert applied.returncode == 0, f"apply failed:\n{applied.stdout}{applied.stderr}"
        planned = self.monaco("plan", "--detailed-exitcode")
        assert planned.returncode == 0, f"plan after apply is not empty:\n{planned.stdout}{planned.stderr}"

    def served_rules(self) -> dict[str, dict[str, Any]]:
        """Alerting rules Prometheus serves now, by alert name, from the service's group."""
        groups = get_json(f"{self.prometheus_url}/api/v1/rules")["data"]["groups"]
        return {r["name"]: r for g in groups if g["name"] == SERVICE for r in g["rules"] if r["type"] == "alerting"}

    def served_alertmanager_config(self) -> str:
        """The config text Alertmanager runs with now (`/api/v2/status` config.original)."""
        return str(get_json(f"{self.alertmanager_url}/api/v2/status")["config"]["original"])

    def set_threshold(self, alert: str, value: float) -> float:
        """Edit one alert's `when` threshold in the service spec, as a user would; returns the old value."""
        yaml = _round_trip()
        data = yaml.load(self.service_file)
        spec = next(a for a in data["alerts"] if a["name"] == alert)
        ((comparison, old),) = spec["when"].items()
        assert float(old) != value, f"{alert} already has threshold {value}"
        spec["when"][comparison] = value
        yaml.dump(data, self.service_file)
        return float(old)

    def threshold(self, alert: str) -> float:
        """One alert's current threshold in the service spec."""
        data = _round_trip().load(self.service_file)
        ((_, value),) = next(a for a in data["alerts"] if a["name"] == alert)["when"].items()
        return float(value)

    def spec_alert_names(self) -> set[str]:
        """Names of every alert the service spec defines."""
        return {str(a["name"]) for a in _round_trip().load(self.service_file)["alerts"]}


def _write_workspace(root: Path, webhook: str, prometheus_url: str, alertmanager_url: str, smtp_port: int) -> None:
    """A copy of the HTTP API example, plus an always-firing alert routed to the local webhook, and live targets."""
    specs = root / "specs"
    shutil.copytree(EXAMPLE / "specs", specs)
    yaml = _round_trip()
    service = yaml.load(specs / SERVICE_FILE)
    service["alerts"].append(
        {
            "name": FIRING_ALERT,
            "severity": FIRING_SEVERITY,
            "for": "0s",
            "when": {"above": 0},
            "source": {"prometheus": "vector(1)"},
            "summary": "Always firing, to prove delivery end to end",
            "labels": {"component": "e2e"},
        }
    )
    service["routes"].insert(0, {"match": {"component": "e2e"}, "to": [E2E_RECEIVER]})
    service["receivers"].append({"name": E2E_RECEIVER, "webhook": {"url": f"{webhook}/alerts", "send_resolved": True}})
    yaml.dump(service, specs / SERVICE_FILE)
    base = base_config(webhook, smtp_port)
    for folder, urls in (("targets", True), ("bootstrap", False)):
        (root / folder / "_base").mkdir(parents=True)
        (root / folder / "_base" / "alertmanager.yml").write_text(json.dumps(base, indent=2) + "\n", encoding="utf-8")
        docs = target_docs(prometheus_url if urls else None, alertmanager_url if urls else None)
        text = (
            "# Live targets written by the end-to-end test (JSON is YAML).\n"
            + "\n---\n".join(json.dumps(doc, indent=2) for doc in docs)
            + "\n"
        )
        (root / folder / "live.yaml").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Start the webhook, Alertmanager and Prometheus; yield the stack; always stop all three by PID."""
    prometheus_bin = require_tool("prometheus")
    alertmanager_bin = require_tool("prometheus-alertmanager")
    root = tmp_path_factory.mktemp("live")
    webhook = WebhookReceiver()
    prom_port, am_port, smtp_port = free_port(), free_port(), free_port()
    prometheus_url, alertmanager_url = f"http://{LOCALHOST}:{prom_port}", f"http://{LOCALHOST}:{am_port}"
    alertmanager = alertmanager_process(alertmanager_bin, root, am_port)
    with stopping(webhook, alertmanager):
        webhook.start()
        _write_workspace(root, webhook.url, prometheus_url, alertmanager_url, smtp_port)
        # Alertmanager needs a config file to start, and monaco only changes files it owns: a first apply of
        # no services, to a target without a URL, hands the file to monaco holding just the base config.
        empty = root / "no-specs"
        empty.mkdir()
        boot = monaco("apply", "--auto-approve", "--specs", empty, "--targets", root / "bootstrap")
        assert boot.returncode == 0, f"bootstrap apply failed:\n{boot.stdout}{boot.stderr}"
        alertmanager.start()
        prometheus = prometheus_process(prometheus_bin, root, prom_port, am_port)
        with stopping(prometheus):
            prometheus.start()
            alertmanager.wait_ready(f"{alertmanager_url}/-/ready")
            prometheus.wait_ready(f"{prometheus_url}/-/ready")
            yield Stack(
                root,
                root / "specs",
                root / "targets",
                root / "prometheus" / "rules",
                root / "alertmanager" / "alertmanager.yml",
                root / "targets" / "_base" / "alertmanager.yml",
                prometheus_url,
                alertmanager_url,
                webhook,
                prometheus,
                alertmanager,
            )


def _deliveries(stack: Stack, path: str, alertname: str) -> list[dict[str, Any]]:
    """Webhook POSTs to `path` whose alerts include `alertname`."""
    return [
        post["body"]
        for post in stack.webhook.received()
        if post["path"] == path
        and any(a["labels"].get("alertname") == alertname for a in post["body"].get("alerts", []))
    ]


def _change_lines(plan_text: str) -> list[str]:
    """The `+`, `~`, `-` and `-/+` resource lines of a text plan."""
    return [line.strip() for line in plan_text.splitlines() if re.match(r"^  (\+|~|-|-/\+) \S+$", line)]


def _hand_edit(rule_file_text: str) -> str:
    """The rule file as someone editing it by hand would leave it: owner marker kept, one label added."""
    header = [line for line in rule_file_text.splitlines() if line.startswith("#")]
    data = YAML(typ="safe").load(rule_file_text)
    data["groups"][0]["rules"][0].setdefault("labels", {})["edited_by"] = "hand"
    edited = "\n".join(header) + "\n" + json.dumps(data, indent=2) + "\n"
    assert edited != rule_file_text
    return edited


def test_apply_loads_rules_and_the_alert_reaches_the_webhook(stack: Stack) -> None:
    """apply -> every spec alert in /api/v1/rules -> the always-firing alert arrives at the local webhook
    through the compiled route, labelled service/team/severity -> plan is empty."""
    applied = stack.monaco("apply", "--auto-approve")
    assert applied.returncode == 0, f"{applied.stdout}{applied.stderr}"
    assert "Apply complete!" in applied.stderr

    wanted = stack.spec_alert_names()
    rules = poll(
        "the service's rules in /api/v1/rules",
        lambda: stack.served_rules() if set(stack.served_rules()) == wanted else None,
    )
    for rule in rules.values():
        assert rule["labels"]["service"] == SERVICE and rule["labels"]["team"] == TEAM, rule
        assert rule["labels"]["severity"] in {"critical", "high", "medium", "low"}, rule
    assert E2E_RECEIVER in stack.served_alertmanager_config()

    bodies = poll(f"{FIRING_ALERT} at the webhook", lambda: _deliveries(stack, "/alerts", FIRING_ALERT), timeout=45)
    body = bodies[0]
    assert body["receiver"] == E2E_RECEIVER and body["status"] == "firing", body
    alert = next(a for a in body["alerts"] if a["labels"]["alertname"] == FIRING_ALERT)
    assert alert["labels"]["service"] == SERVICE
    assert alert["labels"]["team"] == TEAM
    assert alert["labels"]["severity"] == FIRING_SEVERITY
    assert alert["annotations"]["summary"].startswith("Always firing")
    assert not _deliveries(stack, "/platform-default", FIRING_ALERT), "the alert fell through to the base root receiver"

    planned = stack.monaco("plan", "--detailed-exitcode")
    assert planned.returncode == 0, f"plan after apply is not empty:\n{planned.stdout}{planned.stderr}"
    assert "No changes." in planned.stdout


def test_one_threshold_change_is_one_update(stack: Stack, tmp_path: Path) -> None:
    """Changing one threshold plans exactly one `~ rule_group` update (text, exit code, JSON); applying the
    saved plan makes Prometheus serve the new threshold, and plan is empty again."""
    stack.converge()
    alert = "StorefrontHighLatencyP99"
    new = round(stack.threshold(alert) + 0.05, 2)
    stack.set_threshold(alert, new)

    planned = stack.monaco("plan", "--detailed-exitcode")
    assert planned.returncode == 2, f"{planned.stdout}{planned.stderr}"
    assert _change_lines(planned.stdout) == [f"~ rule_group.{SERVICE}"], planned.stdout
    assert planned.stdout.strip().splitlines()[-1] == "Plan: 0 to add, 1 to change, 0 to destroy."
    assert re.search(rf"~ \S*expr: .* -> .*> {re.escape(str(new))}", planned.stdout), planned.stdout

    plan_file = tmp_path / "plan.json"
    saved = stack.monaco("plan", "--format", "json", "--out", plan_file)
    assert saved.returncode == 0, saved.stderr
    data = json.loads(plan_file.read_text(encoding="utf-8"))
    assert json.loads(saved.stdout) == data
    assert isinstance(data["format_version"], int)
    changes = [c for target in data["targets"] for c in target["changes"]]
    assert [(c["action"], c["key"]) for c in changes] == [("update", f"rule_group.{SERVICE}")], changes

    applied = stack.monaco("apply", plan_file)
    assert applied.returncode == 0, f"{applied.stdout}{applied.stderr}"
    served = poll(
        f"{alert} with threshold {new} in /api/v1/rules",
        lambda: (
            stack.served_rules().get(alert)
            if re.search(rf"> {re.escape(str(new))}$", stack.served_rules().get(alert, {}).get("query", ""))
            else None
        ),
    )
    assert served["labels"]["service"] == SERVICE
    planned = stack.monaco("plan", "--detailed-exitcode")
    assert planned.returncode == 0, planned.stdout


def test_a_stale_saved_plan_is_refused(stack: Stack, tmp_path: Path) -> None:
    """A plan saved before someone edited the live rule file by hand is refused (exit 1) and changes nothing."""
    stack.converge()
    alert = "StorefrontHighInflightRequests"
    new = stack.threshold(alert) + 50
    stack.set_threshold(alert, new)
    plan_file = tmp_path / "plan.json"
    saved = stack.monaco("plan", "--out", plan_file, "--detailed-exitcode")
    assert saved.returncode == 2, f"{saved.stdout}{saved.stderr}"

    rule_file = next(stack.rules_dir.glob("*.yml"))
    hand_edited = _hand_edit(rule_file.read_text(encoding="utf-8"))
    rule_file.write_text(hand_edited, encoding="utf-8")

    refused = stack.monaco("apply", plan_file)
    assert refused.returncode == 1, f"{refused.stdout}{refused.stderr}"
    assert "changed since the plan was made" in refused.stderr and f"rule_group.{SERVICE}" in refused.stderr, (
        refused.stderr
    )
    assert rule_file.read_text(encoding="utf-8") == hand_edited, "a refused plan must not touch the live file"

    stack.converge()
    assert "edited_by" not in rule_file.read_text(encoding="utf-8")
    poll(
        f"{alert} with threshold {new:g} in /api/v1/rules",
        lambda: re.search(rf"> {new:g}$", stack.served_rules().get(alert, {}).get("query", "")),
    )


def test_a_rejected_alertmanager_reload_puts_the_old_file_back(stack: Stack) -> None:
    """A base config monaco accepts but Alertmanager rejects: apply reports the server's message, exits 1,
    and the previous file is back on disk and still served."""
    stack.converge()
    file_before = stack.am_config.read_text(encoding="utf-8")
    served_before = stack.served_alertmanager_config()
    good_base = stack.base_config.read_text(encoding="utf-8")
    base = json.loads(good_base)
    base["global"]["not_a_real_setting"] = True
    stack.base_config.write_text(json.dumps(base, indent=2) + "\n", encoding="utf-8")
    try:
        validated = monaco("validate", stack.specs, "--targets", stack.targets)
        assert validated.returncode == 0, validated.stderr

        applied = stack.monaco("apply", "--auto-approve")
        assert applied.returncode == 1, f"{applied.stdout}{applied.stderr}"
        assert "rejected the reload" in applied.stderr, applied.stderr
        assert "not_a_real_setting" in applied.stderr, "the server's own message is reported"
        assert stack.am_config.read_text(encoding="utf-8") == file_before
        assert stack.served_alertmanager_config() == served_before
        assert http("GET", f"{stack.alertmanager_url}/-/ready")[0] == 200
    finally:
        stack.base_config.write_text(good_base, encoding="utf-8")
    planned = stack.monaco("plan", "--detailed-exitcode")
    assert planned.returncode == 0, f"{planned.stdout}{planned.stderr}"
