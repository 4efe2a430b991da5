"""Plan and apply through the real azure-mgmt clients against the fake ARM server: order, ownership, convergence."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

from monaco.ir.nodes import Service
from tests.azure_monitor import builders as b
from tests.azure_monitor.conftest import Azure
from tests.fakes.azure_arm import METRIC_ALERTS


def _actions(plan: object) -> dict[str, str]:
    return {c.key: c.action.value for c in plan.changes}  # type: ignore[attr-defined]


def _service() -> Service:
    alerts = (
        b.alert("Http5xx"),
        b.alert("LogErrors", source=b.log_source()),
        b.alert("HighCPU", source=b.prom_source(), severity="critical"),
    )
    return b.service(alerts=alerts, slos=(b.kql_slo(), b.prom_slo()))


def _writes(azure: Azure) -> list[tuple[str, str]]:
    """(method, kind) of every write the fake received, in order."""
    return [(r.method, r.kind or "") for r in azure.fake.requests if r.method in ("PUT", "PATCH", "DELETE")]


def test_create_then_plan_is_empty_and_groups_come_first(azure: Azure) -> None:
    """Everything is created, action groups before any rule; a plan right after apply is empty."""
    svc = _service()
    model, target = b.model(svc), b.target(azure.config(), svc)
    plan = azure.converge(model, target)
    assert set(_actions(plan).values()) == {"create"} and len(plan.changes) == 8
    kinds = [kind for method, kind in _writes(azure) if method == "PUT"]
    assert kinds[:2] == ["action_groups", "action_groups"] and "action_groups" not in kinds[2:]
    # The real PagerDuty key reached Azure; the plan held only its fingerprint.
    live = b"".join(azure.fake.snapshot().values())
    assert b.SECRETS["env:PD_PAYMENTS_KEY"].encode() in live
    assert b.SECRETS["env:PD_PAYMENTS_KEY"] not in json.dumps([c.to_json() for c in plan.changes])


def test_update_changes_only_what_differs(azure: Azure) -> None:
    """A new threshold is one update and one PUT."""
    svc = _service()
    azure.converge(b.model(svc), b.target(azure.config(), svc))
    changed = dataclasses.replace(svc, alerts=(b.alert("Http5xx", threshold=20.0), *svc.alerts[1:]))
    plan, _ = azure.plan(b.model(changed), b.target(azure.config(), changed))
    assert _actions(plan) == {"metric_alert.monaco-checkout-Http5xx": "update"}
    before = len(_writes(azure))
    azure.converge(b.model(changed), b.target(azure.config(), changed))
    assert _writes(azure)[before:] == [("PUT", "metric_alerts")]


def test_removed_rules_are_deleted_before_their_action_groups(azure: Azure) -> None:
    """Dropping the service deletes every owned resource: rules first, action groups last."""
    svc = _service()
    azure.converge(b.model(svc), b.target(azure.config(), svc))
    before = len(_writes(azure))
    empty = b.service(alerts=())
    plan, _ = azure.plan(b.model(empty), b.target(azure.config(), empty))
    assert set(_actions(plan).values()) == {"delete"} and len(plan.changes) == 8
    assert azure.apply(plan, b.target(azure.config(), empty)).ok
    deletes = [kind for _, kind in _writes(azure)[before:]]
    assert deletes[-2:] == ["action_groups", "action_groups"] and "action_groups" not in deletes[:-2]
    assert azure.fake.snapshot() == {}


def test_unowned_resource_of_a_desired_name_is_refused_and_left_alone(azure: Azure) -> None:
    """A hand-made metric alert where monaco's would go is refused (MON410) and never written."""
    svc = b.service(alerts=(b.alert("Http5xx"),))
    azure.fake.create_unowned_metric_alert(b.GROUP, "monaco-checkout-Http5xx")
    before = azure.fake.snapshot()
    plan, diagnostics = azure.plan(b.model(svc), b.target(azure.config(), svc))
    assert "MON410" in [d.code for d in diagnostics]
    assert "metric_alert.monaco-checkout-Http5xx" not in _actions(plan)
    azure.apply(plan, b.target(azure.config(), svc))
    after = azure.fake.snapshot()
    assert {k: v for k, v in after.items() if "metricalerts" in k} == {
        k: v for k, v in before.items() if "metricalerts" in k
    }


def test_another_targets_resources_are_not_touched(azure: Azure) -> None:
    """Resources tagged for another target are neither updated nor deleted."""
    svc = b.service(alerts=(b.alert("Http5xx"),))
    azure.converge(b.model(svc), b.target(azure.config(), svc, name="azure-other"))
    plan, _ = azure.plan(b.model(b.service()), b.target(azure.config(), b.service()))
    assert plan.changes == []


def test_create_over_a_resource_made_since_the_plan_is_refused(azure: Azure) -> None:
    """Apply re-checks: a resource created out of band after the plan is not overwritten."""
    svc = b.service(alerts=(b.alert("Http5xx"),))
    target = b.target(azure.config(), svc)
    plan, _ = azure.plan(b.model(svc), target)
    azure.fake.create_unowned_metric_alert(b.GROUP, "monaco-checkout-Http5xx")
    report = azure.apply(plan, target)
    refused = [r for r in report.results if r.key == "metric_alert.monaco-checkout-Http5xx"]
    assert not refused[0].ok and "refused" in refused[0].message
    assert azure.fake.list_calls(METRIC_ALERTS) >= 2


def test_live_ids_and_durations_in_other_forms_plan_nothing(azure: Azure) -> None:
    """A rule group rewritten by the SDK (`PT01M00S`) with upper-cased ids is the same resource."""
    from azure.mgmt.prometheusrulegroups import models

    svc = b.service(alerts=(b.alert("HighCPU", source=b.prom_source(), severity="critical", for_seconds=600),))
    target = b.target(azure.config(), svc)
    azure.converge(b.model(svc), target)
    clients = azure.make_clients(target.config, target)  # type: ignore[arg-type]
    group = clients.rule_groups.prometheus_rule_groups.get(b.GROUP, "monaco-checkout")
    data = group.as_dict()
    data["properties"]["scopes"] = [s.upper() for s in data["properties"]["scopes"]]
    for rule in data["properties"]["rules"]:
        rule["actions"] = [{"actionGroupId": a["actionGroupId"].upper()} for a in rule.get("actions", [])]
    resource = models.PrometheusRuleGroupResource(data)
    resource.properties.interval = timedelta(minutes=1)
    resource.properties.rules[0].for_property = timedelta(minutes=10)
    clients.rule_groups.prometheus_rule_groups.create_or_update(b.GROUP, "monaco-checkout", resource)
    sent = [r for r in azure.fake.requests if r.method == "PUT"][-1].body
    assert (sent["properties"]["interval"], sent["properties"]["rules"][0]["for"]) == ("PT01M00S", "PT10M00S")
    plan, _ = azure.plan(b.model(svc), target)
    assert plan.changes == []


def test_every_page_is_read_and_counted(azure: Azure) -> None:
    """Log alerts are paged (2 a page here): all are read, one call per page."""
    alerts = tuple(b.alert(f"Log{i}", source=b.log_source()) for i in range(5))
    svc = b.service(alerts=alerts)
    target = b.target(azure.config(), svc)
    azure.converge(b.model(svc), target)
    backend = azure.backend()
    live = backend.read_live(target)
    assert len([r for r in live.resources if r.kind == "log_alert"]) == 5
    assert backend.last_calls["scheduled_query_rules.list"] == 3
    assert live.calls == sum(backend.last_calls.values())
