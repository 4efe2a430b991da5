"""Receivers that name a PagerDuty service (`pagerduty: {service: X}`): the key is read from PagerDuty, not typed.

End to end through the CLI with the real `pagerduty` client against the HTTPS fake, and an Alertmanager target
writing its config file: the first plan shows the key as `(created by this apply)`, apply makes the PagerDuty
service first and writes the key it issued, the next plan is empty, and the key is never printed.
"""

from __future__ import annotations

import json

import yaml

from tests.cli_run import Run, run_cli
from tests.pagerduty.conftest import PdWorkspace

RECEIVERS = """\
receivers:
  - name: payments-pager
    pagerduty: {service: SERVICE}
routes:
  - match: {severity: critical}
    to: [payments-pager]
"""


def _with_am(ws: PdWorkspace, service: str = "checkout") -> None:
    """The team routes critical alerts to a receiver naming `service`; an Alertmanager target writes live/am.yml."""
    team = ws.root / "specs" / "team.yaml"
    team.write_text(team.read_text(encoding="utf-8") + RECEIVERS.replace("SERVICE", service), encoding="utf-8")
    target = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": "am"}, "backend": "alertmanager"}
    target["config"] = {"config_file": "../live/am.yml"}
    (ws.root / "targets" / "am.yaml").write_text(json.dumps(target), encoding="utf-8")


def _run(ws: PdWorkspace, *args: str, keys: tuple[str, ...] = ()) -> Run:
    return run_cli(ws.capsys, ws.root / "specs", ws.root / "targets", args, keys)


def _issued_keys(ws: PdWorkspace) -> dict[str, str]:
    """PagerDuty service name -> the integration key the fake issued for its monaco integration."""
    integrations = {k: json.loads(v) for k, v in ws.fake.snapshot().items() if k.startswith("integrations/")}
    services = {json.loads(v)["id"]: json.loads(v) for k, v in ws.fake.snapshot().items() if k.startswith("services/")}
    found = {}
    for service in services.values():
        for ref in service["integrations"]:
            found[service["name"]] = integrations[f"integrations/{ref['id']}"]["integration_key"]
    return found


def _pagerduty_config(ws: PdWorkspace) -> dict[str, object]:
    written = yaml.safe_load((ws.root / "live" / "am.yml").read_text(encoding="utf-8"))
    [receiver] = [r for r in written["receivers"] if r["name"] == "payments-pager"]
    [config] = receiver["pagerduty_configs"]
    return dict(config)


def test_first_plan_shows_created_by_this_apply_then_apply_wires_the_issued_key(pd_ws: PdWorkspace) -> None:
    """Plan before the PagerDuty service exists; apply orders pagerduty first; the written key is the issued one."""
    _with_am(pd_ws)
    planned = _run(pd_ws, "plan", "--detailed-exitcode")
    assert planned.code == 2, planned.output
    assert "(created by this apply)" in planned.out and "receiver.payments-pager" in planned.out, planned.out
    applied = _run(pd_ws, "apply", "--auto-approve")
    assert applied.code == 0, applied.output
    order = [line for line in applied.err.splitlines() if line.startswith("Applying")]
    assert order and "(pagerduty)" in order[0] and "(alertmanager)" in order[-1], applied.err
    key = _issued_keys(pd_ws)["monaco-checkout"]
    assert _pagerduty_config(pd_ws)["routing_key"] == key
    assert "created by this apply" not in (pd_ws.root / "live" / "am.yml").read_text(encoding="utf-8")
    keys = tuple(_issued_keys(pd_ws).values())
    again = _run(pd_ws, "plan", "--detailed-exitcode", keys=keys)
    assert again.code == 0, again.output
    for fmt in ("json", "markdown", "text"):
        _run(pd_ws, "plan", "--format", fmt, keys=keys)  # run_cli asserts no key in any output
    assert key not in applied.output


def test_a_plan_after_apply_shows_the_fingerprint_and_a_recreated_service_rewires(pd_ws: PdWorkspace) -> None:
    """The key changes in PagerDuty (service deleted and made again): the plan updates the receiver's fingerprint
    (still never the key) and apply writes the new key."""
    _with_am(pd_ws)
    assert _run(pd_ws, "apply", "--auto-approve").code == 0
    old = _issued_keys(pd_ws)["monaco-checkout"]
    [service] = [s for s in pd_ws.fake.store.listed("services") if s["name"] == "monaco-checkout"]
    pd_ws.fake.store.delete("services", service["id"])
    planned = _run(pd_ws, "plan", "--format", "json", keys=(old,))
    changes = {c["key"]: c for t in json.loads(planned.out)["targets"] for c in t["changes"]}
    assert "receiver.payments-pager" in changes and "service.monaco-checkout" in changes, planned.out
    assert _run(pd_ws, "apply", "--auto-approve", keys=(old,)).code == 0
    new = _issued_keys(pd_ws)["monaco-checkout"]
    assert new != old and _pagerduty_config(pd_ws)["routing_key"] == new
    assert _run(pd_ws, "plan", "--detailed-exitcode", keys=(old, new)).code == 0


def test_an_unknown_service_is_mon1004_at_the_spec_line_with_a_hint(pd_ws: PdWorkspace) -> None:
    """validate (no PagerDuty call) reports a misspelt service at the `service:` line, suggesting the close name."""
    _with_am(pd_ws, "chekout")
    seen = len(pd_ws.fake.requests)
    checked = _run(pd_ws, "validate")
    assert checked.code == 1 and "MON1004" in checked.err and "did you mean 'checkout'?" in checked.err, checked.err
    team = (pd_ws.root / "specs" / "team.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(team, 1) if "service: chekout" in text)
    assert f"team.yaml:{line}:" in checked.err, checked.err
    assert len(pd_ws.fake.requests) == seen


def test_validate_reads_nothing_and_plan_without_a_pagerduty_target_is_mon1005(pd_ws: PdWorkspace) -> None:
    """A well-formed reference validates offline; with no pagerduty target, plan says what is missing."""
    _with_am(pd_ws)
    seen = len(pd_ws.fake.requests)
    assert _run(pd_ws, "validate").code == 0
    assert len(pd_ws.fake.requests) == seen
    (pd_ws.root / "targets" / "pd.yaml").unlink()
    planned = _run(pd_ws, "plan")
    assert planned.code == 1 and "MON1005" in planned.err and "no pagerduty target makes it" in planned.err
    assert "add a pagerduty target" in planned.err, planned.err


def test_exactly_one_of_routing_key_or_service(pd_ws: PdWorkspace) -> None:
    """Both (or neither) is a spec error at the receiver."""
    _with_am(pd_ws)
    team = pd_ws.root / "specs" / "team.yaml"
    text = team.read_text(encoding="utf-8")
    team.write_text(text.replace("{service: checkout}", "{service: checkout, routing_key: {env: X}}"), encoding="utf-8")
    checked = _run(pd_ws, "validate")
    assert checked.code == 1 and "exactly one of routing_key or service" in checked.err, checked.err
