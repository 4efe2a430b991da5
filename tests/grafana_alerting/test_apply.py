"""Plan and apply through the CLI against the fake: convergence, the policy tree kept, secrets, ownership."""

from __future__ import annotations

import json

from tests.grafana_alerting.workspace import GrafanaWorkspace


def test_apply_converges_and_writes_everything(ws: GrafanaWorkspace) -> None:
    planned = ws.run("plan")
    assert planned.code == 0, planned.output
    ws.converge()
    assert ws.fake is not None
    state = ws.fake.state
    titles = sorted(r["title"] for r in state.rules.values())
    assert "HighErrorRate" in titles and "SLOErrorBudgetBurn availability page" in titles
    assert all(r["provenance"] == "api" and r["folderUID"] == "monaco" for r in state.rules.values())
    names = sorted(p["name"] for p in state.contact_points.values())
    assert names == [
        "grafana-default-email",
        "monaco-payments-hook",
        "monaco-payments-mail",
        "monaco-payments-pager",
        "monaco-payments-slack",
    ]
    print(json.dumps(state.policies, indent=1))
    assert state.policies["routes"][0]["object_matchers"] == [["monaco_owner", "=", "grafana-test"]]
