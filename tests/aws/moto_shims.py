"""Shims that close the gaps between moto 5.x and AWS, installed in the in-process moto server.

Each shim makes moto behave the way AWS documents it, so the backend's code is tested against the
API's contract rather than against moto's shortcuts. Why each one exists:

1. `PutCompositeAlarm` - moto does not implement it (HTTP 500, NotImplementedError). Its
   `put_metric_alarm` handler already reads `AlarmRule` and `describe_alarms` files alarms with a
   rule under `CompositeAlarms`, so the composite call is routed to that handler.
2. `DescribeAlarms` paging and types - moto ignores `MaxRecords`, `NextToken` and `AlarmTypes` (it
   returns every alarm, both types, in one page). AWS returns at most `MaxRecords` alarms (default
   50) in name order with a `NextToken`, and only metric alarms unless `AlarmTypes` asks for
   composites. Without this shim the backend's paging loop and its `AlarmTypes` would go untested,
   and a backend that forgot `AlarmTypes` would pass here and miss every composite on AWS.
3. `DeleteAlarms` limits - moto accepts any number of names and composites per call. AWS rejects
   more than 100 names, and more than one composite alarm, per call; the shim rejects them too,
   with a ValidationError, so the backend's batching is checked on every delete in every test.
4. Tagging `GetResources` page size - moto caps every page at 100 tags when the client sends only
   `ResourcesPerPage` (its `TagsPerPage` default), so pages shrink to ~50 resources. AWS pages by
   `ResourcesPerPage` (and recommends it over `TagsPerPage`); the shim applies `TagsPerPage` only
   when the request sends it.
5. Alarm mute rules - moto does not serve `PutAlarmMuteRule`, `GetAlarmMuteRule`, `ListAlarmMuteRules`,
   `DeleteAlarmMuteRule`, nor tags on a rule's ARN; `moto_mute_rules` adds them, with AWS's refusals.
"""

from __future__ import annotations

from typing import Any

from moto.cloudwatch.exceptions import ValidationError
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.responses import ActionResult
from moto.resourcegroupstaggingapi.responses import ResourceGroupsTaggingAPIResponse

from tests.aws import moto_mute_rules

_installed = False
_original_describe = CloudWatchResponse.describe_alarms
_original_delete = CloudWatchResponse.delete_alarms
_original_get_resources = ResourceGroupsTaggingAPIResponse.get_resources


def _describe_alarms(self: CloudWatchResponse) -> ActionResult:
    result: Any = _original_describe(self).result
    types = self._get_param("AlarmTypes") or ["MetricAlarm"]
    alarms = []
    if "MetricAlarm" in types:
        alarms.extend(result["MetricAlarms"])
    if "CompositeAlarm" in types:
        alarms.extend(result["CompositeAlarms"])
    alarms.sort(key=lambda a: a.name)
    size = int(self._get_param("MaxRecords") or 50)
    if not 1 <= size <= 100:
        raise ValidationError("MaxRecords must be between 1 and 100")
    start = int(self._get_param("NextToken") or 0)
    page = alarms[start : start + size]
    out: dict[str, Any] = {
        "MetricAlarms": [a for a in page if a.rule is None],
        "CompositeAlarms": [a for a in page if a.rule is not None],
    }
    if start + size < len(alarms):
        out["NextToken"] = str(start + size)
    return ActionResult(out)


def _delete_alarms(self: CloudWatchResponse) -> ActionResult:
    names = self._get_param("AlarmNames", [])
    if len(names) > 100:
        raise ValidationError(f"DeleteAlarms takes at most 100 alarm names, got {len(names)}")
    alarms = self.cloudwatch_backend.alarms
    composites = [n for n in names if n in alarms and alarms[n].rule is not None]
    if len(composites) > 1:
        raise ValidationError(f"DeleteAlarms deletes at most one composite alarm per call, got {len(composites)}")
    result: ActionResult = _original_delete(self)
    return result


def _get_resources(self: ResourceGroupsTaggingAPIResponse) -> str:
    if self._get_param("TagsPerPage") is None:
        original = self._get_int_param

        def get_int(name: str, default: Any = None) -> Any:
            return 10**9 if name == "TagsPerPage" else original(name, default)

        self._get_int_param = get_int  # type: ignore[method-assign]
    result: str = _original_get_resources(self)
    return result


def install() -> None:
    """Install every shim once (they patch moto's response classes, shared by the in-process server)."""
    global _installed
    if _installed:
        return
    CloudWatchResponse.put_composite_alarm = CloudWatchResponse.put_metric_alarm  # type: ignore[attr-defined]
    CloudWatchResponse.describe_alarms = _describe_alarms  # type: ignore[method-assign]
    CloudWatchResponse.delete_alarms = _delete_alarms  # type: ignore[method-assign]
    ResourceGroupsTaggingAPIResponse.get_resources = _get_resources  # type: ignore[method-assign]
    for name, handler in moto_mute_rules.HANDLERS.items():
        setattr(CloudWatchResponse, name, handler)
    _installed = True
