"""The fake ARM server through the real azure-mgmt clients: CRUD, paging, casing, validation, faults, golden requests."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ResourceNotFoundError
from azure.core.pipeline.policies import SansIOHTTPPolicy
from azure.mgmt.monitor import MonitorManagementClient
from azure.mgmt.monitor import models as monitor
from azure.mgmt.prometheusrulegroups import models as rules

from tests.fakes.azure_arm import ArmClients, AzureArmFake, azure_arm_server, azure_clients, azure_fake
from tests.fakes.azure_arm import samples as s
from tests.fakes.azure_arm.clients import FAKE_TOKEN, client_options
from tests.fakes.azure_arm.golden import REQUESTS_DIR, capture_operations, golden_path, golden_text

__all__ = ["azure_arm_server", "azure_clients", "azure_fake"]  # the fixtures the tests below use

RG = s.RESOURCE_GROUP


def _action_group_id(clients: ArmClients, name: str = "pay-page") -> str:
    """Create an action group and return its id (every alert below refers to one)."""
    return str(clients.monitor.action_groups.create_or_update(RG, name, s.action_group()).id)


def _statuses(fake: AzureArmFake, method: str) -> list[int]:
    """The statuses the fake answered to `method` requests, in order."""
    return [entry.status for entry in fake.requests if entry.method == method]


def _assert_gone(read: Callable[[], object]) -> None:
    """`read` raises the SDK's ResourceNotFoundError from ARM's 404 body."""
    with pytest.raises(ResourceNotFoundError) as missing:
        read()
    assert missing.value.status_code == 404
    assert missing.value.error is not None and missing.value.error.code == "ResourceNotFound"


def test_metric_alert_lifecycle(azure_fake: AzureArmFake, azure_clients: ArmClients) -> None:
    """Create (200: the only status this SDK operation accepts), get, list, patch, delete, delete again (204)."""
    alerts, sub = azure_clients.monitor.metric_alerts, azure_fake.subscription
    created = alerts.create_or_update(RG, "checkout-5xx", s.metric_alert(sub, _action_group_id(azure_clients)))
    assert _statuses(azure_fake, "PUT")[-1] == 200
    assert (
        created.id == f"/subscriptions/{sub}/resourceGroups/{RG}/providers/microsoft.insights/metricalerts/checkout-5xx"
    )
    read = alerts.get(RG, "checkout-5xx")
    assert (read.window_size, read.evaluation_frequency, read.type) == (
        timedelta(minutes=5),
        timedelta(minutes=1),
        "Microsoft.Insights/metricAlerts",
    )
    assert isinstance(read.criteria, monitor.MetricAlertSingleResourceMultipleMetricCriteria)
    assert read.last_updated_time is not None
    assert [alert.name for alert in alerts.list_by_resource_group(RG)] == ["checkout-5xx"]
    patched = alerts.update(RG, "checkout-5xx", monitor.MetricAlertResourcePatch(severity=3, tags={"a": "b"}))
    assert (patched.severity, patched.tags, patched.window_size) == (3, {"a": "b"}, timedelta(minutes=5))
    alerts.delete(RG, "checkout-5xx")
    _assert_gone(lambda: alerts.get(RG, "checkout-5xx"))
    alerts.delete(RG, "checkout-5xx")
    assert _statuses(azure_fake, "DELETE") == [200, 204]


def test_log_alert_lifecycle(azure_fake: AzureArmFake, azure_clients: ArmClients) -> None:
    """Create answers 201, replace 200; reads carry systemData and the lower-case type ARM returns."""
    rules_api, sub = azure_clients.monitor.scheduled_query_rules, azure_fake.subscription
    body = s.log_alert(sub, _action_group_id(azure_clients))
    rules_api.create_or_update(RG, "log-5xx", body)
    body.severity = 2
    replaced = rules_api.create_or_update(RG, "log-5xx", body)
    assert _statuses(azure_fake, "PUT")[-2:] == [201, 200]
    assert (replaced.severity, replaced.kind, replaced.type) == (
        2,
        "LogAlert",
        "microsoft.insights/scheduledqueryrules",
    )
    assert replaced.system_data is not None and replaced.system_data.created_at != replaced.system_data.last_modified_at
    patched = rules_api.update(RG, "log-5xx", monitor.ScheduledQueryRuleResourcePatch(enabled=False))
    assert (patched.enabled, patched.window_size) == (False, timedelta(minutes=15))
    assert [rule.name for rule in rules_api.list_by_resource_group(RG)] == ["log-5xx"]
    rules_api.delete(RG, "log-5xx")
    _assert_gone(lambda: rules_api.get(RG, "log-5xx"))


def test_action_group_lifecycle(azure_fake: AzureArmFake, azure_clients: ArmClients) -> None:
    """Reads fill every receiver list and the email status; PATCH changes tags and `enabled` only."""
    groups = azure_clients.monitor.action_groups
    groups.create_or_update(RG, "pay-page", s.action_group())
    read = groups.get(RG, "pay-page")
    assert read.sms_receivers == [] and read.email_receivers is not None and read.email_receivers[0].status == "Enabled"
    patched = groups.update(RG, "pay-page", monitor.ActionGroupPatchBody(tags={"t": "1"}, enabled=False))
    assert (patched.enabled, patched.tags, patched.group_short_name) == (False, {"t": "1"}, "pay-page")
    assert [group.name for group in groups.list_by_resource_group(RG)] == ["pay-page"]
    groups.delete(RG, "pay-page")
    _assert_gone(lambda: groups.get(RG, "pay-page"))
    assert _statuses(azure_fake, "PUT") == [201]


def test_rule_group_lifecycle(azure_fake: AzureArmFake, azure_clients: ArmClients) -> None:
    """The SDK sends `PT01M00S`; ARM stores and echoes `PT1M`; PATCH toggles `enabled`."""
    groups, sub = azure_clients.rule_groups.prometheus_rule_groups, azure_fake.subscription
    groups.create_or_update(RG, "checkout-slo", s.rule_group(sub, _action_group_id(azure_clients)))
    sent = azure_fake.requests[-1].body["properties"]
    assert (sent["interval"], sent["rules"][1]["for"]) == ("PT01M00S", "PT02M00S")
    stored = json.loads(next(iter(v for k, v in azure_fake.snapshot().items() if k.endswith("checkout-slo"))))
    assert (stored["properties"]["interval"], stored["properties"]["rules"][1]["for"]) == ("PT1M", "PT2M")
    read = groups.get(RG, "checkout-slo")
    assert read.properties.interval == timedelta(minutes=1) and read.properties.rules[0].record is not None
    patch = rules.PrometheusRuleGroupResourcePatchParameters(
        tags={"t": "1"}, properties=rules.PrometheusRuleGroupResourcePatchParametersProperties(enabled=False)
    )
    patched = groups.update(RG, "checkout-slo", patch)
    assert (patched.properties.enabled, patched.tags, len(patched.properties.rules)) == (False, {"t": "1"}, 2)
    groups.delete(RG, "checkout-slo")
    _assert_gone(lambda: groups.get(RG, "checkout-slo"))


def test_pageable_lists_follow_next_link(azure_fake: AzureArmFake, azure_clients: ArmClients) -> None:
    """Log alerts and rule groups come two to a page; both SDKs follow nextLink to the end."""
    sub, group_id = azure_fake.subscription, _action_group_id(azure_clients)
    names = [f"rule-{index}" for index in range(5)]
    for name in names:
        azure_clients.monitor.scheduled_query_rules.create_or_update(RG, name, s.log_alert(sub, group_id))
        azure_clients.rule_groups.prometheus_rule_groups.create_or_update(RG, name, s.rule_group(sub, group_id))
    assert [rule.name for rule in azure_clients.monitor.scheduled_query_rules.list_by_resource_group(RG)] == names
    assert [
        group.name for group in azure_clients.rule_groups.prometheus_rule_groups.list_by_resource_group(RG)
    ] == names
    lists = [entry for entry in azure_fake.requests if entry.collection]
    assert [entry.query.get("$skiptoken") for entry in lists] == [None, ["2"], ["4"]] * 2
    assert all(entry.query["api-version"] for entry in lists)


def test_unpaged_lists_come_in_one_page(azure_fake: AzureArmFake, azure_clients: ArmClients) -> None:
    """Metric alerts and action groups list in one call (their SDK operations ignore nextLink)."""
    group_id = _action_group_id(azure_clients)
    for index in range(5):
        body = s.metric_alert(azure_fake.subscription, group_id)
        azure_clients.monitor.metric_alerts.create_or_update(RG, f"alert-{index}", body)
    assert len(list(azure_clients.monitor.metric_alerts.list_by_resource_group(RG))) == 5
    assert len(list(azure_clients.monitor.action_groups.list_by_resource_group(RG))) == 1
    assert sum(entry.collection for entry in azure_fake.requests) == 2


def test_ids_are_case_insensitive_and_keep_their_first_casing(
    azure_fake: AzureArmFake, azure_clients: ArmClients
) -> None:
    """A differently-cased path finds and replaces the same resource; the stored id keeps the creating casing."""
    groups = azure_clients.monitor.action_groups
    created = groups.create_or_update("rg-Monaco", "Pay-Page", s.action_group())
    assert groups.get("RG-MONACO", "pay-page").id == created.id and "rg-Monaco" in str(created.id)
    replaced = groups.create_or_update("RG-MONACO", "PAY-PAGE", s.action_group(short_name="other"))
    assert (_statuses(azure_fake, "PUT"), replaced.id, replaced.name) == ([201, 200], created.id, "Pay-Page")
    body = s.metric_alert(azure_fake.subscription, str(created.id).upper())  # references resolve in any casing
    azure_clients.monitor.metric_alerts.create_or_update("rg-monaco", "cpu", body)
    groups.delete("rg-monaco", "pay-page")
    assert list(groups.list_by_resource_group("rg-Monaco")) == []


def _metric_alert(fake: AzureArmFake, clients: ArmClients, **overrides: Any) -> None:
    """Write metric alert `a`, the sample with `overrides`."""
    clients.monitor.metric_alerts.create_or_update(
        RG, "a", s.metric_alert(fake.subscription, _action_group_id(clients), **overrides)
    )


def _log_alert(fake: AzureArmFake, clients: ArmClients, **overrides: Any) -> None:
    """Write log alert `a`, the sample with `overrides`."""
    clients.monitor.scheduled_query_rules.create_or_update(
        RG, "a", s.log_alert(fake.subscription, _action_group_id(clients), **overrides)
    )


def _rule_group(fake: AzureArmFake, clients: ArmClients, **overrides: Any) -> None:
    """Write rule group `a`, the sample with `overrides`."""
    body = s.rule_group(fake.subscription, _action_group_id(clients), **overrides)
    clients.rule_groups.prometheus_rule_groups.create_or_update(RG, "a", body)


MINUTES = timedelta(minutes=1)
MISSING_GROUP = "/subscriptions/x/resourceGroups/rg/providers/microsoft.insights/actionGroups/none"
WORKSPACES = ["/w/1", "/w/2"]
INVALID: dict[str, tuple[Callable[[AzureArmFake, ArmClients], object], str, str]] = {
    "metric severity 5": (lambda f, c: _metric_alert(f, c, severity=5), "BadRequest", "severity"),
    "metric window PT2M": (lambda f, c: _metric_alert(f, c, window_size=2 * MINUTES), "BadRequest", "windowSize"),
    "metric window P2D": (lambda f, c: _metric_alert(f, c, window_size=timedelta(days=2)), "BadRequest", "windowSize"),
    "metric frequency PT10M": (
        lambda f, c: _metric_alert(f, c, evaluation_frequency=10 * MINUTES, window_size=15 * MINUTES),
        "BadRequest",
        "evaluationFrequency",
    ),
    "metric window below frequency": (
        lambda f, c: _metric_alert(f, c, evaluation_frequency=15 * MINUTES, window_size=5 * MINUTES),
        "BadRequest",
        "windowSize",
    ),
    "metric unknown action group": (
        lambda f, c: _metric_alert(f, c, actions=[monitor.MetricAlertAction(action_group_id=MISSING_GROUP)]),
        "ActionGroupNotFound",
        "none",
    ),
    "short name of 13": (
        lambda f, c: c.monitor.action_groups.create_or_update(RG, "a", s.action_group("thirteen-char")),
        "BadRequest",
        "groupShortName",
    ),
    "log alert two scopes": (lambda f, c: _log_alert(f, c, scopes=WORKSPACES), "BadRequest", "scope"),
    "log alert severity 7": (lambda f, c: _log_alert(f, c, severity=7), "BadRequest", "severity"),
    "log alert unknown action group": (
        lambda f, c: _log_alert(f, c, actions=monitor.Actions(action_groups=[MISSING_GROUP])),
        "ActionGroupNotFound",
        "none",
    ),
    "rule group two scopes": (lambda f, c: _rule_group(f, c, scopes=WORKSPACES), "BadRequest", "scope"),
    "rule group interval PT30M": (lambda f, c: _rule_group(f, c, interval=30 * MINUTES), "BadRequest", "interval"),
    "rule group zero interval (sent as P)": (
        lambda f, c: _rule_group(f, c, interval=timedelta(0)),
        "InvalidRequestContent",
        "interval",
    ),
    "rule with record and alert": (
        lambda f, c: _rule_group(f, c, rules=[rules.PrometheusRule(record="r", alert="a", expression="up")]),
        "BadRequest",
        "record",
    ),
    "rule with neither": (
        lambda f, c: _rule_group(f, c, rules=[rules.PrometheusRule(expression="up")]),
        "BadRequest",
        "record",
    ),
    "rule severity 5": (
        lambda f, c: _rule_group(f, c, rules=[s.alerting_rule(MISSING_GROUP, severity=5, actions=[])]),
        "BadRequest",
        "severity",
    ),
    "rule unknown action group": (
        lambda f, c: _rule_group(f, c, rules=[s.alerting_rule(MISSING_GROUP)]),
        "ActionGroupNotFound",
        "none",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_writes_are_refused_with_400(azure_fake: AzureArmFake, azure_clients: ArmClients, case: str) -> None:
    """Each validation surfaces as HttpResponseError 400 with ARM's error code, and nothing is stored."""
    write, code, field = INVALID[case]
    with pytest.raises(HttpResponseError) as refused:
        write(azure_fake, azure_clients)
    assert refused.value.status_code == 400
    assert refused.value.error is not None and refused.value.error.code == code
    assert field in str(refused.value.error.message)
    assert [key for key in azure_fake.snapshot() if not key.endswith("/pay-page")] == []


def test_boundary_values_are_accepted(azure_fake: AzureArmFake, azure_clients: ArmClients) -> None:
    """The edges of each rule pass: window = frequency, a P1D window, a 12-character short name, PT15M interval."""
    _metric_alert(azure_fake, azure_clients, evaluation_frequency=5 * MINUTES, window_size=5 * MINUTES)
    _metric_alert(azure_fake, azure_clients, evaluation_frequency=60 * MINUTES, window_size=timedelta(days=1))
    azure_clients.monitor.action_groups.create_or_update(RG, "twelve", s.action_group("twelve-chars"))
    _rule_group(azure_fake, azure_clients, interval=15 * MINUTES)
    assert len(azure_fake.snapshot()) == 4


def test_throttled_request_is_retried_after_retry_after(azure_fake: AzureArmFake, azure_clients: ArmClients) -> None:
    """A 429 with `Retry-After: 1` makes the SDK wait a second (its own backoff is 10 ms) and send it again."""
    azure_fake.throttle(times=1, retry_after=1, method="PUT")
    started = time.monotonic()
    azure_clients.monitor.action_groups.create_or_update(RG, "pay-page", s.action_group())
    assert 1.0 <= time.monotonic() - started < 3.0
    puts = [entry for entry in azure_fake.requests if entry.method == "PUT"]
    assert [entry.status for entry in puts] == [429, 201] and azure_fake.faults.throttled == 1
    assert puts[0].headers["x-ms-client-request-id"] == puts[1].headers["x-ms-client-request-id"]


def test_nth_write_fails_through_the_sdk_retries(azure_fake: AzureArmFake, azure_clients: ArmClients) -> None:
    """The 2nd write from now answers 503 to every retry; it is not applied; the writes around it are."""
    group_id = _action_group_id(azure_clients)
    azure_fake.fail_nth_write(2, status=503)
    alerts, body = azure_clients.monitor.metric_alerts, s.metric_alert(azure_fake.subscription, group_id)
    alerts.create_or_update(RG, "first", body)
    with pytest.raises(HttpResponseError) as failed:
        alerts.create_or_update(RG, "second", body)
    assert failed.value.status_code == 503
    assert failed.value.error is not None and failed.value.error.code == "ServiceUnavailable"
    alerts.create_or_update(RG, "third", body)
    attempts = [entry.status for entry in azure_fake.requests if entry.path.endswith("/second")]
    assert attempts == [503] * 4  # FAST_RETRIES: retry_total 3
    assert [alert.name for alert in alerts.list_by_resource_group(RG)] == ["first", "third"]


def test_transient_failure_is_retried_at_once(azure_fake: AzureArmFake, azure_clients: ArmClients) -> None:
    """With `attempts=1` the first try answers 500 and azure-core's immediate retry succeeds."""
    azure_fake.fail_nth_write(1, status=500, attempts=1)
    azure_clients.monitor.action_groups.create_or_update(RG, "pay-page", s.action_group())
    assert _statuses(azure_fake, "PUT") == [500, 201]


def test_snapshot_is_stable_and_changes_only_on_write(azure_fake: AzureArmFake, azure_clients: ArmClients) -> None:
    """Reads leave the bytes alone; a rewrite of the same body changes them (lastModifiedAt); reset empties."""
    group_id = _action_group_id(azure_clients)
    azure_clients.rule_groups.prometheus_rule_groups.create_or_update(
        RG, "g", s.rule_group(azure_fake.subscription, group_id)
    )
    before = azure_fake.snapshot()
    list(azure_clients.rule_groups.prometheus_rule_groups.list_by_resource_group(RG))
    azure_clients.monitor.action_groups.get(RG, "pay-page")
    assert azure_fake.snapshot() == before and list(before) == sorted(before)
    assert all(json.dumps(json.loads(v), sort_keys=True, indent=1).encode() == v for v in before.values())
    azure_clients.rule_groups.prometheus_rule_groups.create_or_update(
        RG, "g", s.rule_group(azure_fake.subscription, group_id)
    )
    after = azure_fake.snapshot()
    assert list(after) == list(before) and after != before
    azure_fake.reset()
    assert (azure_fake.snapshot(), azure_fake.requests) == ({}, [])


def test_unowned_alert_is_created_out_of_band(azure_fake: AzureArmFake, azure_clients: ArmClients) -> None:
    """`create_unowned_metric_alert` stores a valid alert without monaco tags and without a request."""
    document = azure_fake.create_unowned_metric_alert(RG, "checkout-5xx")
    assert azure_fake.requests == [] and str(document["id"]) in azure_fake.snapshot()
    read = azure_clients.monitor.metric_alerts.get(RG, "checkout-5xx")
    assert read.tags == {"owner": "someone-else"} and read.window_size == timedelta(minutes=15)


def test_wire_details(azure_fake: AzureArmFake, azure_clients: ArmClients) -> None:
    """Bearer token from the credential's ARM scope, api-version checked, 401 without a token."""
    azure_clients.monitor.action_groups.create_or_update(RG, "pay-page", s.action_group())
    assert azure_fake.requests[-1].headers["Authorization"] == f"Bearer {FAKE_TOKEN}"
    assert ("https://management.azure.com/.default",) in azure_clients.credential.scopes
    with pytest.raises(HttpResponseError) as refused:
        azure_clients.monitor.action_groups.get(RG, "pay-page", api_version="2099-01-01")
    assert refused.value.error is not None and refused.value.error.code == "NoRegisteredProviderFound"
    options = client_options(azure_fake, authentication_policy=SansIOHTTPPolicy())
    anonymous = MonitorManagementClient(azure_clients.credential, azure_fake.subscription, **options)
    with anonymous, pytest.raises(ClientAuthenticationError) as unauthenticated:
        anonymous.action_groups.get(RG, "pay-page")
    assert unauthenticated.value.status_code == 401


def test_responses_are_not_held_back_by_nagle(azure_fake: AzureArmFake, azure_clients: ArmClients) -> None:
    """TCP_NODELAY: a keep-alive GET takes ~2 ms (~45 ms without it: Nagle plus delayed ACK, feasibility §5)."""
    _action_group_id(azure_clients)
    timings = []
    for _ in range(9):
        started = time.perf_counter()
        azure_clients.monitor.action_groups.get(RG, "pay-page")
        timings.append(time.perf_counter() - started)
    assert sorted(timings)[4] < 0.02


def test_sdk_requests_match_golden_files(
    azure_fake: AzureArmFake, azure_clients: ArmClients, update_golden: bool
) -> None:
    """What the SDKs send for each operation is what `requests/` records (`--update-golden` rewrites it)."""
    captured = capture_operations(azure_fake, azure_clients)
    if update_golden:
        REQUESTS_DIR.mkdir(exist_ok=True)
        for stale in REQUESTS_DIR.glob("*.json"):
            stale.unlink()
        for operation, request in captured.items():
            golden_path(operation).write_text(golden_text(request))
    assert sorted(path.stem for path in REQUESTS_DIR.glob("*.json")) == sorted(captured)
    for operation, request in captured.items():
        assert json.loads(golden_path(operation).read_text()) == request, operation
