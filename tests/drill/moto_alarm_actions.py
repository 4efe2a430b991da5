"""A shim that makes moto's SetAlarmState run the alarm's actions, as CloudWatch does.

AWS: "When the alarm state changes ... CloudWatch performs the actions in AlarmActions" and SetAlarmState "is
changed ... and any actions associated with the new state are then executed" (CloudWatch API reference,
SetAlarmState). moto 5.x only records the new state. The shim publishes CloudWatch's notification (its JSON
fields: AlarmName, NewStateValue, OldStateValue, AlarmArn, Region, AWSAccountId, StateChangeTime) to each
AlarmActions topic through moto's own SNS backend, which then delivers to the topic's SQS and HTTP subscriptions.
Only a change into ALARM with actions enabled publishes, as on AWS.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.responses import ActionResult
from moto.sns.models import sns_backends

_original = CloudWatchResponse.set_alarm_state
_installed = False


def _notification(alarm: Any, old_state: str, account: str) -> str:
    """CloudWatch's SNS message for a state change, as JSON."""
    return json.dumps(
        {
            "AlarmName": alarm.name,
            "AlarmDescription": alarm.description,
            "AWSAccountId": account,
            "NewStateValue": alarm.state_value,
            "NewStateReason": alarm.state_reason,
            "OldStateValue": old_state,
            "StateChangeTime": datetime.datetime.now(datetime.UTC).isoformat(),
            "Region": alarm.region_name,
            "AlarmArn": alarm.alarm_arn,
        }
    )


def _set_alarm_state(self: CloudWatchResponse) -> ActionResult:
    """SetAlarmState, then the alarm's actions when it moved into ALARM."""
    alarm = self.cloudwatch_backend.alarms.get(self._get_param("AlarmName"))
    old_state = alarm.state_value if alarm is not None else ""
    result: ActionResult = _original(self)
    enabled = alarm is not None and str(alarm.actions_enabled).lower() not in ("false", "0")
    if alarm is not None and enabled and alarm.state_value == "ALARM" and old_state != "ALARM":
        message = _notification(alarm, old_state, self.current_account)
        for arn in alarm.alarm_actions or []:
            _, _, _, region, account, _ = arn.split(":", 5)
            subject = f'ALARM: "{alarm.name}" in {region}'[:100]
            sns_backends[account][region].publish(message, arn=arn, subject=subject)
    return result


def install() -> None:
    """Patch moto's CloudWatch responses once (the in-process server shares them)."""
    global _installed
    if not _installed:
        CloudWatchResponse.set_alarm_state = _set_alarm_state  # type: ignore[method-assign]
        _installed = True
