"""A receiver naming a PagerDuty service on the other backends: SNS, Azure action groups, GCP channels, Grafana.

Each renderer plans the key read from PagerDuty as a fingerprint beside the reference `pagerduty:<service>`, and
its apply-time substitution puts the key itself where the routing key goes. End to end on GCP: the fake Cloud
Monitoring gets a PagerDuty channel whose `service_key` is the key the fake PagerDuty issued.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monaco.backends.aws_cloudwatch.config import CloudWatchConfig
from monaco.backends.aws_cloudwatch.topic_render import resolve_endpoint, topic_resource
from monaco.backends.azure_monitor.action_groups import action_group_resource, resolve_uri
from monaco.backends.grafana_alerting.config import GrafanaAlertingConfig
from monaco.backends.grafana_alerting.contact_render import contact_point
from monaco.diagnostics import Span
from monaco.ir.nodes import Receiver
from monaco.spec.models import ReceiverSpec
from monaco.spec.secrets import fingerprint
from tests.azure_monitor import builders as azure
from tests.cli_run import run_cli
from tests.fakes.gcp_monitoring import GcpFake, gcp_fake
from tests.fakes.pagerduty import PagerDutyFake
from tests.gcp_monitoring.workspace import PARENT, SECRETS, SPECS, TARGET
from tests.pagerduty.conftest import TOKEN_ENV

__all__ = ["gcp_fake"]
KEY = "0123456789abcdef0123456789abcdef"
"""The integration key PagerDuty holds for service `checkout` in the unit tests."""
REF = "pagerduty:checkout"


def _receiver() -> Receiver:
    spec = ReceiverSpec.model_validate({"name": "payments-pager", "pagerduty": {"service": "checkout"}})
    return Receiver(spec, "team/payments", Span("team.yaml", 3, 5))


def _fingerprints(ref: str, span: Span | None) -> str | None:
    """What the engine answers: the key's fingerprint for `pagerduty:checkout`, nothing else."""
    return fingerprint(KEY) if ref == REF else None


def test_sns_subscribes_pagerdutys_cloudwatch_endpoint_with_the_read_key() -> None:
    """The topic plans `secret:<fingerprint>` in PagerDuty's CloudWatch URL; apply puts the key there."""
    config = CloudWatchConfig(region="eu-west-1", account_id="123456789012")
    topic, problems = topic_resource(_receiver(), config, _fingerprints, "aws")
    assert problems == []
    [sub] = topic.body["Subscriptions"]
    assert sub["Endpoint"] == f"https://events.pagerduty.com/integration/secret:{fingerprint(KEY)}/enqueue"
    assert topic.secrets == {"/Subscriptions/0/Endpoint": REF}
    assert resolve_endpoint(sub["Endpoint"], KEY) == f"https://events.pagerduty.com/integration/{KEY}/enqueue"


def test_an_azure_action_group_posts_to_pagerdutys_azure_endpoint_with_the_read_key() -> None:
    """A webhook receiver on PagerDuty's Azure integration URL; the key only as a fingerprint until apply."""
    group, problems = action_group_resource(azure.config(), [_receiver()], _fingerprints, "azure-prod")
    assert problems == []
    [hook] = group.body["properties"]["webhookReceivers"]
    assert KEY not in json.dumps(group.body) and fingerprint(KEY) in hook["serviceUri"]
    assert group.secrets == {"/properties/webhookReceivers/0/serviceUri": REF}
    assert resolve_uri(hook["serviceUri"], KEY) == f"https://events.pagerduty.com/integration/{KEY}/enqueue"


def test_a_grafana_contact_point_carries_the_read_key_by_reference() -> None:
    """Grafana's PagerDuty integration key: a fingerprint in the plan, `pagerduty:checkout` to resolve on apply."""
    config = GrafanaAlertingConfig.model_validate(
        {"url": "https://grafana.example.com", "token": {"env": "T"}, "datasource_uid": "prom"}
    )
    point, problems = contact_point(config, "grafana", _receiver(), _fingerprints)
    assert problems == []
    assert KEY not in json.dumps(point.body) and fingerprint(KEY) in json.dumps(point.body)
    assert set(point.secrets.values()) == {REF}


ONCALL = """\
oncall:
  escalation_policy:
    levels:
      - escalation_delay_in_minutes: 10
        targets: [{user: alice@example.com}]
"""


@pytest.fixture
def gcp_with_pd(
    tmp_path: Path, gcp_fake: GcpFake, pagerduty_fake: PagerDutyFake, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The GCP tests' specs with the pager receiver naming `checkout`, the team on call; GCP and PD targets."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv(TOKEN_ENV, pagerduty_fake.token)
    pagerduty_fake.add_user("Alice Smith", "alice@example.com")
    root = tmp_path / "ws"
    (root / "targets").mkdir(parents=True)
    specs = root / "specs"
    specs.mkdir()
    for source in SPECS.glob("*.yaml"):
        (specs / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    team = specs / "payments-team.yaml"
    text = team.read_text(encoding="utf-8").replace("{routing_key: {env: GCP_TEST_PD_KEY}}", "{service: checkout}")
    team.write_text(text + ONCALL, encoding="utf-8")
    gcp = {"project": PARENT.removeprefix("projects/"), "backoff_seconds": 0, "endpoint": gcp_fake.server.endpoint}
    pd = {"token": {"env": TOKEN_ENV}, "base_url": pagerduty_fake.url, "ca_file": pagerduty_fake.ca_file}
    for name, backend, config in ((TARGET, "gcp_monitoring", gcp | {"plaintext": True}), ("pd", "pagerduty", pd)):
        document = {"apiVersion": "monaco/v1", "kind": "Target", "metadata": {"name": name}, "backend": backend}
        (root / "targets" / f"{name}.yaml").write_text(json.dumps(document | {"config": config}), encoding="utf-8")
    return root


def test_gcp_gets_a_pagerduty_channel_with_the_key_the_same_apply_created(
    gcp_with_pd: Path, gcp_fake: GcpFake, pagerduty_fake: PagerDutyFake, capsys: pytest.CaptureFixture[str]
) -> None:
    """One apply: the PagerDuty service first, then the channel with its new key; the next plan is empty."""

    def run(*args: str, keys: tuple[str, ...] = ()) -> int:
        done = run_cli(capsys, gcp_with_pd / "specs", gcp_with_pd / "targets", args, (*SECRETS.values(), *keys))
        assert "Traceback" not in done.output
        return done.code

    assert run("plan", "--detailed-exitcode") == 2
    assert run("apply", "--auto-approve") == 0
    integrations = [json.loads(v) for k, v in pagerduty_fake.snapshot().items() if k.startswith("integrations/")]
    [key] = [str(i["integration_key"]) for i in integrations]
    channels = gcp_fake.clients.channels.list_notification_channels(name=PARENT, retry=None)
    [pager] = [c for c in channels if c.type_ == "pagerduty"]
    assert gcp_fake.server.stored_channel(pager.name).labels["service_key"] == key
    assert run("plan", "--detailed-exitcode", keys=(key,)) == 0
    assert run("plan", "--format", "json", keys=(key,)) == 0
