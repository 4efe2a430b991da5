"""The HTTP target against the fake Grafana: search by tag, ownership by tag, refusals, per-change report, lock."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from monaco.backends.grafana_dashboards.apply_http import dashboard_lock
from monaco.backends.grafana_dashboards.config import GrafanaDashboardsConfig
from monaco.backends.lock import LockBusy
from tests.fakes.grafana import BASIC, TOKEN, GrafanaFake
from tests.grafana_dashboards.conftest import grafana_fake
from tests.grafana_dashboards.helpers import Workspace, ws

__all__ = ["grafana_fake", "ws"]


def _config(fake: GrafanaFake, **extra: Any) -> dict[str, Any]:
    return {"url": fake.url, "token": {"env": "MONACO_TEST_GRAFANA_TOKEN"}, **extra}


@pytest.fixture(autouse=True)
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    """The token the fake accepts, behind the reference the targets use."""
    monkeypatch.setenv("MONACO_TEST_GRAFANA_TOKEN", TOKEN)
    monkeypatch.setenv("MONACO_TEST_GRAFANA_PASSWORD", BASIC[1])


def _state(fake: GrafanaFake) -> dict[str, Any]:
    state: dict[str, Any] = json.loads(fake.snapshot())
    return state


def test_plan_apply_plan_is_empty_in_a_folder_monaco_creates(ws: Workspace, grafana_fake: GrafanaFake) -> None:
    """The folder is created on the first apply; the dashboard is tagged as ours; the next plan reads it back equal."""
    ws.write(_config(grafana_fake))
    assert ws.run("plan", "--detailed-exitcode").code == 2
    ws.converge()
    state = _state(grafana_fake)
    assert state["folders"]["monaco"]["title"] == "Monaco"
    stored = state["dashboards"]["monaco-checkout"]
    assert stored["folderUid"] == "monaco"
    assert stored["dashboard"]["tags"] == ["monaco", "monaco-service:checkout", "monaco-target:grafana-test"]
    saves = [c.body for c in grafana_fake.calls if c.path == "/api/dashboards/db"]
    assert [b["overwrite"] for b in saves if b["dashboard"]["uid"] == "monaco-checkout"] == [False]


def test_basic_auth_works_and_a_wrong_token_is_mon600(
    ws: Workspace, grafana_fake: GrafanaFake, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user and password reference reads fine; a token Grafana refuses is MON600 naming the URL."""
    basic = {"username": BASIC[0], "password": {"env": "MONACO_TEST_GRAFANA_PASSWORD"}}
    ws.write({"url": grafana_fake.url, "basic_auth": basic})
    assert ws.run("plan", "--detailed-exitcode").code == 2
    ws.write(_config(grafana_fake))
    monkeypatch.setenv("MONACO_TEST_GRAFANA_TOKEN", "wrong")
    failed = ws.run("plan")
    assert failed.code == 1 and "MON600" in failed.stderr and grafana_fake.url in failed.stderr, failed.output
    assert "HTTP 401: Unauthorized" in failed.stderr


def test_an_update_overwrites_only_an_owned_dashboard(ws: Workspace, grafana_fake: GrafanaFake) -> None:
    """A changed threshold posts with overwrite and bumps Grafana's version; id/version never show in the plan."""
    ws.write(_config(grafana_fake))
    ws.converge()
    ws.edit("checkout", "when: {above: 0.9}", "when: {above: 0.8}")
    planned = ws.run("plan", "--detailed-exitcode")
    assert planned.code == 2 and "0.9 -> 0.8" in planned.output and "version" not in planned.output, planned.output
    ws.converge()
    assert _state(grafana_fake)["dashboards"]["monaco-checkout"]["dashboard"]["version"] == 2
    saves = [c.body for c in grafana_fake.calls if c.path == "/api/dashboards/db"]
    mine = [b["overwrite"] for b in saves if b["dashboard"]["uid"] == "monaco-checkout"]
    assert mine == [False, True]


def test_an_unowned_dashboard_at_the_uid_is_refused_and_untouched(ws: Workspace, grafana_fake: GrafanaFake) -> None:
    """MON410 names the hand-made dashboard wherever it is; apply exits 1; Grafana is byte-identical."""
    ws.write(_config(grafana_fake))
    grafana_fake.add_unowned_dashboard("monaco-checkout", "Checkout by hand")
    before = grafana_fake.snapshot()
    planned = ws.run("plan")
    assert planned.code == 1 and "MON410" in planned.stderr and "Checkout by hand" in planned.stderr, planned.output
    assert ws.run("apply", "--auto-approve").code == 1
    assert grafana_fake.snapshot() == before


def test_an_unowned_dashboard_with_the_title_in_the_folder_is_refused(ws: Workspace, grafana_fake: GrafanaFake) -> None:
    """Same title, other uid, in the monaco folder: refused (overwrite would replace it), left as it was."""
    ws.write(_config(grafana_fake))
    grafana_fake.add_folder("monaco", "Monaco")
    grafana_fake.add_unowned_dashboard("handmade-1", "checkout", "monaco")
    before = grafana_fake.snapshot()
    planned = ws.run("plan")
    assert planned.code == 1 and "MON410" in planned.stderr and "has that title" in planned.stderr, planned.output
    assert ws.run("apply", "--auto-approve").code == 1
    assert grafana_fake.snapshot() == before


def test_another_targets_dashboards_are_left_alone_and_our_orphans_deleted(
    ws: Workspace, grafana_fake: GrafanaFake
) -> None:
    """Dashboards tagged for another target are not ours; a retired service's dashboard is deleted by tag."""
    ws.write(_config(grafana_fake))
    ws.converge()
    other = {"uid": "monaco-billing", "title": "billing", "tags": ["monaco", "monaco-target:other"], "panels": []}
    grafana_fake.add_dashboard(other, "monaco")
    ws.edit("checkout", "name: checkout,", "name: basket,")
    planned = ws.run("plan", "--compact")
    assert "- dashboard.monaco-checkout" in planned.output and "+ dashboard.monaco-basket" in planned.output
    assert "billing" not in planned.output, planned.output
    ws.converge()
    assert sorted(_state(grafana_fake)["dashboards"]) == ["monaco-basket", "monaco-billing"]


def test_search_is_paged_and_bodies_are_read_by_uid(ws: Workspace, grafana_fake: GrafanaFake) -> None:
    """With a page size of 2 and five services, the owned search walks three pages; each dashboard is one GET."""
    ws.write(_config(grafana_fake, page_size=2))
    template = (ws.specs / "checkout.yaml").read_text(encoding="utf-8")
    for n in range(4):
        (ws.specs / f"svc{n}.yaml").write_text(template.replace("name: checkout,", f"name: svc{n},"), encoding="utf-8")
    ws.converge()
    before = len(grafana_fake.calls)
    assert ws.run("plan", "--detailed-exitcode").code == 0
    calls = grafana_fake.calls[before:]
    owned = [c for c in calls if c.path == "/api/search" and c.query.get("tag")]
    assert [c.query["page"] for c in owned] == [["1"], ["2"], ["3"]]
    assert sum(1 for c in calls if c.path.startswith("/api/dashboards/uid/")) == 5


def test_a_failing_write_is_reported_change_by_change_and_a_rerun_converges(
    ws: Workspace, grafana_fake: GrafanaFake
) -> None:
    """The second post answers 500: that change is NOT APPLIED, the others are ok, exit 1; then apply converges."""
    ws.write(_config(grafana_fake))
    template = (ws.specs / "checkout.yaml").read_text(encoding="utf-8")
    (ws.specs / "basket.yaml").write_text(template.replace("name: checkout,", "name: basket,"), encoding="utf-8")
    grafana_fake.fail_nth_write(4)  # 1: lock, 2: folder, 3: basket, 4: checkout
    failed = ws.run("apply", "--auto-approve")
    assert failed.code == 1, failed.output
    assert "grafana-test: dashboard.monaco-basket: create ok" in failed.output, failed.output
    assert "grafana-test: dashboard.monaco-checkout: create NOT APPLIED (" in failed.output, failed.output
    assert "HTTP 500" in failed.output
    ws.converge()
    assert sorted(_state(grafana_fake)["dashboards"]) == ["monaco-basket", "monaco-checkout"]


def _lock_config(fake: GrafanaFake, ttl: float = 300) -> GrafanaDashboardsConfig:
    return GrafanaDashboardsConfig.model_validate(
        {"url": fake.url, "token": {"env": "MONACO_TEST_GRAFANA_TOKEN"}, "lock_ttl_seconds": ttl}
    )


def test_the_apply_lock_is_exclusive_named_and_released(grafana_fake: GrafanaFake, tmp_path: Path) -> None:
    """A second holder waits, then LockBusy names the first; after release the lock dashboard is gone."""
    config = _lock_config(grafana_fake)
    notices: list[str] = []
    with dashboard_lock(config, tmp_path, "a", 1, notices.append) as holder:
        assert "monaco-apply-lock" in _state(grafana_fake)["dashboards"]
        with pytest.raises(LockBusy) as busy, dashboard_lock(config, tmp_path, "b", 0.6, notices.append):
            pass
        assert holder.describe().split(" for ")[0] in str(busy.value)
        assert any("waiting for the Grafana apply lock" in n for n in notices)
    assert "monaco-apply-lock" not in _state(grafana_fake)["dashboards"]


def test_a_stale_lock_is_taken_over_with_a_notice(grafana_fake: GrafanaFake, tmp_path: Path) -> None:
    """A lock left by a process that has ended (same host) is deleted and claimed again."""
    config = _lock_config(grafana_fake)
    stale = {"user": "ci", "host": "elsewhere", "pid": 1, "since": 0.0, "operation": "apply", "target": "a"}
    lock = {
        "uid": "monaco-apply-lock",
        "title": "monaco apply lock monaco-apply-lock",
        "description": json.dumps(stale),
    }
    grafana_fake.add_dashboard({**lock, "tags": ["monaco-lock"], "panels": []})
    notices: list[str] = []
    done = threading.Event()
    with dashboard_lock(config, tmp_path, "b", 2, notices.append):
        done.set()
    assert done.is_set() and any("took over a stale Grafana apply lock" in n for n in notices), notices


def test_a_cancelled_apply_starts_nothing_and_says_so(ws: Workspace, grafana_fake: GrafanaFake) -> None:
    """With `cancel` set before the first change, every change is reported as cancelled and Grafana is untouched."""
    from monaco import engine
    from monaco.backends import get_backend
    from monaco.plan.diff import diff

    ws.write(_config(grafana_fake))
    session = engine.load([ws.specs], [ws.targets])
    assert session.model is not None
    target = session.targets[0]
    backend = get_backend("grafana_dashboards")
    rendered = backend.render(session.model, target, lambda ref, span: None)
    plan, _ = diff(
        target.name, target.backend, rendered.resources, backend.read_live(target).resources, backend.requires_replace
    )
    before = grafana_fake.snapshot()
    cancel = threading.Event()
    cancel.set()
    report = backend.apply(target, plan.changes, lambda ref: "", cancel=cancel)
    assert not report.ok and [r.message for r in report.results] == ["not applied (cancelled)"] * len(plan.changes)
    assert grafana_fake.snapshot() == before


def test_two_targets_claiming_one_grafana_dashboard_is_mon132(ws: Workspace, grafana_fake: GrafanaFake) -> None:
    """Two targets writing the same uids on one Grafana are refused at validate."""
    ws.write(_config(grafana_fake))
    ws.write(_config(grafana_fake), name="grafana-copy", file="copy.yaml")
    ran = ws.run("validate")
    assert ran.code == 1 and "MON132" in ran.output, ran.output
