"""The fake Grafana provisioning API, driven by `grafana_client.GrafanaApi` as a user's script would drive Grafana."""

from __future__ import annotations

from typing import Any

import niquests
import pytest
from grafana_client import GrafanaApi
from grafana_client.client import GrafanaBadInputError, GrafanaClientError, GrafanaServerError

from tests.fakes.grafana_provisioning import BASIC, REDACTED, TOKEN, GrafanaProvisioningFake, grafana_fake
from tests.fakes.grafana_provisioning.out_of_band import add_contact_point, add_root_route, add_rule, simple_rule

__all__ = ["grafana_fake"]


def api(fake: GrafanaProvisioningFake, credential: Any = TOKEN) -> GrafanaApi:
    """A client with a service-account token (or basic auth) pointed at the fake."""
    return GrafanaApi.from_url(fake.url, credential=credential, timeout=5)


def slack_point(name: str = "team-slack", url: str = "https://hooks.slack.com/services/T/B/SECRET") -> dict[str, Any]:
    """A Slack contact point body."""
    return {"name": name, "type": "slack", "settings": {"url": url, "recipient": "#alerts"}}


def test_auth_bearer_and_basic_accepted_anything_else_401(grafana_fake: GrafanaProvisioningFake) -> None:
    assert api(grafana_fake).alertingprovisioning.get_alertrules_all() == []
    assert api(grafana_fake, BASIC).alertingprovisioning.get_alertrules_all() == []
    with pytest.raises(GrafanaClientError) as caught:
        api(grafana_fake, "wrong").alertingprovisioning.get_alertrules_all()
    assert caught.value.status_code == 401


def test_rule_crud_carries_api_provenance_and_fills_defaults(grafana_fake: GrafanaProvisioningFake) -> None:
    client = api(grafana_fake)
    client.folder.create_folder("Monaco", uid="monaco")
    created = client.alertingprovisioning.create_alertrule(simple_rule("monaco", "checkout", "High", uid="r1"))
    assert created["uid"] == "r1" and created["provenance"] == "api" and created["noDataState"] == "NoData"
    updated = {**simple_rule("monaco", "checkout", "Higher", uid="r1")}
    assert client.alertingprovisioning.update_alertrule("r1", updated)["title"] == "Higher"
    group = client.alertingprovisioning.get_rule_group("monaco", "checkout")
    assert group["interval"] == 60 and [r["uid"] for r in group["rules"]] == ["r1"]
    client.alertingprovisioning.delete_alertrule("r1")
    assert client.alertingprovisioning.get_alertrules_all() == []


def test_disable_provenance_writes_none(grafana_fake: GrafanaProvisioningFake) -> None:
    client = api(grafana_fake)
    client.folder.create_folder("Monaco", uid="monaco")
    rule = client.alertingprovisioning.create_alertrule(simple_rule("monaco", "g", "T"), disable_provenance=True)
    assert rule["provenance"] == ""


def test_provisioned_rule_cannot_be_edited_without_provenance(grafana_fake: GrafanaProvisioningFake) -> None:
    client = api(grafana_fake)
    client.folder.create_folder("Monaco", uid="monaco")
    client.alertingprovisioning.create_alertrule(simple_rule("monaco", "g", "T", uid="r1"))
    with pytest.raises(GrafanaClientError) as caught:
        client.alertingprovisioning.update_alertrule("r1", simple_rule("monaco", "g", "T2"), disable_provenance=True)
    assert caught.value.status_code == 409


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"folderUID": None}, "folderUID must be set"),
        ({"folderUID": "nope"}, "does not exist"),
        ({"condition": "Z"}, "condition 'Z' is not one of"),
        ({"for": "5x"}, "is not a duration"),
        ({"for": "90s"}, "not a multiple of the interval"),
        ({"noDataState": "Nope"}, "noDataState"),
        ({"title": " "}, "title is empty"),
    ],
)
def test_invalid_rules_rejected(grafana_fake: GrafanaProvisioningFake, change: dict[str, Any], message: str) -> None:
    client = api(grafana_fake)
    client.folder.create_folder("Monaco", uid="monaco")
    with pytest.raises(GrafanaBadInputError) as caught:
        client.alertingprovisioning.create_alertrule({**simple_rule("monaco", "g", "T"), **change})
    assert message in str(caught.value.message)
    assert client.alertingprovisioning.get_alertrules_all() == []


def test_duplicate_title_in_group_rejected(grafana_fake: GrafanaProvisioningFake) -> None:
    client = api(grafana_fake)
    client.folder.create_folder("Monaco", uid="monaco")
    client.alertingprovisioning.create_alertrule(simple_rule("monaco", "g", "Same"))
    with pytest.raises(GrafanaClientError) as caught:
        client.alertingprovisioning.create_alertrule(simple_rule("monaco", "g", "Same"))
    assert caught.value.status_code == 409
    client.alertingprovisioning.create_alertrule(simple_rule("monaco", "other", "Same"))


def test_group_put_replaces_interval_and_rules(grafana_fake: GrafanaProvisioningFake) -> None:
    client = api(grafana_fake)
    client.folder.create_folder("Monaco", uid="monaco")
    client.alertingprovisioning.create_alertrule(simple_rule("monaco", "g", "Old", uid="old"))
    body = {"title": "g", "interval": 30, "rules": [{**simple_rule("monaco", "g", "New", uid="new"), "for": "60s"}]}
    client.alertingprovisioning.update_rule_group("monaco", "g", body)
    group = client.alertingprovisioning.get_rule_group("monaco", "g")
    assert group["interval"] == 30 and [r["uid"] for r in group["rules"]] == ["new"]
    with pytest.raises(GrafanaBadInputError):
        client.alertingprovisioning.update_rule_group("monaco", "g", {**body, "interval": 15})
    with pytest.raises(GrafanaBadInputError):
        bad = {**body, "rules": [{**simple_rule("monaco", "g", "New", uid="new"), "for": "45s"}]}
        client.alertingprovisioning.update_rule_group("monaco", "g", bad)


def test_contact_point_secrets_redacted_and_kept(grafana_fake: GrafanaProvisioningFake) -> None:
    client = api(grafana_fake)
    created = client.alertingprovisioning.create_contactpoint(slack_point())
    assert created["settings"]["url"] == REDACTED and created["provenance"] == "api"
    listed = client.alertingprovisioning.get_contactpoints(name="team-slack")
    assert [p["settings"]["url"] for p in listed] == [REDACTED]
    client.alertingprovisioning.update_contactpoint(created["uid"], slack_point(url=REDACTED) | {"uid": created["uid"]})
    assert grafana_fake.state.secrets[created["uid"]]["url"].endswith("SECRET")
    assert all(b"SECRET" not in niquests.get(grafana_fake.url + p, headers=_bearer()).content for p in _reads())


def _bearer() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def _reads() -> list[str]:
    return ["/api/v1/provisioning/contact-points", "/api/v1/provisioning/policies"]


def test_policy_tree_refuses_unknown_receiver_and_mute_timing(grafana_fake: GrafanaProvisioningFake) -> None:
    client = api(grafana_fake)
    tree = client.alertingprovisioning.get_notification_policy_tree()
    assert tree["receiver"] == "grafana-default-email"
    with pytest.raises(GrafanaBadInputError):
        client.alertingprovisioning.set_notification_policy_tree({**tree, "routes": [{"receiver": "nobody"}]})
    with pytest.raises(GrafanaBadInputError):
        bad = {**tree, "routes": [{"receiver": "grafana-default-email", "mute_time_intervals": ["nights"]}]}
        client.alertingprovisioning.set_notification_policy_tree(bad)
    client.alertingprovisioning.create_mute_timing({"name": "nights", "time_intervals": [{"times": []}]})
    client.alertingprovisioning.set_notification_policy_tree(bad)
    assert client.alertingprovisioning.get_notification_policy_tree()["provenance"] == "api"


def test_used_contact_point_and_mute_timing_cannot_be_deleted(grafana_fake: GrafanaProvisioningFake) -> None:
    client = api(grafana_fake)
    point = client.alertingprovisioning.create_contactpoint(slack_point())
    client.alertingprovisioning.create_mute_timing({"name": "nights", "time_intervals": []})
    route = {"receiver": "team-slack", "mute_time_intervals": ["nights"]}
    client.alertingprovisioning.set_notification_policy_tree({"receiver": "grafana-default-email", "routes": [route]})
    for delete in (
        lambda: client.alertingprovisioning.delete_contactpoint(point["uid"]),
        lambda: client.alertingprovisioning.delete_mute_timing("nights"),
    ):
        with pytest.raises(GrafanaClientError) as caught:
            delete()
        assert caught.value.status_code == 409
    client.alertingprovisioning.delete_notification_policy_tree()
    client.alertingprovisioning.delete_contactpoint(point["uid"])
    client.alertingprovisioning.delete_mute_timing("nights")
    assert [p["name"] for p in client.alertingprovisioning.get_contactpoints()] == ["grafana-default-email"]


def test_hooks_fail_nth_write_and_log_calls(grafana_fake: GrafanaProvisioningFake) -> None:
    client = api(grafana_fake)
    grafana_fake.fail_nth_write(2, status=500)
    client.alertingprovisioning.create_contactpoint(slack_point("a"))
    with pytest.raises(GrafanaServerError):
        client.alertingprovisioning.create_contactpoint(slack_point("b"))
    client.alertingprovisioning.create_contactpoint(slack_point("c"))
    names = [p["name"] for p in client.alertingprovisioning.get_contactpoints()]
    assert names == ["a", "c", "grafana-default-email"]
    assert [c.method for c in grafana_fake.call_log()] == ["POST", "POST", "POST", "GET"]


def test_out_of_band_objects_and_snapshot(grafana_fake: GrafanaProvisioningFake) -> None:
    before = grafana_fake.snapshot()
    add_rule(grafana_fake, simple_rule("hand", "g", "Hand", uid="hand1"))
    add_contact_point(grafana_fake, slack_point("hand-slack"))
    add_root_route(grafana_fake, {"receiver": "hand-slack", "object_matchers": [["team", "=", "web"]]})
    after = grafana_fake.snapshot()
    assert after != before and "rule/hand1" in after and b"hand-slack" in after["policies"]
    assert api(grafana_fake).alertingprovisioning.get_alertrule("hand1")["provenance"] == ""
    grafana_fake.reset()
    assert grafana_fake.snapshot() == before


BUSINESS_HOURS = {
    "name": "business-hours",
    "time_intervals": [
        {
            "times": [{"start_time": "09:00", "end_time": "17:00"}],
            "weekdays": ["Monday:Friday", "saturday:saturday"],
            "days_of_month": ["1:1", "-3:-1"],
            "months": ["december", "july:august", "3"],
            "years": ["2026:2026"],
            "location": "Europe/Berlin",
            "ignored": "Grafana's decoder drops keys it does not know",
        }
    ],
}


def test_mute_timing_is_stored_as_grafana_encodes_it(grafana_fake: GrafanaProvisioningFake) -> None:
    """Weekdays back as names, months, days and years as numbers, a one-value range as that value."""
    client = api(grafana_fake)
    created = client.alertingprovisioning.create_mute_timing(BUSINESS_HOURS)
    assert created["provenance"] == "api" and created["version"]
    (read,) = client.alertingprovisioning.get_mute_timings()
    assert read == created == client.alertingprovisioning.get_mute_timing("business-hours")
    assert read["time_intervals"] == [
        {
            "times": [{"start_time": "09:00", "end_time": "17:00"}],
            "weekdays": ["monday:friday", "saturday"],
            "days_of_month": ["1", "-3:-1"],
            "months": ["12", "7:8", "3"],
            "years": ["2026"],
            "location": "Europe/Berlin",
        }
    ]
    updated = client.alertingprovisioning.update_mute_timing("business-hours", {"time_intervals": [{}]})
    assert updated["name"] == "business-hours" and updated["time_intervals"] == [{}]
    assert updated["version"] != created["version"]
    client.alertingprovisioning.delete_mute_timing("business-hours")
    client.alertingprovisioning.delete_mute_timing("business-hours")  # a missing one is 204 too
    assert client.alertingprovisioning.get_mute_timings() == []


def test_mute_timing_without_provenance_stays_editable(grafana_fake: GrafanaProvisioningFake) -> None:
    client = api(grafana_fake)
    created = client.alertingprovisioning.create_mute_timing(BUSINESS_HOURS, disable_provenance=True)
    assert "provenance" not in created
    client.alertingprovisioning.create_mute_timing({**BUSINESS_HOURS, "name": "provisioned"})
    with pytest.raises(GrafanaClientError) as caught:
        client.client.PUT("/v1/provisioning/mute-timings/provisioned", json=BUSINESS_HOURS, headers=_no_provenance())
    assert caught.value.status_code == 409


def _no_provenance() -> dict[str, str]:
    return {"X-Disable-Provenance": "true"}


@pytest.mark.parametrize(
    ("period", "reason"),
    [
        ({"times": [{"start_time": "17:00", "end_time": "09:00"}]}, "start time cannot be equal or greater than end"),
        ({"times": [{"start_time": "9:00", "end_time": "17:00"}]}, "couldn't parse timestamp 9:00, invalid format"),
        ({"times": [{"start_time": "09:00"}]}, "both start and end times must be provided"),
        ({"weekdays": ["mondays"]}, "mondays is not a valid weekday"),
        ({"weekdays": ["friday:monday"]}, "start day cannot be before end day"),
        ({"days_of_month": ["0"]}, "0 is not a valid day of the month: out of range"),
        ({"days_of_month": ["-1:5"]}, "end day must be negative if start day is negative"),
        ({"months": ["august:july"]}, "end month july is before start month august"),
        ({"months": ["smarch"]}, "smarch is not a valid month"),
        ({"years": ["2027:2026"]}, "end year 2026 is before start year 2027"),
        ({"location": "Mars/Olympus"}, "unknown time zone Mars/Olympus"),
    ],
)
def test_invalid_mute_timings_rejected_with_grafanas_error(
    grafana_fake: GrafanaProvisioningFake, period: dict[str, Any], reason: str
) -> None:
    client = api(grafana_fake)
    with pytest.raises(GrafanaBadInputError) as caught:
        client.alertingprovisioning.create_mute_timing({"name": "bad", "time_intervals": [period]})
    answer = caught.value.response
    assert answer["messageId"] == "alerting.notifications.time-intervals.invalidFormat"
    assert answer["message"] == "Time interval is in invalid format. Correct the payload and try again."
    assert reason in answer["extra"]["Error"]
    assert client.alertingprovisioning.get_mute_timings() == []


def test_mute_timing_names_taken_missing_and_unnamed(grafana_fake: GrafanaProvisioningFake) -> None:
    """A taken name is 400 (Grafana's nameExists, not a 409), a missing one 404, no name 400."""
    client = api(grafana_fake)
    client.alertingprovisioning.create_mute_timing(BUSINESS_HOURS)
    with pytest.raises(GrafanaBadInputError) as taken:
        client.alertingprovisioning.create_mute_timing(BUSINESS_HOURS)
    assert taken.value.response["messageId"] == "alerting.notifications.time-intervals.nameExists"
    with pytest.raises(GrafanaClientError) as missing:
        client.alertingprovisioning.update_mute_timing("nights", BUSINESS_HOURS)
    assert missing.value.status_code == 404
    with pytest.raises(GrafanaClientError) as absent:
        client.alertingprovisioning.get_mute_timing("nights")
    assert absent.value.status_code == 404
    with pytest.raises(GrafanaBadInputError) as unnamed:
        client.alertingprovisioning.create_mute_timing({"time_intervals": []})
    assert unnamed.value.response["extra"]["Error"] == "missing name in mute time interval"


@pytest.mark.parametrize("field", ["mute_time_intervals", "active_time_intervals"])
def test_a_timing_the_tree_names_is_kept_and_an_unknown_one_refused(
    grafana_fake: GrafanaProvisioningFake, field: str
) -> None:
    client = api(grafana_fake)
    tree = {"receiver": "grafana-default-email", "routes": [{"object_matchers": [["a", "=", "b"]], field: ["nights"]}]}
    with pytest.raises(GrafanaBadInputError) as unknown:
        client.alertingprovisioning.set_notification_policy_tree(tree)
    kind = field.split("_")[0]
    assert unknown.value.response["message"] == (
        f"Invalid format of the submitted route: {kind} time interval 'nights' does not exist. "
        "Correct the payload and try again."
    )
    client.alertingprovisioning.create_mute_timing({"name": "nights", "time_intervals": []})
    client.alertingprovisioning.set_notification_policy_tree(tree)
    with pytest.raises(GrafanaClientError) as used:
        client.alertingprovisioning.delete_mute_timing("nights")
    assert used.value.status_code == 409
    assert used.value.response["message"] == "Time interval is used by notification policies"
    assert [m["name"] for m in client.alertingprovisioning.get_mute_timings()] == ["nights"]
    client.alertingprovisioning.set_notification_policy_tree({"receiver": "grafana-default-email"})
    client.alertingprovisioning.delete_mute_timing("nights")
    assert client.alertingprovisioning.get_mute_timings() == []
