"""The same SLO gives the same threshold digits on every backend: lowered once, never recomputed."""

from __future__ import annotations

from pathlib import Path

from monaco import engine
from tests.aws.test_engine import SERVICE

TARGETS = """\
apiVersion: monaco/v1
kind: Target
metadata: {name: prom}
backend: prometheus
config: {rules_dir: ../live/rules}
---
apiVersion: monaco/v1
kind: Target
metadata: {name: cw}
backend: aws_cloudwatch
config: {region: eu-west-1, account_id: "123456789012"}
"""
THREE_DAY_TICKET = "0.000466666666666667"
"""99.95% over 28d, ticket pair 3d/6h: 10% x 28d / 3d x 0.0005 = 0.000466666..., rounded once to 15 digits."""


def test_prometheus_and_cloudwatch_render_identical_threshold_digits(tmp_path: Path) -> None:
    """99.95%/28d on the 3d window: the rule expression, the CloudWatch threshold and both plans' notes agree."""
    (tmp_path / "specs").mkdir()
    spec = SERVICE.replace("objective: 99.9\n", "objective: 99.95\n    period: 28d\n")
    (tmp_path / "specs" / "checkout.yaml").write_text(spec)
    (tmp_path / "targets").mkdir()
    (tmp_path / "targets" / "targets.yaml").write_text(TARGETS)
    session = engine.load([tmp_path / "specs"], [tmp_path / "targets"])
    rendered = {t.name: engine.render(session, t, need_secrets=False)[1].resources for t in session.targets}
    rules = next(r for r in rendered["prom"] if r.key == "rule_group.checkout.slo.availability")
    burn = [rule["expr"] for rule in rules.body["group"]["rules"] if rule.get("labels", {}).get("tier") == "ticket"]
    assert f'slo:sli_error:ratio_rate3d{{service="checkout",slo="availability"}} > {THREE_DAY_TICKET}' in burn[0]
    assert rules.notes["ticket threshold error ratio (3d/6h)"] == THREE_DAY_TICKET
    child = next(r for r in rendered["cw"] if r.name.endswith("/ticket/3d"))
    assert child.body["Threshold"] == float(THREE_DAY_TICKET)
    assert child.notes["threshold error ratio"] == THREE_DAY_TICKET
    composite = next(r for r in rendered["cw"] if r.name.endswith("/slo/availability/ticket"))
    assert composite.notes["threshold error ratio (3d/6h)"] == THREE_DAY_TICKET
