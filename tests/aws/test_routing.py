"""Routes see the same labels on CloudWatch as on Alertmanager: a service label reaches its receiver (issue 7.4)."""

from __future__ import annotations

from tests.aws import builders as b
from tests.aws.conftest import ACCOUNT, REGION, Aws

PAGER = f"arn:aws:sns:{REGION}:{ACCOUNT}:monaco-payments-pager"


def test_route_on_a_service_label_reaches_its_receiver(aws: Aws) -> None:
    by_env = b.routes(({"env": ("prod",)}, ("payments-pager",)))
    page = b.workbook_tiers()[0]
    svc = b.service(alerts=(b.alert("HighCPU"),), slos=(b.ratio_slo(tiers=(page,)),), service_routes=by_env)
    assert dict(svc.labels) == {"env": "prod"}
    model, target = b.model(svc), b.target(aws.config(), svc)
    _, diagnostics = aws.plan(model, target)
    assert not [d for d in diagnostics if d.code == "MON709"], diagnostics
    aws.converge(model, target)
    alarms = aws.alarms()
    assert alarms["monaco/checkout/HighCPU"]["AlarmActions"] == [PAGER]
    assert alarms["monaco/checkout/slo/availability/page"]["AlarmActions"] == [PAGER]
