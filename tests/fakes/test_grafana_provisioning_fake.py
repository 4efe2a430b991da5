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
