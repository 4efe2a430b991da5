"""Ownership by tags on moto: a renamed name_prefix converges, and targets in one account never touch each other's.

Issue 7, items 6 and 3 on CloudWatch. Every alarm and topic carries `monaco:target`; a target reads what
is under its prefix plus what is tagged for it elsewhere, and owns only what is tagged for it (or, from
an older monaco, carries the marker without a target tag under its prefix).
"""

from __future__ import annotations

from typing import Any

from monaco.backends.aws_cloudwatch.live import read
from tests.aws import builders as b
from tests.aws.conftest import ACCOUNT, REGION, Aws


def _actions(plan: Any) -> dict[str, str]:
    return {c.key: c.action.value for c in plan.changes}


def _checkout(threshold: float = 0.9) -> Any:
    page = b.workbook_tiers()[0]
    return b.service(alerts=(b.alert("HighCPU", threshold=threshold),), slos=(b.ratio_slo(tiers=(page,)),))


def _topics(aws: Aws) -> set[str]:
    return {t["TopicArn"].rsplit(":", 1)[-1] for t in aws.client("sns").list_topics()["Topics"]}


def test_renamed_prefix_deletes_the_old_alarms_and_topics(aws: Aws) -> None:
    svc = _checkout()
    model = b.model(svc)
    aws.converge(model, b.target(aws.config(), svc))
    old_alarms, old_topics = set(aws.alarms()), _topics(aws)
    assert len(old_alarms) == 6 and old_topics == {
        "monaco-payments-pager",
        "monaco-payments-mail",
        "monaco-payments-hook",
    }

    renamed = b.target(aws.config(name_prefix="alarms/"), svc)
    plan, diagnostics = aws.plan(model, renamed)
    assert not [d for d in diagnostics if d.code == "MON410"]
    actions = _actions(plan)
    deleted = {k for k, v in actions.items() if v == "delete"}
    created = {k for k, v in actions.items() if v == "create"}
    assert deleted == {f"alarm.{n}" for n in old_alarms} | {f"sns_topic.{n}" for n in old_topics}
    assert created == {f"alarm.alarms/{n.removeprefix('monaco/')}" for n in old_alarms} | {
        f"sns_topic.alarms-{n.removeprefix('monaco-')}" for n in old_topics
    }
    # The alarms outside the prefix were described by name, in one batched call: 2 DescribeAlarms in all.
    assert aws.clients_made[-1].calls["DescribeAlarms"] == 2
    assert "ListTagsForResource" not in aws.clients_made[-1].calls

    aws.converge(model, renamed)
    assert all(name.startswith("alarms/") for name in aws.alarms()) and len(aws.alarms()) == 6
    assert _topics(aws) == {"alarms-payments-pager", "alarms-payments-mail", "alarms-payments-hook"}
    assert aws.plan(model, renamed)[0].changes == []


def test_two_targets_in_one_account_never_delete_each_others(aws: Aws) -> None:
    # Nested prefixes: everything of target `aws-b` is also under the prefix of target `aws-a`.
    checkout, cart = _checkout(), b.service("cart", alerts=(b.alert("Quiet"),))
    target_a = b.target(aws.config(), checkout, name="aws-a")
    target_b = b.target(aws.config(name_prefix="monaco/b/"), cart, name="aws-b")
    aws.converge(b.model(checkout), target_a)
    aws.converge(b.model(cart), target_b)
    assert "monaco/b/cart/Quiet" in aws.alarms() and "monaco-b-payments-mail" in _topics(aws)

    plan_a, diagnostics_a = aws.plan(b.model(checkout), target_a)
    plan_b, _ = aws.plan(b.model(cart), target_b)
    assert plan_a.changes == [] and plan_b.changes == [] and not diagnostics_a
    assert aws.tags("monaco/b/cart/Quiet")["monaco:target"] == "aws-b"

    # Target a drops everything it has: only its own alarms and topics are deleted.
    empty = b.service(service_routes=())
    emptied = b.target(aws.config(), empty, name="aws-a")
    plan, _ = aws.plan(b.model(empty), emptied)
    assert all(v == "delete" for v in _actions(plan).values()) and len(plan.changes) == 9
    assert not [k for k in _actions(plan) if "monaco/b/" in k or "monaco-b-" in k]
    aws.converge(b.model(empty), emptied)
    assert set(aws.alarms()) == {"monaco/b/cart/Quiet"}
    assert _topics(aws) == {"monaco-b-payments-mail", "monaco-b-payments-hook"}
    assert aws.plan(b.model(cart), target_b)[0].changes == []


def test_same_named_alarm_of_another_target_is_refused_naming_it(aws: Aws) -> None:
    svc = b.service(alerts=(b.alert("HighCPU"),))
    aws.converge(b.model(svc), b.target(aws.config(), svc, name="aws-b"))
    other = b.service(alerts=(b.alert("HighCPU", threshold=0.5),))
    target_a = b.target(aws.config(), other, name="aws-a")
    plan, diagnostics = aws.plan(b.model(other), target_a)
    assert "alarm.monaco/checkout/HighCPU" not in _actions(plan)
    refusal = next(d for d in diagnostics if d.code == "MON410" and "HighCPU" in d.message)
    assert "target aws-b" in refusal.message

    # A plan made before target b wrote its alarm is refused at apply time too, naming the owner.
    aws.client("cloudwatch").delete_alarms(AlarmNames=["monaco/checkout/HighCPU"])
    stale, _ = aws.plan(b.model(other), target_a)
    assert _actions(stale)["alarm.monaco/checkout/HighCPU"] == "create"
    aws.converge(b.model(svc), b.target(aws.config(), svc, name="aws-b"))
    report = aws.apply(stale, target_a)
    result = next(r for r in report.results if r.key == "alarm.monaco/checkout/HighCPU")
    assert not result.ok and result.message.startswith("refused")
    assert aws.alarms()["monaco/checkout/HighCPU"]["Threshold"] == 0.9


def test_update_is_refused_when_another_target_took_the_alarm(aws: Aws) -> None:
    svc = b.service(alerts=(b.alert("HighCPU"),))
    target = b.target(aws.config(), svc)
    aws.converge(b.model(svc), target)
    changed = b.service(alerts=(b.alert("HighCPU", threshold=0.5),))
    plan, _ = aws.plan(b.model(changed), b.target(aws.config(), changed))
    arn = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:monaco/checkout/HighCPU"
    aws.client("cloudwatch").tag_resource(ResourceARN=arn, Tags=[{"Key": "monaco:target", "Value": "aws-other"}])
    report = aws.apply(plan, b.target(aws.config(), changed))
    [result] = report.results
    assert not result.ok and result.message == "refused: it now belongs to monaco target aws-other"
    assert aws.alarms()["monaco/checkout/HighCPU"]["Threshold"] == 0.9


def test_alarms_from_an_older_monaco_stay_owned_and_get_the_target_tag(aws: Aws) -> None:
    svc = b.service(alerts=(b.alert("HighCPU"),))
    target = b.target(aws.config(), svc)
    aws.converge(b.model(svc), target)
    arn = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:monaco/checkout/HighCPU"
    aws.client("cloudwatch").untag_resource(ResourceARN=arn, TagKeys=["monaco:target"])  # as older monaco wrote it
    live = {r.name: r for r in read(aws.make_clients(aws.config()), aws.config(), "aws-prod")}
    assert live["monaco/checkout/HighCPU"].owned
    plan, _ = aws.plan(b.model(svc), target)
    assert _actions(plan) == {"alarm.monaco/checkout/HighCPU": "update"}
    aws.converge(b.model(svc), target)
    assert aws.clients_made[-1].calls["TagResource"] == 1 and aws.clients_made[-1].calls["PutMetricAlarm"] == 0
    assert aws.tags("monaco/checkout/HighCPU")["monaco:target"] == "aws-prod"
    assert aws.plan(b.model(svc), target)[0].changes == []
