"""The fake Mimir ruler and Alertmanager API over plain HTTP: shapes, tenants, auth, rejections, limits, hooks."""

from __future__ import annotations

import base64
import urllib.error
import urllib.request

import pytest
import yaml

from tests.fakes.mimir import Limits, MimirFake, mimir_fake, mimir_server

__all__ = ["mimir_fake", "mimir_server"]

GROUP = "name: api\ninterval: 60s\nrules:\n  - alert: ApiDown\n    expr: up == 0\n    for: 300s\n    labels: {b: '2', a: '1'}\n"


def call(
    fake: MimirFake, method: str, path: str, body: str | None = None, tenant: str | None = "t1", auth: str = ""
) -> tuple[int, str]:
    """One request with urllib; the status and body text (error statuses included)."""
    headers = {"Content-Type": "application/yaml"}
    if tenant is not None:
        headers["X-Scope-OrgID"] = tenant
    if auth:
        headers["Authorization"] = auth
    data = body.encode() if body is not None else None
    request = urllib.request.Request(fake.url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_post_list_get_delete_round_trip(mimir_fake: MimirFake) -> None:
    """A posted group is 202, listed under its namespace, read back as Mimir stores it, deleted with 202."""
    assert call(mimir_fake, "GET", "/prometheus/config/v1/rules") == (200, "{}\n")
    status, text = call(mimir_fake, "POST", "/prometheus/config/v1/rules/team%2Fa", GROUP)
    assert status == 202 and '"status": "success"' in text
    status, text = call(mimir_fake, "GET", "/prometheus/config/v1/rules")
    listing = yaml.safe_load(text)
    assert status == 200 and list(listing) == ["team/a"]
    group = listing["team/a"][0]
    assert group == {
        "name": "api",
        "interval": "1m",
        "rules": [{"alert": "ApiDown", "expr": "up == 0", "for": "5m", "labels": {"a": "1", "b": "2"}}],
    }
    assert yaml.safe_load(call(mimir_fake, "GET", "/prometheus/config/v1/rules/team%2Fa/api")[1]) == group
    assert call(mimir_fake, "DELETE", "/prometheus/config/v1/rules/team%2Fa/api")[0] == 202
    assert call(mimir_fake, "GET", "/prometheus/config/v1/rules/team%2Fa/api") == (404, "group does not exist\n")
    assert call(mimir_fake, "DELETE", "/prometheus/config/v1/rules/team%2Fa")[0] == 404


def test_group_limit_is_not_kept(mimir_fake: MimirFake) -> None:
    """rulespb.ToProto does not keep a group's `limit` (nor `labels`, which this promtool refuses anyway)."""
    body = "name: g\nlimit: 5\nrules:\n  - record: a:b\n    expr: vector(1)\n"
    assert call(mimir_fake, "POST", "/prometheus/config/v1/rules/ns", body)[0] == 202
    assert yaml.safe_load(call(mimir_fake, "GET", "/prometheus/config/v1/rules/ns/g")[1]) == {
        "name": "g",
        "rules": [{"record": "a:b", "expr": "vector(1)"}],
    }


def test_tenants_are_isolated_and_required(mimir_fake: MimirFake) -> None:
    """Each X-Scope-OrgID sees its own groups; none at all is 401 `no org id`."""
    call(mimir_fake, "POST", "/prometheus/config/v1/rules/ns", GROUP, tenant="t1")
    assert call(mimir_fake, "GET", "/prometheus/config/v1/rules", tenant="t2") == (200, "{}\n")
    assert call(mimir_fake, "GET", "/prometheus/config/v1/rules", tenant=None) == (401, "no org id\n")
    assert list(mimir_fake.snapshot()) == ["rules/t1/ns/api"]


def test_basic_and_bearer_auth(mimir_fake: MimirFake) -> None:
    """Configured credentials are required; wrong or missing ones are 401."""
    mimir_fake.basic = ("user", "pw")
    good = "Basic " + base64.b64encode(b"user:pw").decode()
    assert call(mimir_fake, "GET", "/prometheus/config/v1/rules")[0] == 401
    assert call(mimir_fake, "GET", "/prometheus/config/v1/rules", auth=good)[0] == 200
    mimir_fake.basic, mimir_fake.bearer = None, "tok"
    assert call(mimir_fake, "GET", "/prometheus/config/v1/rules", auth="Bearer nope")[0] == 401
    assert call(mimir_fake, "GET", "/prometheus/config/v1/rules", auth="Bearer tok")[0] == 200


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("name: [unclosed", "unable to decoded rule group"),
        ("- a\n- b\n", "unable to decoded rule group"),
        ("rules: []\n", "invalid rules configuration: rule group name must not be empty"),
        ("name: g\nrules: []\n", "invalid rules configuration: rule group 'g' has no rules"),
        ("name: g\nrules:\n  - record: 'bad name'\n    expr: up\n", 'rule 0, "bad name": invalid recording rule name'),
        (
            "name: g\nrules:\n  - alert: A\n    record: b\n    expr: up\n",
            "only one of 'record' and 'alert' must be set",
        ),
        ("name: g\nrules:\n  - alert: A\n", "field 'expr' must be set in rule"),
        ("name: g\nrules:\n  - alert: A\n    expr: 'sum(up'\n", "could not parse expression"),
    ],
)
def test_invalid_groups_are_400(mimir_fake: MimirFake, body: str, error: str) -> None:
    """What the ruler refuses is 400 with its text, and nothing is stored."""
    status, text = call(mimir_fake, "POST", "/prometheus/config/v1/rules/ns", body)
    assert status == 400 and error in text
    assert mimir_fake.snapshot() == {}


def test_limits(mimir_fake: MimirFake) -> None:
    """Rules per group and groups per tenant, with Mimir's messages; the group count includes the posted one."""
    mimir_fake.limits = Limits(max_rules_per_rule_group=1, max_rule_groups_per_tenant=1)
    two = "name: g\nrules:\n  - record: a:b\n    expr: vector(1)\n  - record: a:c\n    expr: vector(2)\n"
    status, text = call(mimir_fake, "POST", "/prometheus/config/v1/rules/ns", two)
    assert (status, text) == (400, "per-user rules per rule group limit (limit: 1 actual: 2) exceeded\n")
    one = "name: g\nrules:\n  - record: a:b\n    expr: vector(1)\n"
    assert call(mimir_fake, "POST", "/prometheus/config/v1/rules/ns", one)[0] == 202
    status, text = call(mimir_fake, "POST", "/prometheus/config/v1/rules/ns", one.replace("g\n", "h\n", 1))
    assert (status, text) == (400, "per-user rule groups limit (limit: 1 actual: 2) exceeded\n")


def test_hooks_fail_nth_write_seed_and_call_log(mimir_fake: MimirFake) -> None:
    """The Nth write fails and changes nothing; a seeded group is served; every call is logged."""
    mimir_fake.fail_nth_write(2, status=503)
    assert call(mimir_fake, "POST", "/prometheus/config/v1/rules/ns", GROUP)[0] == 202
    assert call(mimir_fake, "DELETE", "/prometheus/config/v1/rules/ns/api") == (503, "injected failure\n")
    mimir_fake.seed_group("t1", "other", {"name": "hand", "rules": [{"record": "x:y", "expr": "vector(1)"}]})
    listing = yaml.safe_load(call(mimir_fake, "GET", "/prometheus/config/v1/rules")[1])
    assert sorted(listing) == ["ns", "other"]
    assert [(c.method, c.status) for c in mimir_fake.calls_of()] == [("POST", 202), ("DELETE", 503), ("GET", 200)]
    assert [g["name"] for g in mimir_fake.received] == ["api"]


def test_alertmanager_config(mimir_fake: MimirFake) -> None:
    """GET is 404 until a config is set; POST validates and is 201; DELETE removes it."""
    assert call(mimir_fake, "GET", "/api/v1/alerts")[0] == 404
    config = "route:\n  receiver: ops\nreceivers:\n  - name: ops\n"
    body = yaml.safe_dump({"template_files": {}, "alertmanager_config": config})
    assert call(mimir_fake, "POST", "/api/v1/alerts", body)[0] == 201
    status, text = call(mimir_fake, "GET", "/api/v1/alerts")
    assert status == 200 and yaml.safe_load(text)["alertmanager_config"] == config
    bad = yaml.safe_dump({"alertmanager_config": "route:\n  receiver: nobody\n"})
    status, text = call(mimir_fake, "POST", "/api/v1/alerts", bad)
    assert status == 400 and 'undefined receiver "nobody"' in text
    assert call(mimir_fake, "DELETE", "/api/v1/alerts")[0] == 200
    assert call(mimir_fake, "GET", "/api/v1/alerts")[0] == 404


INTERVAL_CONFIGS = [
    (  # a nested route naming an interval nobody defines
        "route:\n  receiver: ops\n  routes:\n    - {receiver: ops, mute_time_intervals: [nights]}\nreceivers: [{name: ops}]\n",
        'error validating Alertmanager config: undefined time interval "nights" used in route',
    ),
    (  # active_time_intervals are checked the same way, mute_time_intervals defines names too
        "route: {receiver: ops, active_time_intervals: [days]}\nreceivers: [{name: ops}]\n"
        "mute_time_intervals: [{name: nights, time_intervals: [{weekdays: [sunday]}]}]\n",
        'error validating Alertmanager config: undefined time interval "days" used in route',
    ),
    (  # one name across both keys
        "route: {receiver: ops}\nreceivers: [{name: ops}]\n"
        "mute_time_intervals: [{name: x, time_intervals: [{weekdays: [sunday]}]}]\n"
        "time_intervals: [{name: x, time_intervals: [{weekdays: [monday]}]}]\n",
        'error validating Alertmanager config: time interval "x" is not unique',
    ),
    (  # a period Alertmanager cannot parse (amtool's reason)
        "route: {receiver: ops, mute_time_intervals: [x]}\nreceivers: [{name: ops}]\n"
        "time_intervals: [{name: x, time_intervals: [{times: [{start_time: '25:00', end_time: '26:00'}]}]}]\n",
        "error validating Alertmanager config: couldn't parse timestamp 25:00, invalid format",
    ),
    (  # a location that is no time zone
        "route: {receiver: ops, mute_time_intervals: [x]}\nreceivers: [{name: ops}]\n"
        "time_intervals: [{name: x, time_intervals: [{location: Mars/Olympus}]}]\n",
        "error validating Alertmanager config: unknown time zone Mars/Olympus",
    ),
]


@pytest.mark.parametrize(("config", "error"), INTERVAL_CONFIGS)
def test_alertmanager_config_intervals_are_validated(mimir_fake: MimirFake, config: str, error: str) -> None:
    """A route's interval must be defined, once; each period must load in Alertmanager; nothing is stored else."""
    status, text = call(mimir_fake, "POST", "/api/v1/alerts", yaml.safe_dump({"alertmanager_config": config}))
    assert (status, text.strip()) == (400, error)
    assert call(mimir_fake, "GET", "/api/v1/alerts")[0] == 404


def test_alertmanager_config_with_defined_intervals_is_stored(mimir_fake: MimirFake) -> None:
    """Both keys define names routes may use, at any depth."""
    config = (
        "route:\n  receiver: ops\n  routes:\n    - {receiver: ops, mute_time_intervals: [nights], "
        "active_time_intervals: [days]}\nreceivers: [{name: ops}]\n"
        "mute_time_intervals: [{name: nights, time_intervals: [{times: [{start_time: '22:00', end_time: '24:00'}]}]}]\n"
        "time_intervals: [{name: days, time_intervals: [{weekdays: ['monday:friday'], location: Europe/Berlin}]}]\n"
    )
    assert call(mimir_fake, "POST", "/api/v1/alerts", yaml.safe_dump({"alertmanager_config": config}))[0] == 201
