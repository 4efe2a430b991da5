"""Plan and apply against moto's server: create, update, delete, no-op, replace, ownership, scale."""

from __future__ import annotations

import json
from dataclasses import replace

from monaco.plan.model import Action
from tests.aws import builders as b
from tests.aws.conftest import ACCOUNT, REGION, Aws

PAGE = "monaco/checkout/slo/availability/page"


def _actions(plan: object) -> dict[str, str]:
    return {c.key: c.action.value for c in plan.changes}  # type: ignore[attr-defined]


def test_create_then_plan_is_empty(aws: Aws) -> None:
    svc = b.service(alerts=(b.alert("HighCPU"),), slos=(b.ratio_slo(),))
    model, target = b.model(svc), b.target(aws.config(), svc)
    plan, _ = aws.plan(model, target)
    assert set(_actions(plan).values()) == {"create"} and len(plan.changes) == 14
    aws.converge(model, target)

    alarms = aws.alarms()
    assert alarms[PAGE]["AlarmRule"] == (
        f'(ALARM("{PAGE}/1h") AND ALARM("{PAGE}/5m")) OR (ALARM("{PAGE}/6h") AND ALARM("{PAGE}/30m"))'
    )
    pager = f"arn:aws:sns:{REGION}:{ACCOUNT}:monaco-payments-pager"
    assert alarms[PAGE]["AlarmActions"] == [pager]
    assert alarms[f"{PAGE}/1h"]["AlarmActions"] == [] and alarms[f"{PAGE}/1h"]["ActionsEnabled"] is False
    assert aws.tags("monaco/checkout/HighCPU") == {
        "managed-by": "monaco",
        "monaco:key": "checkout/alert/HighCPU",
        "monaco:target": "aws-prod",
    }
    # The real PagerDuty key reached SNS; the plan only ever held its fingerprint.
    subs = aws.client("sns").list_subscriptions_by_topic(TopicArn=pager)["Subscriptions"]
    assert [s["Endpoint"] for s in subs] == [
        f"https://events.pagerduty.com/integration/{b.SECRETS['env:PD_PAYMENTS_KEY']}/enqueue"
    ]
    assert b.SECRETS["env:PD_PAYMENTS_KEY"] not in json.dumps([c.to_json() for c in plan.changes])

    again, diagnostics = aws.plan(model, target)
    assert again.changes == [] and again.unchanged == 14
    assert [d.code for d in diagnostics] == ["MON704"]  # the 3d window, reported at the target's level


def test_update_changes_only_what_differs(aws: Aws) -> None:
    svc = b.service(alerts=(b.alert("HighCPU"), b.alert("Other", line=50)))
    model, target = b.model(svc), b.target(aws.config(), svc)
    aws.converge(model, target)
    changed = b.service(alerts=(b.alert("HighCPU", threshold=0.8), b.alert("Other", line=50)))
    plan, _ = aws.plan(b.model(changed), b.target(aws.config(), changed))
    assert _actions(plan) == {"alarm.monaco/checkout/HighCPU": "update"}
    aws.converge(b.model(changed), b.target(aws.config(), changed))
    assert aws.alarms()["monaco/checkout/HighCPU"]["Threshold"] == 0.8
    assert aws.clients_made[-1].calls["PutMetricAlarm"] == 1
    assert aws.plan(b.model(changed), b.target(aws.config(), changed))[0].changes == []


def test_tag_drift_is_repaired_with_tag_calls(aws: Aws) -> None:
    svc = b.service(alerts=(b.alert("HighCPU"),))
    model, target = b.model(svc), b.target(aws.config(), svc)
    aws.converge(model, target)
    arn = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:monaco/checkout/HighCPU"
    cw = aws.client("cloudwatch")
    cw.untag_resource(ResourceARN=arn, TagKeys=["monaco:key"])
    cw.tag_resource(ResourceARN=arn, Tags=[{"Key": "stray", "Value": "x"}])
    plan, _ = aws.plan(model, target)
    assert _actions(plan) == {"alarm.monaco/checkout/HighCPU": "update"}
    aws.converge(model, target)
    calls = aws.clients_made[-1].calls
    assert calls["TagResource"] == 1 and calls["UntagResource"] == 1 and calls["PutMetricAlarm"] == 0
    assert aws.tags("monaco/checkout/HighCPU") == {
        "managed-by": "monaco",
        "monaco:key": "checkout/alert/HighCPU",
        "monaco:target": "aws-prod",
    }


def test_delete_removes_composites_before_children_and_topics_last(aws: Aws) -> None:
    svc = b.service(alerts=(b.alert("HighCPU"),), slos=(b.ratio_slo(),))
    aws.converge(b.model(svc), b.target(aws.config(), svc))
    empty = b.service(service_routes=())
    plan, _ = aws.plan(b.model(empty), b.target(aws.config(), empty))
    assert set(_actions(plan).values()) == {"delete"} and len(plan.changes) == 14
    aws.converge(b.model(empty), b.target(aws.config(), empty))  # the shim rejects any badly batched DeleteAlarms
    assert aws.alarms() == {}
    assert aws.client("sns").list_topics()["Topics"] == []


def test_no_op_apply_makes_no_write(aws: Aws) -> None:
    svc = b.service(alerts=(b.alert("HighCPU"),))
    model, target = b.model(svc), b.target(aws.config(), svc)
    aws.converge(model, target)
    plan, _ = aws.plan(model, target)
    report = aws.apply(plan, target)
    assert report.ok and report.results == []
    assert sum(aws.clients_made[-1].calls.values()) == 0


def test_metric_alarm_becoming_composite_is_replaced(aws: Aws) -> None:
    aws.client("cloudwatch").put_metric_alarm(
        AlarmName=PAGE,
        MetricName="x",
        Namespace="y",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanThreshold",
        Tags=[{"Key": "managed-by", "Value": "monaco"}, {"Key": "monaco:key", "Value": "old"}],
    )
    svc = b.service(slos=(b.ratio_slo(),))
    model, target = b.model(svc), b.target(aws.config(), svc)
    plan, _ = aws.plan(model, target)
    assert _actions(plan)[f"alarm.{PAGE}"] == "replace"
    report = aws.converge(model, target)
    assert next(r for r in report.results if r.key == f"alarm.{PAGE}").ok
    assert "AlarmRule" in aws.alarms()[PAGE]
    assert aws.plan(model, target)[0].changes == []


def test_unowned_alarm_of_the_same_name_is_refused_and_untouched(aws: Aws) -> None:
    cw = aws.client("cloudwatch")
    cw.put_metric_alarm(
        AlarmName="monaco/checkout/HighCPU",
        MetricName="Hand",
        Namespace="Made",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=7,
        ComparisonOperator="GreaterThanThreshold",
    )
    svc = b.service(alerts=(b.alert("HighCPU"),))
    model, target = b.model(svc), b.target(aws.config(), svc)
    plan, diagnostics = aws.plan(model, target)
    assert "alarm.monaco/checkout/HighCPU" not in _actions(plan)
    assert any(d.code == "MON410" and "HighCPU" in d.message for d in diagnostics)

    # A plan made before the hand-made alarm appeared must still not overwrite it at apply time.
    cw.delete_alarms(AlarmNames=["monaco/checkout/HighCPU"])
    stale, _ = aws.plan(model, target)
    cw.put_metric_alarm(
        AlarmName="monaco/checkout/HighCPU",
        MetricName="Hand",
        Namespace="Made",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=7,
        ComparisonOperator="GreaterThanThreshold",
    )
    report = aws.apply(stale, target)
    result = next(r for r in report.results if r.key == "alarm.monaco/checkout/HighCPU")
    assert not result.ok and result.message.startswith("refused")
    assert aws.alarms()["monaco/checkout/HighCPU"]["MetricName"] == "Hand"


def test_alarm_without_marker_is_never_deleted(aws: Aws) -> None:
    svc = b.service(alerts=(b.alert("HighCPU"),))
    model, target = b.model(svc), b.target(aws.config(), svc)
    aws.converge(model, target)
    empty = b.service(service_routes=())
    stale, _ = aws.plan(b.model(empty), b.target(aws.config(), empty))
    assert _actions(stale)["alarm.monaco/checkout/HighCPU"] == "delete"
    arn = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:monaco/checkout/HighCPU"
    aws.client("cloudwatch").untag_resource(ResourceARN=arn, TagKeys=["managed-by"])  # someone adopts it by hand
    report = aws.apply(stale, b.target(aws.config(), empty))
    result = next(r for r in report.results if r.key == "alarm.monaco/checkout/HighCPU")
    assert not result.ok and "marker" in result.message
    assert "monaco/checkout/HighCPU" in aws.alarms()
    fresh, _ = aws.plan(b.model(empty), b.target(aws.config(), empty))
    assert "alarm.monaco/checkout/HighCPU" not in _actions(fresh)


def test_unowned_topic_of_the_same_name_is_refused(aws: Aws) -> None:
    aws.client("sns").create_topic(Name="monaco-payments-pager")
    svc = b.service(slos=(b.ratio_slo(),))
    plan, diagnostics = aws.plan(b.model(svc), b.target(aws.config(), svc))
    assert "sns_topic.monaco-payments-pager" not in _actions(plan)
    assert any(d.code == "MON410" and "monaco-payments-pager" in d.message for d in diagnostics)


def test_rotated_secret_replaces_the_subscription(aws: Aws) -> None:
    svc = b.service(slos=(b.ratio_slo(),))
    model, target = b.model(svc), b.target(aws.config(), svc)
    aws.converge(model, target)
    rotated = {**b.SECRETS, "env:PD_PAYMENTS_KEY": "pdNEWKEY0000000000000000000000000"}
    backend = aws.backend()
    rendered = backend.render(model, target, lambda ref, span: b.fingerprint(ref, span, rotated))
    live = backend.read_live(target).resources
    from monaco.plan.diff import diff

    plan, _ = diff(target.name, target.backend, rendered.resources, live, backend.requires_replace)
    assert _actions(plan) == {"sns_topic.monaco-payments-pager": "update"}
    report = aws.backend().apply(target, plan.changes, lambda ref: rotated[ref])
    assert report.ok
    pager = f"arn:aws:sns:{REGION}:{ACCOUNT}:monaco-payments-pager"
    subs = aws.client("sns").list_subscriptions_by_topic(TopicArn=pager)["Subscriptions"]
    assert [s["Endpoint"] for s in subs] == [
        "https://events.pagerduty.com/integration/pdNEWKEY0000000000000000000000000/enqueue"
    ]
    live = aws.backend().read_live(target).resources
    assert diff(target.name, target.backend, rendered.resources, live, backend.requires_replace)[0].changes == []


def test_more_than_100_alarms_page_and_batch(aws: Aws) -> None:
    alerts = tuple(b.alert(f"Cpu{i:03d}", line=100 + i) for i in range(130))
    svc = b.service(alerts=alerts, slos=(b.ratio_slo(),))
    model, target = b.model(svc), b.target(aws.config(max_concurrency=8), svc)
    aws.converge(model, target)
    assert len(aws.alarms()) == 140
    plan, _ = aws.plan(model, target)
    assert plan.changes == [] and plan.unchanged == 143
    read_calls = aws.clients_made[-1].calls
    assert read_calls["DescribeAlarms"] == 2 and read_calls["GetResources"] == 2  # 140 alarms + 3 topics, 100 a page
    assert "ListTagsForResource" not in read_calls

    empty = b.service(service_routes=())
    aws.converge(b.model(empty), b.target(aws.config(), empty))
    deletes = aws.clients_made[-1].calls["DeleteAlarms"]
    assert deletes == 2 + 2  # two composites alone, then 138 metric alarms in batches of at most 100
    assert aws.alarms() == {}


def test_changed_rule_is_an_update_in_place(aws: Aws) -> None:
    svc = b.service(slos=(b.ratio_slo(),))
    aws.converge(b.model(svc), b.target(aws.config(), svc))
    page, ticket = b.workbook_tiers()
    one_pair = replace(page, windows=page.windows[:1])
    changed = b.service(slos=(b.ratio_slo(tiers=(one_pair, ticket)),))
    plan, _ = aws.plan(b.model(changed), b.target(aws.config(), changed))
    assert _actions(plan) == {f"alarm.{PAGE}": "update", f"alarm.{PAGE}/6h": "delete", f"alarm.{PAGE}/30m": "delete"}
    aws.converge(b.model(changed), b.target(aws.config(), changed))
    assert aws.plan(b.model(changed), b.target(aws.config(), changed))[0].changes == []
    assert Action.DELETE.symbol == "-"
