"""The fake PagerDuty through the real `pagerduty` clients: CRUD, paging, rejections, 429 retries, tags, events."""

from __future__ import annotations

from typing import Any

import pagerduty
import pytest

from tests.fakes.pagerduty import PagerDutyFake, events_client, pagerduty_client, pagerduty_fake, pagerduty_server
from tests.fakes.pagerduty import rest_client as make_client

__all__ = ["pagerduty_client", "pagerduty_fake", "pagerduty_server"]  # the fixtures the tests below use


def _policy(fake: PagerDutyFake, client: Any, name: str = "Payments") -> dict[str, Any]:
    """An escalation policy created through the API: the primary schedule, then a user after 15 minutes."""
    schedule = fake.add_schedule("Primary")
    user = fake.add_user("Alice Smith", "alice@example.com")
    rules = [
        {"escalation_delay_in_minutes": 15, "targets": [{"id": schedule["id"], "type": "schedule_reference"}]},
        {"escalation_delay_in_minutes": 30, "targets": [{"id": user["id"], "type": "user_reference"}]},
    ]
    body = {"type": "escalation_policy", "name": name, "num_loops": 1, "escalation_rules": rules}
    created: dict[str, Any] = client.rpost("/escalation_policies", json={"escalation_policy": body})
    return created


def _service(client: Any, name: str, policy_id: str) -> dict[str, Any]:
    body = {
        "type": "service",
        "name": name,
        "escalation_policy": {"id": policy_id, "type": "escalation_policy_reference"},
    }
    created: dict[str, Any] = client.rpost("/services", json={"service": body})
    return created


def _refusal(call: Any) -> dict[str, Any]:
    """The PagerDuty error body of a call the client raised HttpError for."""
    with pytest.raises(pagerduty.HttpError) as raised:
        call()
    response = raised.value.response
    assert response is not None
    body: dict[str, Any] = response.json()
    return body


def test_a_service_with_its_policy_and_integration_reads_back_with_includes(
    pagerduty_fake: PagerDutyFake, pagerduty_client: Any
) -> None:
    """Create policy, service and an Events API v2 integration; the list embeds both on include[]."""
    policy = _policy(pagerduty_fake, pagerduty_client)
    service = _service(pagerduty_client, "checkout", policy["id"])
    assert service["auto_resolve_timeout"] == 14400 and service["incident_urgency_rule"]["urgency"] == "high"
    integration = pagerduty_client.rpost(
        f"/services/{service['id']}/integrations",
        json={"integration": {"type": "events_api_v2_inbound_integration", "name": "monaco"}},
    )
    assert len(integration["integration_key"]) == 32
    listed = list(pagerduty_client.iter_all("/services", params={"include[]": ["integrations", "escalation_policies"]}))
    assert listed[0]["integrations"][0]["integration_key"] == integration["integration_key"]
    assert listed[0]["escalation_policy"]["escalation_rules"][0]["targets"][0]["summary"] == "Primary"
    assert pagerduty_client.rget(f"/escalation_policies/{policy['id']}")["services"][0]["summary"] == "checkout"


def test_lists_page_with_offset_and_limit_and_filter_by_query(
    pagerduty_fake: PagerDutyFake, pagerduty_client: Any
) -> None:
    """150 users come back in two pages of 100 (the client's `more` loop); `query` filters by name or email."""
    for i in range(150):
        pagerduty_fake.add_user(f"User {i:03}", f"user{i:03}@example.com")
    assert len(list(pagerduty_client.iter_all("/users"))) == 150
    pages = [r for r in pagerduty_fake.requests if r.path == "/users"]
    assert [(r.query["offset"], r.query["limit"]) for r in pages] == [(["0"], ["100"]), (["100"], ["100"])]
    assert [u["email"] for u in pagerduty_client.iter_all("/users", params={"query": "user149@"})] == [
        "user149@example.com"
    ]
    first = pagerduty_client.get("/users", params={"limit": 25, "total": "true"}).json()
    assert (first["more"], first["total"], len(first["users"])) == (True, 150, 25)


def test_the_api_refuses_what_pagerduty_refuses(pagerduty_fake: PagerDutyFake, pagerduty_client: Any) -> None:
    """No escalation policy, an unknown schedule, a duplicate name, deleting a policy in use: 400 in PD's shape."""
    no_policy = _refusal(lambda: pagerduty_client.rpost("/services", json={"service": {"name": "x"}}))
    assert no_policy == {
        "error": {"message": "Invalid Input Provided", "code": 2001, "errors": ["Escalation policy can't be blank"]}
    }
    unknown = {"escalation_delay_in_minutes": 5, "targets": [{"id": "PNOPE01", "type": "schedule_reference"}]}
    body = {"escalation_policy": {"name": "p", "escalation_rules": [unknown]}}
    assert (
        "not found" in _refusal(lambda: pagerduty_client.rpost("/escalation_policies", json=body))["error"]["errors"][0]
    )
    policy = _policy(pagerduty_fake, pagerduty_client)
    _service(pagerduty_client, "checkout", policy["id"])
    duplicate = _refusal(lambda: _service(pagerduty_client, "Checkout", policy["id"]))
    assert duplicate["error"]["errors"] == ["Name has already been taken"]
    in_use = _refusal(lambda: pagerduty_client.rdelete(f"/escalation_policies/{policy['id']}"))
    assert "in use" in in_use["error"]["errors"][0]
    missing = _refusal(lambda: pagerduty_client.rget("/services/PMISSING"))
    assert missing == {"error": {"message": "Not Found", "code": 2100}}


def test_a_wrong_token_is_401(pagerduty_fake: PagerDutyFake) -> None:
    """The client raises on 401 (it never retries one); the fake checks `Authorization: Token token=...`."""
    client = make_client(pagerduty_fake, token="wrong")
    with pytest.raises(pagerduty.HttpError) as raised:
        client.rget("/services")
    assert raised.value.response is not None and raised.value.response.status_code == 401
    assert pagerduty_fake.requests[-1].headers["Authorization"] == "Token token=wrong"


def test_429_with_retry_after_is_retried_by_the_client(pagerduty_fake: PagerDutyFake, pagerduty_client: Any) -> None:
    """Three 429s, then the list succeeds: the client retried; rate-limit headers are on every answer."""
    pagerduty_fake.add_user("Bob", "bob@example.com")
    pagerduty_fake.throttle(3, retry_after=2)
    assert [u["name"] for u in pagerduty_client.iter_all("/users")] == ["Bob"]
    assert pagerduty_fake.faults.throttled == 3
    assert [r.status for r in pagerduty_fake.requests] == [429, 429, 429, 200]
    response = pagerduty_client.get("/users")
    assert response.headers["ratelimit-limit"] == "960" and "ratelimit-remaining" in response.headers


def test_tags_on_policies_and_lists_by_tag(pagerduty_fake: PagerDutyFake, pagerduty_client: Any) -> None:
    """change_tags adds by label; /tags/{id}/escalation_policies lists the tagged; services cannot be tagged."""
    policy = _policy(pagerduty_fake, pagerduty_client)
    add = {"add": [{"type": "tag", "label": "managed-by:monaco"}]}
    pagerduty_client.post(f"/escalation_policies/{policy['id']}/change_tags", json=add).raise_for_status()
    tag = pagerduty_client.find("tags", "managed-by:monaco", attribute="label")
    tagged = list(pagerduty_client.iter_all(f"/tags/{tag['id']}/escalation_policies"))
    assert [p["id"] for p in tagged] == [policy["id"]]
    assert [t["label"] for t in pagerduty_client.iter_all(f"/escalation_policies/{policy['id']}/tags")] == [
        "managed-by:monaco"
    ]
    service = _service(pagerduty_client, "checkout", policy["id"])
    refused = pagerduty_client.post(f"/services/{service['id']}/change_tags", json=add)
    assert refused.status_code == 400


def test_the_nth_write_fails_and_snapshot_and_reset_see_it(
    pagerduty_fake: PagerDutyFake, pagerduty_client: Any
) -> None:
    """fail_nth_write(2): the second write is a 500 (the client does not retry it) and changes nothing."""
    policy = _policy(pagerduty_fake, pagerduty_client)
    before = pagerduty_fake.snapshot()
    pagerduty_fake.fail_nth_write(2)
    _service(pagerduty_client, "one", policy["id"])
    middle = pagerduty_fake.snapshot()
    assert _refusal(lambda: _service(pagerduty_client, "two", policy["id"]))["error"]["code"] == 2500
    assert pagerduty_fake.snapshot() == middle != before
    assert sum(1 for key in middle if key.startswith("services/")) == 1
    pagerduty_fake.reset()
    assert pagerduty_fake.snapshot() == {} and pagerduty_fake.requests == []


def test_events_trigger_acknowledge_resolve_by_routing_key(
    pagerduty_fake: PagerDutyFake, pagerduty_client: Any
) -> None:
    """Events API v2 through EventsApiV2Client: 202 and the dedup key; the alert walks its statuses."""
    policy = _policy(pagerduty_fake, pagerduty_client)
    service = _service(pagerduty_client, "checkout", policy["id"])
    integration = pagerduty_client.rpost(
        f"/services/{service['id']}/integrations", json={"integration": {"type": "events_api_v2_inbound_integration"}}
    )
    events = events_client(pagerduty_fake, integration["integration_key"])
    dedup = events.trigger("drill: checkout", "monaco", dedup_key="drill-1", severity="critical")
    events.acknowledge(dedup)
    events.resolve(dedup)
    alert = pagerduty_fake.events.alerts["drill-1"]
    assert (alert.service_id, alert.severity, alert.statuses) == (
        service["id"],
        "critical",
        ["triggered", "acknowledged", "resolved"],
    )
    wrong = events_client(pagerduty_fake, "0" * 32)
    with pytest.raises(pagerduty.Error):
        wrong.trigger("x", "monaco", severity="critical")
