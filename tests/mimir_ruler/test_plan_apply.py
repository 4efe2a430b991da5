"""Plan and apply through the real CLI against the fake Mimir ruler: convergence, ownership, failures, limits, auth."""

from __future__ import annotations

import pytest
import yaml

from tests.conformance.workspace import Workspace
from tests.fakes.mimir import Limits, MimirFake
from tests.mimir_ruler.conftest import TENANT, ruler_config

LISTING = "/prometheus/config/v1/rules"


def test_plan_apply_plan_is_empty_and_plan_lists_once(ws: Workspace, mimir_fake: MimirFake) -> None:
    """Every group goes to its service's namespace beside its marker; a plan is one GET; then nothing to do."""
    ws.write("mimir_ruler", ruler_config(mimir_fake))
    assert ws.run("plan", "--detailed-exitcode").code == 2
    assert [(c.method, c.path) for c in mimir_fake.calls_of()] == [("GET", LISTING)]
    ws.converge()
    assert sorted(mimir_fake.snapshot()) == [
        f"rules/{TENANT}/monaco-basket/basket",
        f"rules/{TENANT}/monaco-basket/basket.slo.availability",
        f"rules/{TENANT}/monaco-basket/monaco_owner",
        f"rules/{TENANT}/monaco-checkout/checkout",
        f"rules/{TENANT}/monaco-checkout/checkout.slo.availability",
        f"rules/{TENANT}/monaco-checkout/monaco_owner",
    ]
    marker = yaml.safe_load(mimir_fake.snapshot()[f"rules/{TENANT}/monaco-checkout/monaco_owner"])
    assert marker["rules"][0]["labels"] == {"managed_by": "monaco", "monaco_target": "conformance"}
    before = len(mimir_fake.calls_of())
    assert ws.run("plan", "--detailed-exitcode").code == 0
    assert len(mimir_fake.calls_of()) == before + 1


def test_per_target_namespace(ws: Workspace, mimir_fake: MimirFake) -> None:
    """`namespace: per_target` puts every service's groups in one namespace with one marker."""
    ws.write("mimir_ruler", ruler_config(mimir_fake, namespace="per_target", namespace_name="shop"))
    ws.converge()
    names = sorted(mimir_fake.snapshot())
    assert {n.split("/")[2] for n in names} == {"monaco-shop"}
    assert len(names) == 5


def test_unowned_namespace_is_refused_left_alone_and_reported(ws: Workspace, mimir_fake: MimirFake) -> None:
    """A hand-made group in checkout's namespace (no marker): MON410 for checkout, basket still applies, MON672."""
    ws.write("mimir_ruler", ruler_config(mimir_fake))
    mimir_fake.seed_group(
        TENANT, "monaco-checkout", {"name": "hand", "rules": [{"record": "a:b", "expr": "vector(1)"}]}
    )
    mimir_fake.seed_group(TENANT, "team-b", {"name": "theirs", "rules": [{"record": "c:d", "expr": "vector(1)"}]})
    before = {k: v for k, v in mimir_fake.snapshot().items() if "basket" not in k}
    planned = ws.run("plan")
    assert planned.code == 1 and "MON410" in planned.stderr and "monaco-checkout" in planned.stderr
    assert "MON672" in planned.stderr and "not monaco" in planned.stderr
    ws.run("apply", "--auto-approve")
    assert {k: v for k, v in mimir_fake.snapshot().items() if "basket" not in k} == before


def test_another_targets_namespace_is_not_touched(ws: Workspace, mimir_fake: MimirFake) -> None:
    """A namespace whose marker names another target is neither deleted nor rewritten."""
    ws.write("mimir_ruler", ruler_config(mimir_fake))
    other = {
        "name": "monaco_owner",
        "rules": [
            {
                "record": "monaco:owner:info",
                "expr": "vector(1)",
                "labels": {"managed_by": "monaco", "monaco_target": "x"},
            }
        ],
    }
    mimir_fake.seed_group(TENANT, "monaco-legacy", other)
    mimir_fake.seed_group(TENANT, "monaco-legacy", {"name": "old", "rules": [{"record": "e:f", "expr": "vector(1)"}]})
    planned = ws.run("plan")
    assert "MON672" in planned.stderr and "monaco-legacy" in planned.stderr and "monaco target x" in planned.stderr
    ws.converge()
    assert f"rules/{TENANT}/monaco-legacy/old" in mimir_fake.snapshot()


def test_a_failed_write_stops_nothing_else_and_a_rerun_converges(ws: Workspace, mimir_fake: MimirFake) -> None:
    """The third write is refused: it alone is NOT APPLIED, every other change is applied (mimirtool stops)."""
    ws.write("mimir_ruler", ruler_config(mimir_fake))
    mimir_fake.fail_nth_write(3, status=400)
    failed = ws.run("apply", "--auto-approve")
    assert failed.code == 1
    lines = failed.change_lines()
    assert len(lines) == 6 and sum("NOT APPLIED (failed: the ruler refused it: HTTP 400" in line for line in lines) == 1
    assert sum(line.endswith(" ok") for line in lines) == 5
    mimir_fake.faults.reset()
    ws.converge()


def test_groups_wait_for_their_namespace_marker(ws: Workspace, mimir_fake: MimirFake) -> None:
    """When a namespace's marker cannot be written, its groups are not posted (they would be read as not monaco's)."""
    ws.write("mimir_ruler", ruler_config(mimir_fake))
    mimir_fake.fail_nth_write(1, status=400)
    failed = ws.run("apply", "--auto-approve")
    lines = failed.change_lines()
    blocked = [line for line in lines if "owner marker of namespace monaco-basket could not be written" in line]
    assert len(blocked) == 2 and all("rule_group.monaco-basket/" in line for line in blocked)
    assert not [k for k in mimir_fake.snapshot() if "/monaco-basket/" in k]
    assert len([k for k in mimir_fake.snapshot() if "/monaco-checkout/" in k]) == 3


def test_ruler_limits_are_reported_per_group(ws: Workspace, mimir_fake: MimirFake) -> None:
    """Mimir's rules-per-group limit refuses the SLO groups with its text; the small groups still go in."""
    ws.write("mimir_ruler", ruler_config(mimir_fake))
    mimir_fake.limits = Limits(max_rules_per_rule_group=3)
    failed = ws.run("apply", "--auto-approve")
    refused = [line for line in failed.change_lines() if "per-user rules per rule group limit (limit: 3" in line]
    assert len(refused) == 2 and all(".slo.availability" in line for line in refused)
    assert f"rules/{TENANT}/monaco-checkout/checkout" in mimir_fake.snapshot()


@pytest.mark.parametrize("auth", ["basic", "bearer"])
def test_credentials_by_reference(
    ws: Workspace, mimir_fake: MimirFake, monkeypatch: pytest.MonkeyPatch, auth: str
) -> None:
    """Basic or bearer credentials come from a secret reference; a wrong one is a plan error naming the 401."""
    monkeypatch.setenv("MIMIR_SECRET", "s3cret-value")
    if auth == "basic":
        mimir_fake.basic = ("12345", "s3cret-value")
        extra = {"auth": "basic", "username": "12345", "password": {"env": "MIMIR_SECRET"}}
    else:
        mimir_fake.bearer = "s3cret-value"
        extra = {"auth": "bearer", "token": {"env": "MIMIR_SECRET"}}
    ws.write("mimir_ruler", ruler_config(mimir_fake, **extra))
    ws.converge()
    monkeypatch.setenv("MIMIR_SECRET", "wrong-value")
    planned = ws.run("plan")
    assert planned.code == 1 and "MON421" in planned.stderr and "HTTP 401" in planned.stderr
    assert "wrong-value" not in planned.output and "s3cret-value" not in planned.output


def test_a_wrong_url_is_an_error_not_an_empty_tenant(ws: Workspace, mimir_fake: MimirFake) -> None:
    """A 404 from a wrong path is an error (mimirtool read it as 'no rules' and planned to create everything)."""
    ws.write("mimir_ruler", ruler_config(mimir_fake, api_prefix="/wrong"))
    planned = ws.run("plan")
    assert planned.code == 1 and "MON421" in planned.stderr and "api_prefix" in planned.stderr


def test_a_group_limit_is_reported_and_not_sent(ws: Workspace, mimir_fake: MimirFake) -> None:
    """The ruler keeps no `limit`: MON670 says so, the group goes without it, interval kept, the next plan empty."""
    ws.write("mimir_ruler", ruler_config(mimir_fake))
    spec = ws.specs / "checkout.yaml"
    text = spec.read_text(encoding="utf-8").replace("alerts:\n", "rule_group: {interval: 30s, limit: 10}\nalerts:\n", 1)
    spec.write_text(text, encoding="utf-8")
    planned = ws.run("plan")
    assert "MON670" in planned.stderr and "rule group checkout" in planned.stderr
    ws.converge()
    stored = yaml.safe_load(mimir_fake.snapshot()[f"rules/{TENANT}/monaco-checkout/checkout"])
    assert stored["interval"] == "30s" and "limit" not in stored


def test_cortex_answers_an_empty_tenant_with_404(ws: Workspace, mimir_fake: MimirFake) -> None:
    """Cortex's `404 no rule groups found` for an empty tenant is read as empty (only that 404)."""
    mimir_fake.cortex_empty_404 = True
    ws.write("mimir_ruler", ruler_config(mimir_fake))
    assert ws.run("plan", "--detailed-exitcode").code == 2
    ws.converge()


def test_a_server_error_is_retried(ws: Workspace, mimir_fake: MimirFake) -> None:
    """A 503 on a write is retried with backoff, and the apply succeeds."""
    ws.write("mimir_ruler", ruler_config(mimir_fake))
    mimir_fake.fail_nth_write(1, status=503)
    ws.converge()
    posts = mimir_fake.calls_of("POST")
    assert [c.status for c in posts[:2]] == [503, 202] and posts[0].path == posts[1].path
