"""The fake Grafana HTTP API, driven by the real `grafana-client` the way a user's script would drive Grafana."""

from __future__ import annotations

import json

import pytest
from grafana_client import GrafanaApi
from grafana_client.client import GrafanaClientError, GrafanaServerError, GrafanaUnauthorizedError

from tests.fakes.grafana import BASIC, TOKEN, GrafanaFake, grafana_fake

__all__ = ["grafana_fake"]


def _api(fake: GrafanaFake, credential: str | tuple[str, str] = TOKEN) -> GrafanaApi:
    return GrafanaApi.from_url(fake.url, credential=credential, timeout=5)


def _dashboard(uid: str, title: str, tags: list[str], version: int | None = None) -> dict[str, object]:
    body: dict[str, object] = {"uid": uid, "title": title, "tags": tags, "panels": [], "schemaVersion": 39}
    if version is not None:
        body["version"] = version
    return body


def test_health_needs_no_auth_and_everything_else_does(grafana_fake: GrafanaFake) -> None:
    """Health answers anyone; a wrong token or password is 401 with Grafana's body; both auth schemes work."""
    assert GrafanaApi.from_url(grafana_fake.url, timeout=5).client.GET("/health")["database"] == "ok"
    with pytest.raises(GrafanaUnauthorizedError):
        _api(grafana_fake, "wrong").search.search_dashboards()
    with pytest.raises(GrafanaUnauthorizedError):
        _api(grafana_fake, ("admin", "nope")).folder.get_all_folders()
    assert _api(grafana_fake).search.search_dashboards() == []
    assert _api(grafana_fake, BASIC).folder.get_all_folders() == []


def test_folders_are_created_listed_and_read(grafana_fake: GrafanaFake) -> None:
    """A folder keeps its uid; a second one with the same uid is 409; an unknown uid is 404."""
    api = _api(grafana_fake)
    created = api.folder.create_folder("Monaco", uid="monaco")
    assert created["uid"] == "monaco" and created["url"] == "/dashboards/f/monaco/monaco"
    assert api.folder.get_all_folders() == [{"id": created["id"], "uid": "monaco", "title": "Monaco"}]
    assert api.folder.get_folder("monaco")["title"] == "Monaco"
    with pytest.raises(GrafanaClientError) as taken:
        api.folder.create_folder("Other", uid="monaco")
    assert taken.value.status_code == 409
    with pytest.raises(GrafanaClientError) as missing:
        api.folder.get_folder("nope")
    assert missing.value.status_code == 404


def test_a_dashboard_is_created_read_updated_and_deleted(grafana_fake: GrafanaFake) -> None:
    """Save answers id/uid/url/status/version; GET gives dashboard + meta; overwrite bumps the version; DELETE 404s after."""
    api = _api(grafana_fake)
    api.folder.create_folder("Monaco", uid="monaco")
    saved = api.dashboard.update_dashboard(
        {"dashboard": _dashboard("d1", "Checkout", ["monaco"]), "folderUid": "monaco"}
    )
    assert saved == {
        "id": saved["id"],
        "uid": "d1",
        "url": "/d/d1/checkout",
        "status": "success",
        "version": 1,
        "slug": "checkout",
    }
    got = api.dashboard.get_dashboard("d1")
    assert got["dashboard"]["version"] == 1 and got["dashboard"]["id"] == saved["id"]
    assert got["meta"]["folderUid"] == "monaco" and got["meta"]["folderTitle"] == "Monaco"
    again = api.dashboard.update_dashboard(
        {"dashboard": _dashboard("d1", "Checkout", ["monaco", "x"]), "folderUid": "monaco", "overwrite": True}
    )
    assert again["version"] == 2 and again["id"] == saved["id"]
    assert api.dashboard.delete_dashboard("d1")["message"] == "Dashboard Checkout deleted"
    with pytest.raises(GrafanaClientError) as gone:
        api.dashboard.get_dashboard("d1")
    assert gone.value.status_code == 404


def test_a_stale_version_without_overwrite_is_a_version_mismatch(grafana_fake: GrafanaFake) -> None:
    """412 `version-mismatch` for a stale version; the current version saves without overwrite."""
    api = _api(grafana_fake)
    api.dashboard.update_dashboard({"dashboard": _dashboard("d1", "Checkout", [])})
    with pytest.raises(GrafanaClientError) as stale:
        api.dashboard.update_dashboard({"dashboard": _dashboard("d1", "Checkout", [], version=0)})
    assert stale.value.status_code == 412 and stale.value.response["status"] == "version-mismatch"
    assert api.dashboard.update_dashboard({"dashboard": _dashboard("d1", "Checkout", [], version=1)})["version"] == 2


def test_a_same_title_in_the_folder_is_name_exists_and_overwrite_replaces_it(grafana_fake: GrafanaFake) -> None:
    """Titles are unique per folder (case-insensitive): 412 `name-exists`; with overwrite the other one is replaced."""
    api = _api(grafana_fake)
    api.folder.create_folder("Monaco", uid="monaco")
    api.dashboard.update_dashboard({"dashboard": _dashboard("mine", "Checkout", []), "folderUid": "monaco"})
    api.dashboard.update_dashboard({"dashboard": _dashboard("other", "Checkout", [])})  # another folder: fine
    with pytest.raises(GrafanaClientError) as clash:
        api.dashboard.update_dashboard({"dashboard": _dashboard("new", "CHECKOUT", []), "folderUid": "monaco"})
    assert clash.value.status_code == 412 and clash.value.response["status"] == "name-exists"
    api.dashboard.update_dashboard(
        {"dashboard": _dashboard("new", "Checkout", []), "folderUid": "monaco", "overwrite": True}
    )
    assert sorted(json.loads(grafana_fake.snapshot())["dashboards"]) == ["new", "other"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"dashboard": {"uid": "x" * 41, "title": "T"}}, "uid too long, max 40 characters"),
        ({"dashboard": {"uid": "a/b", "title": "T"}}, "uid contains illegal characters"),
        ({"dashboard": {"uid": "ok", "title": ""}}, "Dashboard title cannot be empty"),
        ({"dashboard": {"uid": "ok", "title": "T"}, "folderUid": "nope"}, "folder not found"),
    ],
)
def test_invalid_saves_are_400(grafana_fake: GrafanaFake, body: dict[str, object], message: str) -> None:
    """What Grafana's save path refuses with 400, and nothing is stored."""
    with pytest.raises(GrafanaClientError) as refused:
        _api(grafana_fake).dashboard.update_dashboard(body)
    assert refused.value.status_code == 400 and refused.value.response["message"] == message
    assert json.loads(grafana_fake.snapshot())["dashboards"] == {}


def test_search_filters_by_type_tags_folder_uid_and_query_and_pages(grafana_fake: GrafanaFake) -> None:
    """Tags AND together; folderUIDs, dashboardUIDs and query narrow; limit/page walk the hits in title order."""
    api = _api(grafana_fake)
    api.folder.create_folder("Monaco", uid="monaco")
    for n in range(5):
        tags = ["monaco", f"n{n % 2}"]
        api.dashboard.update_dashboard({"dashboard": _dashboard(f"d{n}", f"Service {n}", tags), "folderUid": "monaco"})
    api.dashboard.update_dashboard({"dashboard": _dashboard("root", "Root board", ["monaco"])})
    search = api.search.search_dashboards
    assert [h["uid"] for h in search(type_="dash-folder")] == ["monaco"]
    assert [h["uid"] for h in search(tag=["monaco", "n0"], type_="dash-db")] == ["d0", "d2", "d4"]
    assert [h["uid"] for h in search(folder_uids=["monaco"], type_="dash-db", query="service 3")] == ["d3"]
    assert [h["uid"] for h in search(dashboard_uids=["root", "d1"])] == ["root", "d1"]
    pages = [[h["uid"] for h in search(type_="dash-db", tag="monaco", limit=2, page=p)] for p in (1, 2, 3, 4)]
    assert pages == [["root", "d0"], ["d1", "d2"], ["d3", "d4"], []]
    hit = search(query="Service 0")[0]
    assert hit["folderUid"] == "monaco" and hit["url"] == "/d/d0/service-0" and hit["tags"] == ["monaco", "n0"]


def test_hooks_fail_the_nth_write_log_calls_add_unowned_and_reset(grafana_fake: GrafanaFake) -> None:
    """The armed write fails with 500 and changes nothing; out-of-band objects are not logged; reset empties all."""
    api = _api(grafana_fake)
    grafana_fake.add_unowned_dashboard("hand", "Hand made")
    grafana_fake.fail_nth_write(2)
    api.folder.create_folder("Monaco", uid="monaco")
    before = grafana_fake.snapshot()
    with pytest.raises(GrafanaServerError):
        api.dashboard.update_dashboard({"dashboard": _dashboard("d1", "Checkout", [])})
    assert grafana_fake.snapshot() == before and grafana_fake.pending_faults() == 0
    assert [(c.method, c.path, c.status) for c in grafana_fake.calls] == [
        ("POST", "/api/folders", 200),
        ("POST", "/api/dashboards/db", 500),
    ]
    assert api.dashboard.get_dashboard("hand")["dashboard"]["tags"] == ["handmade"]
    grafana_fake.reset()
    assert grafana_fake.calls == [] and json.loads(grafana_fake.snapshot()) == {"dashboards": {}, "folders": {}}
