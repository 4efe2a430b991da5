"""`alertmanager: true` on a mimir_ruler target: the tenant's Alertmanager config through the real CLI and the fake."""

from __future__ import annotations

import re
import subprocess
import threading
from pathlib import Path
from typing import Any

import yaml

from monaco.backends.base import Target
from monaco.backends.mimir_ruler.backend import MimirRulerBackend
from monaco.backends.mimir_ruler.config import MimirRulerConfig
from monaco.plan.model import Action, Change, Resource
from tests.conformance.workspace import Workspace
from tests.conftest import require_tool
from tests.fakes.mimir import MimirFake
from tests.mimir_ruler.conftest import TENANT, ruler_config

ALERTS = "/api/v1/alerts"
TENANT_CONFIG = """\
global: {smtp_smarthost: 'smtp.example.com:587', smtp_from: alerts@example.com}
route:
  receiver: platform
  routes:
    - {receiver: db-team, matchers: ['team="db"']}
receivers:
  - name: platform
  - name: db-team
    webhook_configs: [{url: 'https://db.example.com/hook-secret-of-theirs'}]
"""
BASE_FILE = """\
global: {smtp_smarthost: 'smtp.example.com:587', smtp_from: alerts@example.com}
route: {receiver: base-default, group_by: [alertname]}
receivers: [{name: base-default}]
"""


def _seed(fake: MimirFake, text: str) -> None:
    """The tenant's own config, stored out of band (someone ran `mimirtool alertmanager load`)."""
    with fake.store.lock:
        fake.store.alertmanager[TENANT] = {
            "template_files": {"x.tmpl": '{{ define "x" }}x{{ end }}'},
            "alertmanager_config": text,
        }


def _stored(fake: MimirFake) -> tuple[str, dict[str, Any]]:
    """The stored config text and its parsed form."""
    text = fake.store.alertmanager[TENANT]["alertmanager_config"]
    return text, yaml.safe_load(text)


def _amtool_check(text: str, tmp: Path) -> None:
    """`amtool check-config` on the config text the fake holds."""
    amtool = require_tool("amtool")
    path = tmp / "posted.yml"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run([amtool, "check-config", str(path)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr


def test_compile_renders_routes_receivers_and_inhibitions(ws: Workspace, mimir_fake: MimirFake, tmp_path: Path) -> None:
    """compile writes alertmanager.yaml: the base file, a subtree per service, receivers without secrets; amtool passes."""
    (ws.root / "am-base.yaml").parent.mkdir(parents=True, exist_ok=True)
    (ws.root / "am-base.yaml").write_text(BASE_FILE, encoding="utf-8")
    ws.write("mimir_ruler", ruler_config(mimir_fake, alertmanager=True, alertmanager_base_config="../am-base.yaml"))
    out = tmp_path / "out"
    assert ws.run("compile", "--out", str(out)).code == 0
    text = (out / "conformance" / "alertmanager.yaml").read_text(encoding="utf-8")
    assert ws.canary not in text
    config = yaml.safe_load(text)
    assert config["route"]["receiver"] == "base-default"
    assert [r["matchers"] for r in config["route"]["routes"]] == [['service="basket"'], ['service="checkout"']]
    assert {r["name"] for r in config["receivers"]} == {
        "base-default",
        "payments-pager",
        "payments-hook",
        "payments-mail",
    }
    assert config["inhibit_rules"]
    _amtool_check(text, tmp_path)


def test_apply_keeps_the_tenants_config_then_plan_is_empty(
    ws: Workspace, mimir_fake: MimirFake, tmp_path: Path
) -> None:
    """Monaco's subtrees go first under the tenant's root, its routes/receivers/templates stay; amtool accepts it."""
    _seed(mimir_fake, TENANT_CONFIG)
    ws.write("mimir_ruler", ruler_config(mimir_fake, alertmanager=True))
    planned = ws.run("plan")
    assert "alertmanager_config" in planned.output and ws.canary not in planned.output
    ws.converge()
    text, config = _stored(mimir_fake)
    assert text.startswith("# managed-by: monaco\n# monaco-target: conformance\n")
    routes = config["route"]["routes"]
    assert routes[-1] == {"receiver": "db-team", "matchers": ['team="db"']}
    assert [r["matchers"][0] for r in routes[:2]] == ['service="basket"', 'service="checkout"']
    assert routes[0]["receiver"] == "payments-mail", "the team's default receiver heads the service's subtree"
    names = [r["name"] for r in config["receivers"]]
    assert names[:2] == ["platform", "db-team"] and "payments-pager" in names
    assert mimir_fake.store.alertmanager[TENANT]["template_files"] == {"x.tmpl": '{{ define "x" }}x{{ end }}'}
    assert ws.canary in text, "the real secret value is what the Alertmanager needs"
    _amtool_check(text, tmp_path)
    posts = [c for c in mimir_fake.calls_of("POST") if c.path == ALERTS]
    assert len(posts) == 1 and posts[0].status == 201
    before = len(mimir_fake.calls_of())
    assert ws.run("plan", "--detailed-exitcode").code == 0
    assert [(c.method, c.path) for c in mimir_fake.calls_of()[before:]] == [
        ("GET", "/prometheus/config/v1/rules"),
        ("GET", ALERTS),
    ]


def test_a_changed_route_updates_field_by_field_and_never_prints_a_secret(ws: Workspace, mimir_fake: MimirFake) -> None:
    """A route change plans as field changes of the one config resource; the secret is a fingerprint in the plan."""
    _seed(mimir_fake, TENANT_CONFIG)
    ws.write("mimir_ruler", ruler_config(mimir_fake, alertmanager=True))
    ws.converge()
    ws.change_route()
    planned = ws.run("plan", "--detailed-exitcode")
    assert planned.code == 2
    assert "routes.checkout" in planned.output and "payments-mail" in planned.output
    assert ws.canary not in planned.output
    ws.converge()
    assert all(ws.canary not in output for output in ws.outputs)


def test_unchanged_receivers_keep_their_live_secret_values(ws: Workspace, mimir_fake: MimirFake) -> None:
    """Applying a route change with no secret readable: receivers whose fingerprint is unchanged keep the live value."""
    ws.write("mimir_ruler", ruler_config(mimir_fake, alertmanager=True))
    _seed(mimir_fake, TENANT_CONFIG)
    ws.converge()
    backend = MimirRulerBackend()
    config = MimirRulerConfig.model_validate(ruler_config(mimir_fake, alertmanager=True))
    target = Target("conformance", "mimir_ruler", config, ws.targets, None)
    live = next(r for r in backend.read_live(target).resources if r.kind == "alertmanager_config")
    body = dict(live.body, routes={**live.body["routes"], "checkout": {"matchers": ['service="checkout"']}})
    refs = {pointer: "env:UNREADABLE" for pointer in live.secrets}
    change = Change(Action.UPDATE, live, Resource(live.kind, live.name, body, secrets=refs))

    def no_secrets(ref: str) -> str:
        raise KeyError(ref)

    report = backend.apply(target, [change], no_secrets, cancel=threading.Event())
    assert report.ok, report.results
    text, stored = _stored(mimir_fake)
    assert ws.canary in text
    assert next(r for r in stored["route"]["routes"] if r["matchers"] == ['service="checkout"']) == {
        "matchers": ['service="checkout"']
    }


def test_a_refused_post_is_reported_alone_and_groups_still_apply(ws: Workspace, mimir_fake: MimirFake) -> None:
    """The Alertmanager refusing the config fails that change only; every rule group is posted; a rerun converges."""
    ws.write("mimir_ruler", ruler_config(mimir_fake, alertmanager=True))
    _seed(mimir_fake, TENANT_CONFIG)
    counted = re.search(r"(\d+) changes", ws.run("plan").output)
    assert counted is not None
    writes = int(counted.group(1))  # one write per group and marker, the Alertmanager config's POST last
    mimir_fake.fail_nth_write(writes, status=400)
    applied = ws.run("apply", "--auto-approve")
    assert applied.code != 0 and "alertmanager_config" in applied.output and "400" in applied.output
    assert len([k for k in mimir_fake.snapshot() if k.startswith("rules/")]) == 6
    assert "monaco" not in mimir_fake.store.alertmanager[TENANT]["alertmanager_config"]
    ws.converge()


def test_another_targets_config_or_a_base_file_over_the_tenants_is_refused(
    ws: Workspace, mimir_fake: MimirFake
) -> None:
    """With a base file, the tenant's own config would be replaced: MON410 naming the tenant, MON675, untouched."""
    _seed(mimir_fake, TENANT_CONFIG)
    (ws.root / "am-base.yaml").parent.mkdir(parents=True, exist_ok=True)
    (ws.root / "am-base.yaml").write_text(BASE_FILE, encoding="utf-8")
    ws.write("mimir_ruler", ruler_config(mimir_fake, alertmanager=True, alertmanager_base_config="../am-base.yaml"))
    planned = ws.run("plan")
    assert planned.code == 1 and "MON410" in planned.output and "MON675" in planned.output
    ws.run("apply", "--auto-approve")
    assert mimir_fake.store.alertmanager[TENANT]["alertmanager_config"] == TENANT_CONFIG


def test_no_tenant_config_gets_the_built_in_base_and_email_without_smtp_fails(
    ws: Workspace, mimir_fake: MimirFake
) -> None:
    """No tenant config (404) and email without SMTP: the config change fails with the reason; groups apply."""
    ws.write("mimir_ruler", ruler_config(mimir_fake, alertmanager=True))
    applied = ws.run("apply", "--auto-approve")
    assert applied.code != 0 and "smtp_smarthost" in applied.output
    assert TENANT not in mimir_fake.store.alertmanager
    assert len([k for k in mimir_fake.snapshot() if k.startswith("rules/")]) == 6


def test_a_file_secret_a_base_receiver_and_a_broken_base_are_reported(ws: Workspace, mimir_fake: MimirFake) -> None:
    """validate: a PagerDuty key read from a file is MON674 (Mimir refuses `routing_key_file`); a receiver the
    base file defines is MON677; a base file that does not parse is MON676."""
    (ws.root / "am-base.yaml").parent.mkdir(parents=True, exist_ok=True)
    (ws.root / "am-base.yaml").write_text(BASE_FILE.replace("base-default}", "base-default}, {name: payments-hook}"))
    ws.write("mimir_ruler", ruler_config(mimir_fake, alertmanager=True, alertmanager_base_config="../am-base.yaml"))
    team = ws.specs / "payments-team.yaml"
    team.write_text(re.sub(r"routing_key: \{env: \w+\}", "routing_key: {file: /run/secrets/pd}", team.read_text()))
    checked = ws.run("validate")
    assert checked.code == 1
    assert "MON674" in checked.output and "routing_key_file" in checked.output
    assert "MON677" in checked.output and "payments-hook" in checked.output
    (ws.root / "am-base.yaml").write_text("route: [unclosed\n", encoding="utf-8")
    broken = ws.run("validate")
    assert broken.code == 1 and "MON676" in broken.output
