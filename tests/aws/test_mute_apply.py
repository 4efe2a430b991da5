"""Alarm mute rules against moto (with the shim): apply, re-plan empty, change, remove; the shim's refusals."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import builders as b
from tests.aws.conftest import ACCOUNT, REGION, Aws
from tests.aws.quiet_builders import BUSINESS_HOURS, NIGHTS, interval, quiet_model, quiet_routes, quiet_service

NIGHTS_1 = "monaco-mute_mute-nights_1"


def _live_rules(aws: Aws) -> dict[str, dict[str, Any]]:
    cw = aws.client("cloudwatch")
    names = [s["AlarmMuteRuleArn"].rsplit(":", 1)[-1] for s in cw.list_alarm_mute_rules()["AlarmMuteRuleSummaries"]]
    return {name: cw.get_alarm_mute_rule(AlarmMuteRuleName=name) for name in names}


def test_mute_rules_are_applied_after_their_alarms_and_a_second_plan_is_empty(aws: Aws) -> None:
    service = quiet_service(quiet_routes({"active_during": ("business-hours",)}, {"mute_during": ("nights",)}))
    model = quiet_model(service, interval("business-hours", BUSINESS_HOURS), interval("nights", NIGHTS))
    target = b.target(aws.config(), service)
    plan, _ = aws.plan(model, target)
    rules = [c for c in plan.changes if c.resource.kind == "alarm_mute_rule"]
    assert len(rules) == 7 and {c.action.value for c in rules} == {"create"}
    aws.converge(model, target)  # the shim refuses a rule naming an alarm that does not exist yet

    live = _live_rules(aws)
    assert sorted(live) == sorted(c.resource.name for c in rules)
    assert live[NIGHTS_1]["Rule"] == {"Schedule": {"Expression": "cron(0 22 * * *)", "Duration": "PT2H"}}
    assert live[NIGHTS_1]["MuteTargets"]["AlarmNames"] == [
        "monaco/checkout/HighCPU",
        "monaco/checkout/slo/availability/ticket",
    ]
    arn = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm-mute-rule:{NIGHTS_1}"
    tags = aws.client("cloudwatch").list_tags_for_resource(ResourceARN=arn)["Tags"]
    assert {t["Key"]: t["Value"] for t in tags}["monaco:target"] == "aws-prod"

    again, _ = aws.plan(model, target)
    assert again.changes == []


def test_changing_and_removing_the_quiet_hours_updates_then_deletes_the_rules(aws: Aws) -> None:
    service = quiet_service(quiet_routes({}, {"mute_during": ("nights",)}))
    target = b.target(aws.config(), service)
    aws.converge(quiet_model(service, interval("nights", NIGHTS)), target)

    later = {"times": [{"start_time": "23:00", "end_time": "24:00"}, {"start_time": "00:00", "end_time": "06:00"}]}
    plan, _ = aws.plan(quiet_model(service, interval("nights", later)), target)
    assert {c.key: c.action.value for c in plan.changes} == {f"alarm_mute_rule.{NIGHTS_1}": "update"}
    aws.converge(quiet_model(service, interval("nights", later)), target)
    assert _live_rules(aws)[NIGHTS_1]["Rule"]["Schedule"]["Expression"] == "cron(0 23 * * *)"

    plain = quiet_service(quiet_routes({}, {}))
    plan, _ = aws.plan(quiet_model(plain, interval("nights", later)), b.target(aws.config(), plain))
    assert {c.action.value for c in plan.changes} == {"delete"} and len(plan.changes) == 2
    aws.converge(quiet_model(plain, interval("nights", later)), b.target(aws.config(), plain))
    assert _live_rules(aws) == {}
    assert "monaco/checkout/HighCPU" in aws.alarms()


def test_deleting_the_service_deletes_its_rules_before_its_alarms(aws: Aws) -> None:
    service = quiet_service(quiet_routes({}, {"mute_during": ("nights",)}))
    target = b.target(aws.config(), service)
    aws.converge(quiet_model(service, interval("nights", NIGHTS)), target)
    empty = b.service(alerts=(), slos=())
    aws.converge(b.model(empty), b.target(aws.config(), empty))
    assert _live_rules(aws) == {} and aws.alarms() == {}


def test_a_rule_of_another_owner_under_the_prefix_is_refused_not_overwritten(aws: Aws) -> None:
    service = quiet_service(quiet_routes({}, {"mute_during": ("nights",)}))
    model, target = quiet_model(service, interval("nights", NIGHTS)), b.target(aws.config(), service)
    aws.converge(b.model(service), target)  # the alarms, no quiet hours yet
    aws.client("cloudwatch").put_alarm_mute_rule(
        Name=NIGHTS_1, Rule={"Schedule": {"Expression": "cron(0 1 * * *)", "Duration": "PT1H"}}
    )
    plan, diagnostics = aws.plan(model, target)
    assert f"alarm_mute_rule.{NIGHTS_1}" not in {c.key for c in plan.changes}
    assert any(NIGHTS_1 in d.message for d in diagnostics)


def _put(aws: Aws, **schedule: str) -> None:
    aws.client("cloudwatch").put_alarm_mute_rule(Name="r", Rule={"Schedule": schedule})


@pytest.mark.parametrize(
    "schedule",
    [
        {"Expression": "cron(0 22 * *)", "Duration": "PT1H"},
        {"Expression": "cron(0 25 * * *)", "Duration": "PT1H"},
        {"Expression": "cron(0 22 * * FUNDAY)", "Duration": "PT1H"},
        {"Expression": "rate(1 hour)", "Duration": "PT1H"},
        {"Expression": "at(2026-13-01T00:00)", "Duration": "PT1H"},
        {"Expression": "cron(0 22 * * *)", "Duration": "1h"},
        {"Expression": "cron(0 22 * * *)", "Duration": "P16D"},
        {"Expression": "cron(0 22 * * *)", "Duration": "PT0M"},
        {"Expression": "cron(0 22 * * *)", "Duration": "PT1H", "Timezone": "Mars/Olympus"},
    ],
)
def test_the_shim_refuses_what_aws_refuses(aws: Aws, schedule: dict[str, str]) -> None:
    with pytest.raises(ClientError) as raised:
        _put(aws, **schedule)
    assert raised.value.response["Error"]["Code"] == "InvalidParameterValue"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_the_shim_refuses_unknown_alarms_over_100_names_and_unknown_rules(aws: Aws) -> None:
    cw = aws.client("cloudwatch")
    rule = {"Schedule": {"Expression": "cron(0 22 * * *)", "Duration": "PT1H"}}
    with pytest.raises(ClientError) as raised:
        cw.put_alarm_mute_rule(Name="r", Rule=rule, MuteTargets={"AlarmNames": ["nope"]})
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as raised:
        cw.put_alarm_mute_rule(Name="r", Rule=rule, MuteTargets={"AlarmNames": [f"a{i}" for i in range(101)]})
    assert raised.value.response["Error"]["Code"] == "InvalidParameterValue"
    with pytest.raises(ClientError) as raised:
        cw.get_alarm_mute_rule(AlarmMuteRuleName="r")
    assert raised.value.response["Error"]["Code"] == "ResourceNotFoundException"
    cw.delete_alarm_mute_rule(AlarmMuteRuleName="r")  # idempotent, as AWS documents


def test_the_shim_pages_and_keeps_state(aws: Aws) -> None:
    cw = aws.client("cloudwatch")
    for i in range(3):
        _put(aws, Expression=f"cron({i} 22 * * MON-FRI)", Duration="PT1H", Timezone="Europe/Berlin")
        cw.put_alarm_mute_rule(
            Name=f"r{i}", Rule={"Schedule": {"Expression": f"at(2030-01-0{i + 1}T00:00)", "Duration": "P15D"}}
        )
    first = cw.list_alarm_mute_rules(MaxRecords=2)
    rest = cw.list_alarm_mute_rules(MaxRecords=2, NextToken=first["NextToken"])
    names = [
        s["AlarmMuteRuleArn"].rsplit(":", 1)[-1]
        for s in first["AlarmMuteRuleSummaries"] + rest["AlarmMuteRuleSummaries"]
    ]
    assert names == ["r", "r0", "r1", "r2"] and "NextToken" not in rest
    assert cw.get_alarm_mute_rule(AlarmMuteRuleName="r")["Rule"]["Schedule"]["Expression"] == "cron(2 22 * * MON-FRI)"
    assert cw.get_alarm_mute_rule(AlarmMuteRuleName="r0")["MuteType"] == "ONE_TIME"
