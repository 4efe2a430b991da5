"""Reading live state: five list calls however many rules, ownership by label, uid and name, the read failing
cleanly."""

from __future__ import annotations

from monaco.backends.grafana_alerting.backend import GrafanaAlertingBackend
from monaco.engine import load
from tests.fakes.grafana_provisioning.out_of_band import add_contact_point, add_mute_timing, add_rule, simple_rule
from tests.grafana_alerting.workspace import GrafanaWorkspace


def _read(ws: GrafanaWorkspace) -> tuple[GrafanaAlertingBackend, object]:
    session = load([ws.specs], [ws.targets])
    (target,) = session.targets
    backend = GrafanaAlertingBackend()
    return backend, backend.read_live(target)


def test_live_read_is_five_list_calls_and_marks_ownership(ws: GrafanaWorkspace) -> None:
    assert ws.fake is not None
    ws.converge()
    add_rule(ws.fake, simple_rule("monaco", "checkout", "Hand made", uid="hand1"))
    add_rule(ws.fake, simple_rule("elsewhere", "g", "Other team", uid="other1"))
    add_rule(ws.fake, simple_rule("monaco", "x", "Other target", uid="t2", labels={"monaco_owner": "prod"}))
    add_contact_point(ws.fake, {"name": "monaco-hand", "type": "email", "settings": {"addresses": "a@b.c"}})
    add_mute_timing(ws.fake, {"name": "monaco-hand", "time_intervals": []})
    add_mute_timing(ws.fake, {"name": "monaco-prod.nights", "time_intervals": []}, "api")
    add_mute_timing(ws.fake, {"name": "monaco-grafana-test.nights", "time_intervals": [{"months": ["may"]}]})
    backend, state = _read(ws)
    from monaco.backends.base import LiveState

    assert isinstance(state, LiveState) and not state.diagnostics
    assert state.calls == 5 and sum(backend.last_calls.values()) == 5
    holders = {r.key: r.holder for r in state.resources if not r.owned}
    assert holders == {
        "rule.checkout/hand1": "not monaco",
        "rule.x/t2": "target prod",
        "rule_group.monaco/x": "not monaco (a group with no rule of this target)",
        "contact_point.monaco-hand": holders["contact_point.monaco-hand"],
    }
    assert holders["contact_point.monaco-hand"].startswith("not this target's")
    assert "rule.g/other1" not in {r.key for r in state.resources}
    assert sum(1 for r in state.resources if r.owned and r.kind == "rule") == 6
    timings = [r for r in state.resources if r.kind == "mute_timing"]
    assert [(r.name, r.owned, r.body) for r in timings] == [
        (
            "monaco-grafana-test.nights",
            True,
            {"name": "monaco-grafana-test.nights", "time_intervals": [{"months": ["5"]}]},
        )
    ], "only the target's namespace is read, normalized (no version, no provenance)"


def test_unreachable_grafana_is_mon634(ws: GrafanaWorkspace) -> None:
    ws.write(url="http://127.0.0.1:9")
    done = ws.run("plan")
    assert done.code != 0 and "MON634" in done.output


def test_wrong_token_is_mon634(ws: GrafanaWorkspace, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("GRAFANA_TEST_TOKEN", "wrong")
    done = ws.run("plan")
    assert done.code != 0 and "MON634" in done.output and "401" in done.output
