"""`monaco drill` on a pagerduty target: an Events API v2 event with a drill dedup key, then resolved, on the fake.

The fake (tests/fakes/pagerduty, HTTPS on 127.0.0.1 with a certificate made by the test) records every event by
dedup key; the drill's delivery is what it recorded, not what monaco says.
"""

from __future__ import annotations

import json

from tests.fakes.pagerduty import pagerduty_fake, pagerduty_server
from tests.pagerduty.conftest import PdWorkspace, pd_ws, registered

__all__ = ["pagerduty_fake", "pagerduty_server", "pd_ws", "registered"]

ALLOW = "apiVersion: monaco/v1\nkind: Settings\ndrill: {allow_paging: true}\n"


def test_a_pagerduty_drill_is_refused_unless_paging_is_allowed(pd_ws: PdWorkspace) -> None:
    """Every PagerDuty event pages its on-call: MON452 by default, and the fake records no event."""
    assert pd_ws.run("apply", "--auto-approve")[0] == 0
    code, _, err = pd_ws.run("drill", "--target", "pd", "--service", "checkout", "--yes")
    assert code == 1 and "MON452" in err
    assert pd_ws.fake.events.alerts == {}


def test_an_allowed_drill_triggers_then_resolves_one_event(pd_ws: PdWorkspace) -> None:
    """Exit 0; the fake holds one alert under the drill's dedup key, triggered then resolved, on checkout's service."""
    assert pd_ws.run("apply", "--auto-approve")[0] == 0
    (pd_ws.root / "specs" / "settings.yaml").write_text(ALLOW, encoding="utf-8")
    code, out, err = pd_ws.run("drill", "--target", "pd", "--service", "checkout", "--yes", "--format", "json")
    assert code == 0, out + err
    report = json.loads(out)
    [row] = report["receivers"]
    assert row["receiver"] == "monaco-checkout" and row["delivered"]
    [(dedup, alert)] = pd_ws.fake.events.alerts.items()
    assert dedup == f"monaco-drill-{report['drill_id']}"
    assert alert.statuses == ["triggered", "resolved"]
    assert alert.summary.startswith("monaco drill of checkout")
    assert report["cleaned_up"] == [f"resolved PagerDuty event {dedup}"]


def test_a_drill_before_apply_finds_no_integration(pd_ws: PdWorkspace) -> None:
    """Nothing applied yet: the service has no monaco integration, so it is not delivered (exit 1)."""
    (pd_ws.root / "specs" / "settings.yaml").write_text(ALLOW, encoding="utf-8")
    code, out, _ = pd_ws.run("drill", "--target", "pd", "--service", "checkout", "--yes", "--format", "json")
    assert code == 1
    [row] = json.loads(out)["receivers"]
    assert not row["delivered"] and "apply the target first" in row["detail"]
    assert pd_ws.fake.events.alerts == {}
