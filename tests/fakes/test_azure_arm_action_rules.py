"""The fake ARM's alert processing rules (actionRules, 2021-08-08) through the monitor client's real pipeline."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from azure.core.rest import HttpRequest

from tests.fakes.azure_arm import ACTION_RULES, ArmClients, AzureArmFake, azure_arm_server, azure_clients, azure_fake

__all__ = ["azure_arm_server", "azure_clients", "azure_fake"]  # the fixtures the tests below use

RG = "rg-monaco"
API = {"api-version": "2021-08-08"}


def _path(fake: AzureArmFake, name: str = "", group: str | None = RG) -> str:
    where = f"/resourceGroups/{group}" if group is not None else ""
    tail = f"/{name}" if name else ""
    return f"/subscriptions/{fake.subscription}{where}/providers/Microsoft.AlertsManagement/actionRules{tail}"


def _send(clients: ArmClients, method: str, url: str, body: Any = None, params: Any = API) -> Any:
    """One request through the monitor client's pipeline (auth, retries); the raw response."""
    return clients.monitor._send_request(HttpRequest(method, url, params=params, json=body))


def business_hours(subscription: str) -> dict[str, Any]:
    """The REST spec's example: remove all action groups outside business hours, Eastern Standard Time."""
    return {
        "location": "Global",
        "tags": {"managed-by": "monaco"},
        "properties": {
            "description": "Remove all ActionGroups outside business hours",
            "scopes": [f"/subscriptions/{subscription}"],
            "conditions": [{"field": "AlertRuleId", "operator": "Equals", "values": ["/subscriptions/x/rule"]}],
            "actions": [{"actionType": "RemoveAllActionGroups"}],
            "schedule": {
                "timeZone": "Eastern Standard Time",
                "recurrences": [
                    {"recurrenceType": "Daily", "startTime": "17:00:00", "endTime": "09:00:00"},
                    {"recurrenceType": "Weekly", "daysOfWeek": ["Saturday", "Sunday"]},
                ],
            },
        },
    }


def test_processing_rule_lifecycle(azure_fake: AzureArmFake, azure_clients: ArmClients) -> None:
    """Create 201, replace 200, get (enabled defaulted, systemData, type), list by group and subscription,
    patch `enabled`, delete 200 then 204, get 404 with ARM's error body."""
    url, body = _path(azure_fake, "Quiet"), business_hours(azure_fake.subscription)
    assert _send(azure_clients, "PUT", url, body).status_code == 201
    assert _send(azure_clients, "PUT", url, body).status_code == 200
    read = _send(azure_clients, "GET", url).json()
    assert read["type"] == "Microsoft.AlertsManagement/actionRules" and read["name"] == "Quiet"
    assert read["id"] == url and read["properties"]["enabled"] is True and "systemData" in read
    assert read["properties"]["schedule"] == body["properties"]["schedule"]
    for collection in (_path(azure_fake), _path(azure_fake, group=None)):
        assert [d["name"] for d in _send(azure_clients, "GET", collection).json()["value"]] == ["Quiet"]
    patched = _send(azure_clients, "PATCH", url, {"properties": {"enabled": False}}).json()
    assert (
        patched["properties"]["enabled"] is False and patched["properties"]["actions"] == body["properties"]["actions"]
    )
    assert [_send(azure_clients, "DELETE", url).status_code for _ in range(2)] == [200, 204]
    missing = _send(azure_clients, "GET", url)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "ResourceNotFound")


def test_lists_page_with_next_link(azure_fake: AzureArmFake, azure_clients: ArmClients) -> None:
    """Three rules, two a page: the first page's nextLink carries the api-version and reaches the third."""
    for name in ("a", "b", "c"):
        azure_fake.seed(ACTION_RULES, RG, name, business_hours(azure_fake.subscription))
    first = _send(azure_clients, "GET", _path(azure_fake)).json()
    assert len(first["value"]) == 2 and "api-version=2021-08-08" in first["nextLink"]
    second = _send(azure_clients, "GET", first["nextLink"], params=None).json()
    assert [d["name"] for d in second["value"]] == ["c"] and "nextLink" not in second


def _edit(path: str, value: Any) -> Any:
    """A function that sets (or, for None, removes) one dotted path of a sample body."""

    def edit(body: dict[str, Any]) -> dict[str, Any]:
        holder: Any = body
        parts = [int(p) if p.isdigit() else p for p in path.split(".")]
        for part in parts[:-1]:
            holder = holder[part]
        if value is None:
            del holder[parts[-1]]
        else:
            holder[parts[-1]] = value
        return body

    return edit


INVALID = {
    "no scopes": (_edit("properties.scopes", None), "scopes"),
    "empty scopes": (_edit("properties.scopes", []), "scopes"),
    "no actions": (_edit("properties.actions", None), "actions"),
    "unknown action": (_edit("properties.actions.0.actionType", "MuteEverything"), "actionType"),
    "add groups without ids": (_edit("properties.actions.0.actionType", "AddActionGroups"), "actionGroupIds"),
    "unknown field": (_edit("properties.conditions.0.field", "AlertRuleLabel"), "field"),
    "unknown operator": (_edit("properties.conditions.0.operator", "Matches"), "operator"),
    "recurrence type Yearly": (_edit("properties.schedule.recurrences.0.recurrenceType", "Yearly"), "recurrenceType"),
    "start time 9:00": (_edit("properties.schedule.recurrences.0.startTime", "9:00"), "startTime"),
    "end time 24:00:00": (_edit("properties.schedule.recurrences.0.endTime", "24:00:00"), "endTime"),
    "weekly without days": (_edit("properties.schedule.recurrences.1.daysOfWeek", None), "daysOfWeek"),
    "weekly on Funday": (_edit("properties.schedule.recurrences.1.daysOfWeek", ["Funday"]), "daysOfWeek"),
    "monthly day 32": (
        _edit("properties.schedule.recurrences.1", {"recurrenceType": "Monthly", "daysOfMonth": [32]}),
        "daysOfMonth",
    ),
    "IANA time zone": (_edit("properties.schedule.timeZone", "Europe/Berlin"), "timeZone"),
    "effective from with a zone": (_edit("properties.schedule.effectiveFrom", "2026-01-01T00:00:00Z"), "effectiveFrom"),
    "no location": (_edit("location", None), "location"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_processing_rules_are_refused(azure_fake: AzureArmFake, azure_clients: ArmClients, case: str) -> None:
    """Each is a 400 with ARM's error envelope naming the field, and nothing is stored."""
    edit, field = INVALID[case]
    body = edit(copy.deepcopy(business_hours(azure_fake.subscription)))
    response = _send(azure_clients, "PUT", _path(azure_fake, "bad"), body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] in ("BadRequest", "LocationRequired") and field in error["message"]
    assert azure_fake.snapshot() == {}


def test_every_recurrence_shape_of_the_spec_is_accepted(azure_fake: AzureArmFake, azure_clients: ArmClients) -> None:
    """Daily, Weekly and Monthly, with and without times, effective dates, no schedule at all."""
    body = business_hours(azure_fake.subscription)
    body["properties"]["schedule"] |= {"effectiveFrom": "2026-01-01T00:00:00", "effectiveUntil": "2026-12-31T23:59:59"}
    body["properties"]["schedule"]["recurrences"].append(
        {"recurrenceType": "Monthly", "daysOfMonth": [1, 31], "startTime": "00:00:00", "endTime": "23:59:59"}
    )
    assert _send(azure_clients, "PUT", _path(azure_fake, "full"), body).status_code == 201
    del body["properties"]["schedule"]
    assert _send(azure_clients, "PUT", _path(azure_fake, "always"), body).status_code == 201
