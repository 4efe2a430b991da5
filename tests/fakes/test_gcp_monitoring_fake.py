"""The fake Cloud Monitoring server, exercised only through the real google-cloud-monitoring clients over gRPC."""

from __future__ import annotations

import re
import socket
from datetime import timedelta

import grpc
import pytest
from google.api_core import exceptions, retry
from google.cloud import monitoring_v3 as m
from google.type import calendar_period_pb2

from tests.fakes import gcp_monitoring
from tests.fakes.gcp_monitoring import GcpFake, GcpMonitoringFake, make_clients
from tests.fakes.gcp_monitoring.builders import (
    PARENT,
    PROJECT,
    Call,
    TickingClock,
    channel_call,
    condition,
    create_service,
    create_slo,
    email_channel,
    policy,
    policy_call,
    policy_with_labels,
    slack_channel,
    slo,
    slo_call,
)

gcp_fake = gcp_monitoring.gcp_fake
ID = r"\d{19}"
AND = m.AlertPolicy.ConditionCombinerType.AND


def test_alert_policy_create_get_list_delete(gcp_fake: GcpFake) -> None:
    """Ids, condition names, records and `enabled` are the server's; the pager follows page tokens."""
    created = [
        gcp_fake.clients.alert_policies.create_alert_policy(name=PARENT, alert_policy=policy(f"p{i}")) for i in range(3)
    ]
    first = created[0]
    assert re.fullmatch(rf"projects/{PROJECT}/alertPolicies/{ID}", first.name)
    assert re.fullmatch(rf"{first.name}/conditions/{ID}", first.conditions[0].name)
    assert first.enabled is True and first.creation_record.mutated_by and first.mutation_record == first.creation_record
    assert gcp_fake.clients.alert_policies.get_alert_policy(name=first.name) == first
    listed = gcp_fake.clients.alert_policies.list_alert_policies(request={"name": PARENT, "page_size": 1})
    assert [p.name for p in listed] == sorted(p.name for p in created)
    assert gcp_fake.server.call_count("ListAlertPolicies") == 3
    gcp_fake.clients.alert_policies.delete_alert_policy(name=first.name)
    with pytest.raises(exceptions.NotFound):
        gcp_fake.clients.alert_policies.get_alert_policy(name=first.name, retry=None)
    with pytest.raises(exceptions.NotFound):
        gcp_fake.clients.alert_policies.delete_alert_policy(name=first.name, retry=None)


def test_alert_policy_update_with_and_without_mask() -> None:
    """A mask changes only its fields; an empty mask replaces the policy, keeping the conditions sent with names."""
    with GcpMonitoringFake(clock=TickingClock()) as server:
        clients = make_clients(server.endpoint)
        created = clients.alert_policies.create_alert_policy(name=PARENT, alert_policy=policy(conditions=2))
        patch = m.AlertPolicy(name=created.name, display_name="renamed", user_labels={"team": "payments"})
        masked = clients.alert_policies.update_alert_policy(
            alert_policy=patch, update_mask={"paths": ["display_name", "user_label.team", "documentation.content"]}
        )
        assert (masked.display_name, dict(masked.user_labels), masked.documentation.content) == (
            "renamed",
            {"team": "payments"},
            "",
        )
        assert masked.conditions == created.conditions and masked.documentation.mime_type == "text/markdown"
        assert masked.creation_record == created.creation_record and masked.mutation_record != created.mutation_record
        kept = created.conditions[1]
        kept.condition_threshold.threshold_value = 6.0
        replacement = m.AlertPolicy(
            name=created.name, display_name="whole", conditions=[kept, condition("new")], combiner=AND
        )
        replaced = clients.alert_policies.update_alert_policy(alert_policy=replacement)
        assert replaced.conditions[0].name == kept.name
        assert replaced.conditions[1].name not in {c.name for c in created.conditions}
        assert replaced.conditions[0].condition_threshold.threshold_value == 6.0
        assert not replaced.user_labels and not replaced.documentation.content and replaced.enabled is True
        assert replaced.name == created.name and replaced.creation_record == created.creation_record
        clients.close()


def test_notification_channel_create_get_list_update_delete(gcp_fake: GcpFake) -> None:
    """Channels are server-named, enabled by default, paged, updated by mask or whole, and deleted."""
    channels = gcp_fake.clients.channels
    created = [
        channels.create_notification_channel(name=PARENT, notification_channel=email_channel(f"a{i}@example.com"))
        for i in range(3)
    ]
    assert re.fullmatch(rf"projects/{PROJECT}/notificationChannels/{ID}", created[0].name)
    assert created[0].enabled is True and len(created[0].mutation_records) == 1
    assert channels.get_notification_channel(name=created[0].name) == created[0]
    listed = channels.list_notification_channels(request={"name": PARENT, "page_size": 1})
    assert [c.name for c in listed] == sorted(c.name for c in created)
    patch = m.NotificationChannel(name=created[0].name, display_name="pager", description="ignored")
    masked = channels.update_notification_channel(notification_channel=patch, update_mask={"paths": ["display_name"]})
    assert (masked.display_name, masked.description, masked.labels["email_address"]) == ("pager", "", "a0@example.com")
    whole = email_channel("b@example.com")
    whole.name = created[0].name
    replaced = channels.update_notification_channel(notification_channel=whole)
    assert replaced.display_name == "b@example.com" and len(replaced.mutation_records) == 3
    channels.delete_notification_channel(name=created[0].name)
    with pytest.raises(exceptions.NotFound):
        channels.get_notification_channel(name=created[0].name, retry=None)


def test_channel_descriptors_and_unserved_methods(gcp_fake: GcpFake) -> None:
    """Descriptors list the known types (paged) and name their labels; methods not served are UNIMPLEMENTED."""
    channels = gcp_fake.clients.channels
    listed = channels.list_notification_channel_descriptors(request={"name": PARENT, "page_size": 2})
    assert {"email", "slack", "pagerduty", "webhook_tokenauth"} <= {d.type_ for d in listed}
    slack = channels.get_notification_channel_descriptor(name=f"{PARENT}/notificationChannelDescriptors/slack")
    assert {"auth_token", "channel_name"} <= {label.key for label in slack.labels}
    with pytest.raises(exceptions.NotFound):
        channels.get_notification_channel_descriptor(name=f"{PARENT}/notificationChannelDescriptors/fax", retry=None)
    with pytest.raises(exceptions.MethodNotImplemented):
        channels.verify_notification_channel(name=f"{PARENT}/notificationChannels/1", code="G-1", retry=None)


def test_secret_labels_are_obfuscated_on_every_read(gcp_fake: GcpFake) -> None:
    """The API shows all but the last four characters of a token as '*', keeps it whole, and refuses the mask back."""
    channels = gcp_fake.clients.channels
    token = "xoxb-0000-1111-secret-token-9684"
    created = channels.create_notification_channel(name=PARENT, notification_channel=slack_channel(token))
    fetched = channels.get_notification_channel(name=created.name)
    listed = next(iter(channels.list_notification_channels(name=PARENT)))
    for shown in (created, fetched, listed):
        assert shown.labels["auth_token"] == "*" * (len(token) - 4) + "9684"
        assert shown.labels["channel_name"] == "#payments-alerts"
    assert gcp_fake.server.stored_channel(created.name).labels["auth_token"] == token
    with pytest.raises(exceptions.InvalidArgument, match="obfuscated"):
        channels.update_notification_channel(notification_channel=fetched, retry=None)


def test_service_and_slo_create_get_list_update_delete(gcp_fake: GcpFake) -> None:
    """Client-chosen ids, paged lists, masked and whole updates, and a service delete that takes its SLOs along."""
    clients = gcp_fake.clients
    services = [create_service(clients, name) for name in ("cart", "checkout", "search")]
    assert services[1].name == f"{PARENT}/services/checkout" and services[1].custom == m.Service.Custom()
    assert [s.name for s in clients.services.list_services(request={"parent": PARENT, "page_size": 1})] == [
        s.name for s in services
    ]
    checkout = services[1].name
    slos = [create_slo(clients, checkout, slo_id, slo()) for slo_id in ("availability", "latency", "errors")]
    assert slos[0].name == f"{checkout}/serviceLevelObjectives/availability"
    assert clients.services.get_service_level_objective(name=slos[0].name) == slos[0]
    listed = clients.services.list_service_level_objectives(request={"parent": checkout, "page_size": 1})
    assert [s.name for s in listed] == sorted(s.name for s in slos)
    patch = m.ServiceLevelObjective(name=slos[0].name, goal=0.995, display_name="ignored")
    masked = clients.services.update_service_level_objective(
        request={"service_level_objective": patch, "update_mask": {"paths": ["goal"]}}
    )
    assert (masked.goal, masked.display_name, masked.rolling_period) == (0.995, "availability", timedelta(days=28))
    whole = slo(0.99, rolling=None, calendar=calendar_period_pb2.MONTH)
    whole.name = slos[0].name
    replaced = clients.services.update_service_level_objective(service_level_objective=whole)
    assert replaced.calendar_period == calendar_period_pb2.MONTH and "rolling_period" not in replaced
    renamed = clients.services.update_service(
        request={
            "service": m.Service(name=checkout, display_name="Checkout"),
            "update_mask": {"paths": ["display_name"]},
        }
    )
    assert renamed.display_name == "Checkout" and renamed.custom == m.Service.Custom()
    clients.services.delete_service_level_objective(name=slos[2].name)
    clients.services.delete_service(name=checkout)
    with pytest.raises(exceptions.NotFound):
        clients.services.get_service_level_objective(name=slos[0].name, retry=None)
    assert b"serviceLevelObjectives" not in gcp_fake.server.snapshot()


BAD_CHANNEL = m.NotificationChannel(type_="email", labels={"email_address": "x@example.com", "colour": "red"})
TOKENLESS_SLACK = m.NotificationChannel(type_="slack", labels={"channel_name": "#a"})
REJECTED = {
    "7 conditions": (policy_call(conditions=7), exceptions.InvalidArgument),
    "no condition": (policy_call(conditions=0), exceptions.InvalidArgument),
    "no display_name": (policy_call(display_name=""), exceptions.InvalidArgument),
    "no combiner for 2 conditions": (
        policy_call(conditions=2, combiner=m.AlertPolicy.ConditionCombinerType.COMBINE_UNSPECIFIED),
        exceptions.InvalidArgument,
    ),
    "unknown channel": (policy_call(channels=(f"{PARENT}/notificationChannels/404",)), exceptions.NotFound),
    "channel by display name": (policy_call(channels=("payments-pager",)), exceptions.InvalidArgument),
    "uppercase label key": (policy_with_labels({"Team": "a"}), exceptions.InvalidArgument),
    "label key starts with a digit": (policy_with_labels({"1team": "a"}), exceptions.InvalidArgument),
    "label value with a space": (policy_with_labels({"team": "a b"}), exceptions.InvalidArgument),
    "64-character label key": (policy_with_labels({"k" * 64: "a"}), exceptions.InvalidArgument),
    "64-character label value": (policy_with_labels({"team": "v" * 64}), exceptions.InvalidArgument),
    "65 labels": (policy_with_labels({f"k{i}": "v" for i in range(65)}), exceptions.InvalidArgument),
    "goal 1": (slo_call(slo(1.0)), exceptions.InvalidArgument),
    "goal 0": (slo_call(slo(0.0)), exceptions.InvalidArgument),
    "goal 0.99995": (slo_call(slo(0.99995)), exceptions.InvalidArgument),
    "rolling 31 days": (slo_call(slo(rolling=timedelta(days=31))), exceptions.InvalidArgument),
    "rolling 36 hours": (slo_call(slo(rolling=timedelta(hours=36))), exceptions.InvalidArgument),
    "calendar quarter": (slo_call(slo(calendar=calendar_period_pb2.QUARTER)), exceptions.InvalidArgument),
    "no period": (slo_call(slo(rolling=None)), exceptions.InvalidArgument),
    "duplicate SLO id": (slo_call(slo(), "availability"), exceptions.AlreadyExists),
    "duplicate service id": (lambda c: create_service(c, "checkout"), exceptions.AlreadyExists),
    "bad service id": (lambda c: create_service(c, "Checkout"), exceptions.InvalidArgument),
    "SLO of a missing service": (lambda c: create_slo(c, f"{PARENT}/services/none", "s", slo()), exceptions.NotFound),
    "channel label the type lacks": (channel_call(BAD_CHANNEL), exceptions.InvalidArgument),
    "slack channel without token": (channel_call(TOKENLESS_SLACK), exceptions.InvalidArgument),
}
ACCEPTED = {
    "6 conditions": policy_call(conditions=6),
    "64 labels, 63-character key and value": policy_with_labels(
        {"k" * 63: "v" * 63, **{f"k{i}": "" for i in range(63)}}
    ),
    "goal 0.9999": slo_call(slo(0.9999)),
    "rolling 30 days": slo_call(slo(rolling=timedelta(days=30))),
    "calendar fortnight": slo_call(slo(calendar=calendar_period_pb2.FORTNIGHT)),
}


@pytest.mark.parametrize("call, error", REJECTED.values(), ids=REJECTED.keys())
def test_rejections(gcp_fake: GcpFake, call: Call, error: type[Exception]) -> None:
    """What the API refuses comes back as the matching google.api_core exception, and changes nothing."""
    create_slo(gcp_fake.clients, create_service(gcp_fake.clients, "checkout").name, "availability", slo())
    before = gcp_fake.server.snapshot()
    with pytest.raises(error):
        call(gcp_fake.clients)
    assert gcp_fake.server.snapshot() == before


@pytest.mark.parametrize("call", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_limits_are_inclusive(gcp_fake: GcpFake, call: Call) -> None:
    """The documented limits themselves are accepted."""
    create_service(gcp_fake.clients, "checkout")
    call(gcp_fake.clients)


def test_update_rejections(gcp_fake: GcpFake) -> None:
    """Unknown condition names and mask paths are refused; a channel in use is deleted only with `force`."""
    clients = gcp_fake.clients
    channel = clients.channels.create_notification_channel(name=PARENT, notification_channel=email_channel())
    created = clients.alert_policies.create_alert_policy(name=PARENT, alert_policy=policy(channels=(channel.name,)))
    foreign = m.AlertPolicy(name=created.name, display_name="x", conditions=[condition()])
    foreign.conditions[0].name = f"{created.name}/conditions/42"
    with pytest.raises(exceptions.InvalidArgument):
        clients.alert_policies.update_alert_policy(alert_policy=foreign, retry=None)
    with pytest.raises(exceptions.InvalidArgument):
        clients.alert_policies.update_alert_policy(alert_policy=created, update_mask={"paths": ["colour"]}, retry=None)
    with pytest.raises(exceptions.FailedPrecondition, match="still being referenced by"):
        clients.channels.delete_notification_channel(name=channel.name, retry=None)
    clients.channels.delete_notification_channel(name=channel.name, force=True)
    assert list(clients.alert_policies.get_alert_policy(name=created.name).notification_channels) == []


def test_filters(gcp_fake: GcpFake) -> None:
    """user_labels.KEY = "V", type = "slack", and AND of them; anything else is INVALID_ARGUMENT, never ignored."""
    clients = gcp_fake.clients
    for team in ("a", "b"):
        clients.alert_policies.create_alert_policy(
            name=PARENT, alert_policy=policy(team, user_labels={"managed_by": "monaco", "team": team})
        )
        clients.channels.create_notification_channel(
            name=PARENT, notification_channel=slack_channel(user_labels={"team": team})
        )
        create_service(clients, f"svc-{team}", managed_by="monaco")
    gcp_fake.server.add_unowned_policy(PROJECT, "hand-made")
    clients.channels.create_notification_channel(
        name=PARENT, notification_channel=email_channel(user_labels={"team": "a"})
    )

    def names(filter_text: str) -> list[str]:
        return [
            p.display_name
            for p in clients.alert_policies.list_alert_policies(request={"name": PARENT, "filter": filter_text})
        ]

    def channel_types(filter_text: str) -> list[str]:
        return [
            c.type_
            for c in clients.channels.list_notification_channels(request={"name": PARENT, "filter": filter_text})
        ]

    assert sorted(names('user_labels.managed_by="monaco"')) == ["a", "b"]
    assert names('user_labels.managed_by = "monaco" AND user_labels.team = "b"') == ["b"]
    assert names('user_label.team="a"') == ["a"] and names("") == ["a", "b", "hand-made"]
    assert channel_types('type="slack"') == ["slack", "slack"]
    assert channel_types('type="slack" AND user_labels.team="a"') == ["slack"]
    assert [
        s.name
        for s in clients.services.list_services(request={"parent": PARENT, "filter": 'user_labels.managed_by="monaco"'})
    ] == [f"{PARENT}/services/svc-a", f"{PARENT}/services/svc-b"]
    for unsupported in (
        'user_labels.team="a" OR user_labels.team="b"',
        'NOT display_name="a"',
        "user_labels.team=a",
        'colour="red"',
        '(display_name="a")',
        'display_name:"a"',
        'display_name="a" AND',
    ):
        with pytest.raises(exceptions.InvalidArgument):
            names(unsupported)


def test_default_page_size_and_foreign_page_tokens() -> None:
    """page_size 0 uses the default size; a token is only good for the query that produced it."""
    with GcpMonitoringFake(default_page_size=2) as server:
        clients = make_clients(server.endpoint)
        for index in range(3):
            clients.alert_policies.create_alert_policy(name=PARENT, alert_policy=policy(f"p{index}"))
        pages = list(clients.alert_policies.list_alert_policies(name=PARENT).pages)
        assert [len(page.alert_policies) for page in pages] == [2, 1] and pages[0].total_size == 3
        request = {"name": PARENT, "filter": 'display_name="p0"', "page_token": pages[0].next_page_token}
        with pytest.raises(exceptions.InvalidArgument):
            list(clients.alert_policies.list_alert_policies(request=request, retry=None))
        clients.close()


def test_fail_nth_call_and_nth_write(gcp_fake: GcpFake) -> None:
    """Injected statuses reach the client as google.api_core exceptions; a short client retry gets past UNAVAILABLE."""
    clients, server = gcp_fake.clients, gcp_fake.server
    server.fail_nth_call("CreateAlertPolicy", 2, grpc.StatusCode.RESOURCE_EXHAUSTED)
    clients.alert_policies.create_alert_policy(name=PARENT, alert_policy=policy("first"))
    with pytest.raises(exceptions.ResourceExhausted):
        clients.alert_policies.create_alert_policy(name=PARENT, alert_policy=policy("second"), retry=None)
    created = clients.alert_policies.create_alert_policy(name=PARENT, alert_policy=policy("third"))
    server.fail_nth_call("GetAlertPolicy", 1, grpc.StatusCode.RESOURCE_EXHAUSTED)
    with pytest.raises(exceptions.ResourceExhausted):
        clients.alert_policies.get_alert_policy(name=created.name)  # the default retry does not retry it
    server.fail_nth_call("GetAlertPolicy", 1, grpc.StatusCode.UNAVAILABLE)
    quick = retry.Retry(
        initial=0.01, maximum=0.02, timeout=2, predicate=retry.if_exception_type(exceptions.ServiceUnavailable)
    )
    assert clients.alert_policies.get_alert_policy(name=created.name, retry=quick) == created
    assert server.call_count("GetAlertPolicy") == 3
    server.fail_nth_write(2, grpc.StatusCode.INTERNAL)
    clients.channels.create_notification_channel(name=PARENT, notification_channel=email_channel())
    with pytest.raises(exceptions.InternalServerError):
        clients.alert_policies.delete_alert_policy(name=created.name, retry=None)
    server.fail_nth_write(1, grpc.StatusCode.UNAVAILABLE, after_apply=True)
    with pytest.raises(exceptions.ServiceUnavailable):
        clients.alert_policies.create_alert_policy(name=PARENT, alert_policy=policy("lost reply"), retry=None)
    assert sorted(p.display_name for p in clients.alert_policies.list_alert_policies(name=PARENT)) == [
        "first",
        "lost reply",
        "third",
    ]
    assert server.pending_faults() == 0


def test_snapshot_is_stable_and_reset_empties_it() -> None:
    """Same writes give the same bytes; reads, refused writes and out-of-band views leave them alone; reset empties."""
    snapshots = []
    for _ in range(2):
        with GcpMonitoringFake(clock=TickingClock()) as server:
            clients = make_clients(server.endpoint)
            fresh = server.snapshot()
            created = clients.alert_policies.create_alert_policy(
                name=PARENT, alert_policy=policy(user_labels={"managed_by": "monaco"})
            )
            clients.channels.create_notification_channel(name=PARENT, notification_channel=slack_channel())
            create_slo(clients, create_service(clients, "checkout").name, "availability", slo())
            unowned = server.add_unowned_policy(PROJECT, "hand-made")
            before = server.snapshot()
            clients.alert_policies.get_alert_policy(name=created.name)
            list(clients.alert_policies.list_alert_policies(name=PARENT))
            with pytest.raises(exceptions.InvalidArgument):
                clients.alert_policies.create_alert_policy(name=PARENT, alert_policy=policy(conditions=7), retry=None)
            assert server.snapshot() == before and unowned.name.encode() in before
            assert [call.method for call in server.calls()][-3:] == [
                "GetAlertPolicy",
                "ListAlertPolicies",
                "CreateAlertPolicy",
            ]
            snapshots.append(before)
            server.reset()
            assert server.snapshot() == fresh and server.calls() == []
            clients.close()
    assert snapshots[0] == snapshots[1]


def test_server_stops(gcp_fake: GcpFake) -> None:
    """After stop the port is closed and clients get UNAVAILABLE; stopping twice is harmless."""
    port = gcp_fake.server.port
    gcp_fake.server.stop()
    gcp_fake.server.stop()
    with pytest.raises(exceptions.ServiceUnavailable):
        gcp_fake.clients.alert_policies.get_alert_policy(name=f"{PARENT}/alertPolicies/1", retry=None, timeout=2)
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
