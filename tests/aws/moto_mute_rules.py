"""CloudWatch alarm mute rules for the in-process moto server, which (5.2.1) does not serve them.

`PutAlarmMuteRule`, `GetAlarmMuteRule`, `ListAlarmMuteRules` and `DeleteAlarmMuteRule` keep their state on
moto's CloudWatch backend (so `/moto-api/reset` clears it) and refuse what the API reference says AWS
refuses, with CloudWatch's error codes: a missing required field (MissingParameter), an expression that
is neither `cron(<5 fields>)` nor `at(yyyy-MM-ddThh:mm)`, a Duration that is not ISO 8601 or is outside
PT1M..P15D, a Timezone that is no IANA zone, more than 100 alarm names (InvalidParameterValue), an alarm
name that names no alarm (ResourceNotFoundException, as Get of an unknown rule). Tags given to Put, and
`TagResource` / `UntagResource` / `ListTagsForResource` on a rule's ARN, go to moto's CloudWatch tagger.
Listing pages by `MaxRecords` (1 to 100, default 50) in name order; summaries carry the ARN, no name.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, datetime
from typing import Any

from moto.cloudwatch.exceptions import CloudWatchException, InvalidParameterValue, ResourceNotFoundException
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.responses import ActionResult, EmptyResult

MAX_TARGETS = 100
_CRON_FIELD = re.compile(r"^(\*|[0-9A-Z]+(-[0-9A-Z]+)?)(,[0-9A-Z]+(-[0-9A-Z]+)?)*$")
_BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
_NAMES: tuple[dict[str, int], ...] = (
    {},
    {},
    {},
    {
        m: i + 1
        for i, m in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"])
    },
    {d: i for i, d in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"])},
)
_AT = re.compile(r"^at\(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d\)$")
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$")
_original_tag = CloudWatchResponse.tag_resource
_original_untag = CloudWatchResponse.untag_resource


class MissingParameter(CloudWatchException):
    """AWS's error for a request without a required field."""

    code = "MissingParameter"


def _rules(response: CloudWatchResponse) -> dict[str, dict[str, Any]]:
    """This account and region's mute rules, kept on moto's CloudWatch backend (reset with it)."""
    backend: Any = response.cloudwatch_backend
    found: dict[str, dict[str, Any]] = backend.__dict__.setdefault("monaco_mute_rules", {})
    return found


def _arn(response: CloudWatchResponse, name: str) -> str:
    return f"arn:aws:cloudwatch:{response.region}:{response.current_account}:alarm-mute-rule:{name}"


def _cron_value(text: str, index: int) -> int:
    value = _NAMES[index].get(text)
    if value is None and not text.isdigit():
        raise InvalidParameterValue(f"Invalid cron value {text!r}")
    number = value if value is not None else int(text)
    low, high = _BOUNDS[index]
    if not low <= number <= high:
        raise InvalidParameterValue(f"Cron value {text!r} is out of range")
    return number


def check_expression(expression: str) -> None:
    """Refuse an expression that is neither `cron(m h dom mon dow)` nor `at(yyyy-MM-ddThh:mm)`."""
    if expression.startswith("at("):
        if not _AT.match(expression):
            raise InvalidParameterValue(f"Invalid at expression {expression!r}: write at(yyyy-MM-ddThh:mm)")
        return
    if not (expression.startswith("cron(") and expression.endswith(")")):
        raise InvalidParameterValue(f"Invalid schedule expression {expression!r}: write cron(...) or at(...)")
    fields = expression[5:-1].split(" ")
    if len(fields) != 5:
        raise InvalidParameterValue(f"Invalid cron expression {expression!r}: it takes 5 fields, got {len(fields)}")
    for index, field in enumerate(fields):
        if not _CRON_FIELD.match(field):
            raise InvalidParameterValue(f"Invalid cron field {field!r} in {expression!r}")
        for item in field.split(","):
            if item != "*":
                for part in item.split("-"):
                    _cron_value(part, index)


def check_duration(duration: str) -> None:
    """Refuse a Duration that is not ISO 8601 days, hours, minutes, or outside PT1M to P15D."""
    match = _DURATION.match(duration)
    if not match or duration in ("P", "PT") or duration.endswith("T"):
        raise InvalidParameterValue(f"Invalid duration {duration!r}: use ISO 8601, e.g. PT4H or P2DT12H")
    days, hours, minutes = (int(g or 0) for g in match.groups())
    total = days * 1440 + hours * 60 + minutes
    if not 1 <= total <= 15 * 1440:
        raise InvalidParameterValue(f"Duration {duration!r} is outside PT1M to P15D")


def _schedule(params: dict[str, Any]) -> dict[str, str]:
    rule = params.get("Rule") or {}
    schedule = rule.get("Schedule")
    if not schedule:
        raise MissingParameter("The parameter Rule.Schedule is required.")
    for field in ("Expression", "Duration"):
        if not schedule.get(field):
            raise MissingParameter(f"The parameter Rule.Schedule.{field} is required.")
    check_expression(schedule["Expression"])
    check_duration(schedule["Duration"])
    zone = schedule.get("Timezone")
    if zone is not None:
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise InvalidParameterValue(f"Invalid timezone {zone!r}") from None
    return {k: schedule[k] for k in ("Expression", "Duration", "Timezone") if schedule.get(k)}


def put_alarm_mute_rule(self: CloudWatchResponse) -> ActionResult:
    """PutAlarmMuteRule: create or replace a rule, checked as AWS checks it."""
    params: dict[str, Any] = {k: self._get_param(k) for k in ("Name", "Description", "Rule", "MuteTargets", "Tags")}
    name = params["Name"]
    if not name:
        raise MissingParameter("The parameter Name is required.")
    if len(name) > 255:
        raise InvalidParameterValue("Name is longer than 255 characters")
    schedule = _schedule(params)
    targets = params.get("MuteTargets")
    if targets is not None and targets.get("AlarmNames") is None:
        raise MissingParameter("The parameter MuteTargets.AlarmNames is required.")
    names = list((targets or {}).get("AlarmNames") or [])
    if len(names) > MAX_TARGETS:
        raise InvalidParameterValue(f"MuteTargets.AlarmNames takes at most {MAX_TARGETS} alarm names, got {len(names)}")
    alarms = self.cloudwatch_backend.alarms
    for alarm in names:
        if alarm not in alarms:
            raise ResourceNotFoundException(f"Alarm {alarm} does not exist")
    rules = _rules(self)
    arn = _arn(self, name)
    rules[name] = {
        "Name": name,
        "AlarmMuteRuleArn": arn,
        "Rule": {"Schedule": schedule},
        "MuteTargets": {"AlarmNames": names},
        "LastUpdatedTimestamp": datetime.now(UTC),
        "MuteType": "ONE_TIME" if schedule["Expression"].startswith("at(") else "RECURRING",
        "Status": "SCHEDULED",
        **({"Description": params["Description"]} if params.get("Description") else {}),
    }
    if params.get("Tags"):
        self.cloudwatch_backend.tagger.tag_resource(arn, params["Tags"])
    return EmptyResult()


def get_alarm_mute_rule(self: CloudWatchResponse) -> ActionResult:
    """GetAlarmMuteRule: one rule, or ResourceNotFoundException."""
    name = self._get_param("AlarmMuteRuleName")
    rule = _rules(self).get(name)
    if rule is None:
        raise ResourceNotFoundException(f"Alarm mute rule {name} does not exist")
    return ActionResult(dict(rule))


def list_alarm_mute_rules(self: CloudWatchResponse) -> ActionResult:
    """ListAlarmMuteRules: summaries in name order, `MaxRecords` a page."""
    size = int(self._get_param("MaxRecords") or 50)
    if not 1 <= size <= 100:
        raise InvalidParameterValue("MaxRecords must be between 1 and 100")
    start = int(self._get_param("NextToken") or 0)
    rules = [rule for _, rule in sorted(_rules(self).items())]
    keys = ("AlarmMuteRuleArn", "Status", "MuteType", "LastUpdatedTimestamp")
    out: dict[str, Any] = {"AlarmMuteRuleSummaries": [{k: r[k] for k in keys} for r in rules[start : start + size]]}
    if start + size < len(rules):
        out["NextToken"] = str(start + size)
    return ActionResult(out)


def delete_alarm_mute_rule(self: CloudWatchResponse) -> ActionResult:
    """DeleteAlarmMuteRule: idempotent, as AWS documents it; the rule's tags go with it."""
    name = self._get_param("AlarmMuteRuleName")
    if _rules(self).pop(name, None) is not None:
        self.cloudwatch_backend.tagger.delete_all_tags_for_resource(_arn(self, name))
    return EmptyResult()


def _mute_rule_arn(self: CloudWatchResponse) -> str | None:
    """The tagged ARN when it is an existing mute rule's, else None."""
    arn = str(self._get_param("ResourceARN") or "")
    if ":alarm-mute-rule:" not in arn:
        return None
    if arn.rsplit(":", 1)[-1] not in _rules(self):
        raise ResourceNotFoundException(f"Alarm mute rule {arn} does not exist")
    return arn


def tag_resource(self: CloudWatchResponse) -> ActionResult:
    """TagResource: mute rules' ARNs too (moto tags only alarms)."""
    arn = _mute_rule_arn(self)
    if arn is None:
        result: ActionResult = _original_tag(self)
        return result
    self.cloudwatch_backend.tagger.tag_resource(arn, self._get_param("Tags", []))
    return EmptyResult()


def untag_resource(self: CloudWatchResponse) -> ActionResult:
    """UntagResource: mute rules' ARNs too."""
    arn = _mute_rule_arn(self)
    if arn is None:
        result: ActionResult = _original_untag(self)
        return result
    self.cloudwatch_backend.tagger.untag_resource_using_names(arn, self._get_param("TagKeys", []))
    return EmptyResult()


HANDLERS = {
    "put_alarm_mute_rule": put_alarm_mute_rule,
    "get_alarm_mute_rule": get_alarm_mute_rule,
    "list_alarm_mute_rules": list_alarm_mute_rules,
    "delete_alarm_mute_rule": delete_alarm_mute_rule,
    "tag_resource": tag_resource,
    "untag_resource": untag_resource,
}
"""CloudWatchResponse method name -> the shim's handler."""
