"""What ARM refuses in an alert processing rule (`Microsoft.AlertsManagement/actionRules`, 2021-08-08).

Sources: `specification/alertsmanagement/resource-manager/Microsoft.AlertsManagement/AlertProcessingRules/
stable/2021-08-08/AlertProcessingRules.json` in Azure/azure-rest-api-specs (the `required` lists, the enums
`ActionType`, `Field`, `Operator`, `RecurrenceType`, `DaysOfWeek`, the `effectiveFrom`/`effectiveUntil`
pattern) and its examples (times as `HH:mm:ss`, Windows time zone names such as "Eastern Standard Time").
The real codes of these 400s are not documented: the fake answers `BadRequest`.
"""

from __future__ import annotations

import re
from typing import Any

from tests.fakes.azure_arm.errors import bad_request

ACTION_TYPES = frozenset({"AddActionGroups", "RemoveAllActionGroups"})
FIELDS = frozenset(
    {
        "Severity",
        "MonitorService",
        "MonitorCondition",
        "SignalType",
        "TargetResourceType",
        "TargetResource",
        "TargetResourceGroup",
        "AlertRuleId",
        "AlertRuleName",
        "Description",
        "AlertContext",
    }
)
OPERATORS = frozenset({"Equals", "NotEquals", "Contains", "DoesNotContain"})
RECURRENCE_TYPES = frozenset({"Daily", "Weekly", "Monthly"})
DAYS_OF_WEEK = frozenset({"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"})
EFFECTIVE = re.compile(r"^(?:(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?))$")
"""The spec's pattern of `effectiveFrom` / `effectiveUntil` (no time zone suffix)."""
TIME_OF_DAY = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
"""`startTime` / `endTime` as the examples write them (`17:00:00`)."""
WINDOWS_ZONES = frozenset(
    line.strip()
    for line in """
Dateline Standard Time
UTC-11
Hawaiian Standard Time
Alaskan Standard Time
Pacific Standard Time
US Mountain Standard Time
Mountain Standard Time
Central Standard Time
Central Standard Time (Mexico)
Canada Central Standard Time
SA Pacific Standard Time
Eastern Standard Time
US Eastern Standard Time
Atlantic Standard Time
Newfoundland Standard Time
E. South America Standard Time
Argentina Standard Time
Pacific SA Standard Time
UTC-02
Azores Standard Time
UTC
GMT Standard Time
Greenwich Standard Time
W. Europe Standard Time
Central Europe Standard Time
Romance Standard Time
Central European Standard Time
W. Central Africa Standard Time
GTB Standard Time
Middle East Standard Time
Egypt Standard Time
South Africa Standard Time
FLE Standard Time
Israel Standard Time
Turkey Standard Time
Arab Standard Time
Russian Standard Time
E. Africa Standard Time
Iran Standard Time
Arabian Standard Time
Pakistan Standard Time
India Standard Time
Nepal Standard Time
Bangladesh Standard Time
SE Asia Standard Time
China Standard Time
Singapore Standard Time
Taipei Standard Time
W. Australia Standard Time
Tokyo Standard Time
Korea Standard Time
Cen. Australia Standard Time
AUS Central Standard Time
E. Australia Standard Time
AUS Eastern Standard Time
Tasmania Standard Time
New Zealand Standard Time
Tonga Standard Time
""".splitlines()
    if line.strip()
)
"""Windows time zone ids (a subset of the registry's list, as `TimeZoneInfo.FindSystemTimeZoneById` knows them)."""


def _list(value: Any, where: str) -> list[Any]:
    """`value` when it is a non-empty list, else 400."""
    if not isinstance(value, list) or not value:
        raise bad_request(f"'{where}' must be a non-empty array.")
    return value


def _condition(condition: Any, where: str) -> None:
    """A condition: a known field and operator, and values to compare."""
    if not isinstance(condition, dict):
        raise bad_request(f"'{where}' must be an object.")
    if condition.get("field") not in FIELDS:
        raise bad_request(f"'{where}.field' {condition.get('field')!r} is not one of {sorted(FIELDS)}.")
    if condition.get("operator") not in OPERATORS:
        raise bad_request(f"'{where}.operator' {condition.get('operator')!r} is not one of {sorted(OPERATORS)}.")
    _list(condition.get("values"), f"{where}.values")


def _recurrence(recurrence: Any, where: str) -> None:
    """One recurrence: its type, HH:mm:ss times, and the days its type requires."""
    if not isinstance(recurrence, dict) or recurrence.get("recurrenceType") not in RECURRENCE_TYPES:
        found = recurrence.get("recurrenceType") if isinstance(recurrence, dict) else recurrence
        raise bad_request(f"'{where}.recurrenceType' {found!r} is not one of {sorted(RECURRENCE_TYPES)}.")
    for name in ("startTime", "endTime"):
        value = recurrence.get(name)
        if value is not None and not (isinstance(value, str) and TIME_OF_DAY.match(value)):
            raise bad_request(f"'{where}.{name}' {value!r} is not a time of day HH:mm:ss.")
    kind = recurrence["recurrenceType"]
    if kind == "Weekly":
        for day in _list(recurrence.get("daysOfWeek"), f"{where}.daysOfWeek"):
            if day not in DAYS_OF_WEEK:
                raise bad_request(f"'{where}.daysOfWeek' holds {day!r}, not a day of the week.")
    if kind == "Monthly":
        for day in _list(recurrence.get("daysOfMonth"), f"{where}.daysOfMonth"):
            if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 31:
                raise bad_request(f"'{where}.daysOfMonth' holds {day!r}, not a day 1 to 31.")


def _schedule(schedule: Any) -> None:
    """The schedule: effective dates in the spec's pattern, a Windows time zone, valid recurrences."""
    if not isinstance(schedule, dict):
        raise bad_request("'properties.schedule' must be an object.")
    for name in ("effectiveFrom", "effectiveUntil"):
        value = schedule.get(name)
        if value is not None and not (isinstance(value, str) and EFFECTIVE.match(value)):
            raise bad_request(f"'properties.schedule.{name}' {value!r} is not a date-time without a zone suffix.")
    zone = schedule.get("timeZone")
    if zone is not None and zone not in WINDOWS_ZONES:
        raise bad_request(f"'properties.schedule.timeZone' {zone!r} is not a known time zone.")
    for index, recurrence in enumerate(schedule.get("recurrences") or []):
        _recurrence(recurrence, f"properties.schedule.recurrences[{index}]")


def validate_action_rule(document: dict[str, Any], exists: Any) -> None:
    """Alert processing rules: scopes and actions required, known enums, schedule shapes."""
    properties = document.get("properties") or {}
    _list(properties.get("scopes"), "properties.scopes")  # AlertProcessingRuleProperties "required"
    for index, action in enumerate(_list(properties.get("actions"), "properties.actions")):
        action_type = action.get("actionType") if isinstance(action, dict) else None
        if action_type not in ACTION_TYPES:
            raise bad_request(f"'properties.actions[{index}].actionType' {action_type!r} is not supported.")
        if action_type == "AddActionGroups":
            _list(action.get("actionGroupIds"), f"properties.actions[{index}].actionGroupIds")
    for index, condition in enumerate(properties.get("conditions") or []):
        _condition(condition, f"properties.conditions[{index}]")
    if properties.get("schedule") is not None:
        _schedule(properties["schedule"])


def fill_action_rule(document: dict[str, Any]) -> None:
    """ARM's defaults: `enabled` is true unless set (the spec's `default: true`)."""
    document["properties"].setdefault("enabled", True)
