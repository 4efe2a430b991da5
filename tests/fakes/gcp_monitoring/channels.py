"""google.monitoring.v3.NotificationChannelService: channels and channel descriptors over the store.

What the fake rejects, and where each rule comes from (installed google-cloud-monitoring 2.32 docstrings unless noted):
- a `name` sent on create (INVALID_ARGUMENT): the API's 400 "Field notification_channel.name.channel_id_part had an
  invalid value ...: Field must be empty." (pulumi/pulumi-google-native#206).
- `verification_status` sent on create or update (INVALID_ARGUMENT): notification.py "It is illegal to specify this
  field in a CreateNotificationChannel or an UpdateNotificationChannel operation".
- an unknown `type`, labels the type does not permit, missing required labels, an obfuscated secret written back
  (INVALID_ARGUMENT): channel_types.py. Changing the type of an existing channel (INVALID_ARGUMENT): the fake's rule.
- display_name over 512, description over 1024 characters; user labels (INVALID_ARGUMENT): notification.py, rules.py.
- deleting a channel an alert policy still names, without `force` (FAILED_PRECONDITION, HTTP 400 "Could not delete
  "projects/P/notificationChannels/C" because it is still being referenced by: "projects/P/alertPolicies/A"":
  hashicorp/terraform-provider-google#10337, GoogleCloudPlatform/k8s-config-connector#4757). With `force` the
  channel is removed from those policies (notification_service.py "the policies will be updated to remove the
  channel").
Server-side behaviour (Config Connector's recorded real traffic): the id is assigned by the server, `enabled` is true
when unset, `creation_record` and one entry of `mutation_records` are stamped on create, each update appends one.
Every response obfuscates secret labels (channel_types.py); the store keeps them in clear.
"""

from __future__ import annotations

from typing import Any

from google.cloud import monitoring_v3
from google.protobuf import empty_pb2

from tests.fakes.gcp_monitoring.channel_types import CHANNEL_TYPES, looks_obfuscated, obfuscate
from tests.fakes.gcp_monitoring.errors import failed_precondition, invalid, not_found
from tests.fakes.gcp_monitoring.listing import compile_filter, paginate, sort_items
from tests.fakes.gcp_monitoring.rules import (
    apply_update_mask,
    check_length,
    check_user_labels,
    project_of_parent,
    split_name,
)
from tests.fakes.gcp_monitoring.store import Store, copy_of, in_project

READ_ONLY_FIELDS = ("name", "creation_record", "mutation_records")
DEFAULT_PAGE_SIZE = 100
FILTER_SCALARS = {
    "name": lambda c: c.name,
    "type": lambda c: c.type_,
    "display_name": lambda c: c.display_name,
    "description": lambda c: c.description,
}
FILTER_MAPS = {
    "labels": lambda c: c.labels,
    "user_labels": lambda c: c.user_labels,
    "user_label": lambda c: c.user_labels,
}
SORT_KEYS = {"name": lambda c: c.name, "display_name": lambda c: c.display_name, "type": lambda c: c.type_}


class NotificationChannelApi:
    """The NotificationChannelService methods; each takes a raw request message and returns a raw response message."""

    def __init__(self, store: Store, default_page_size: int = DEFAULT_PAGE_SIZE) -> None:
        self.store = store
        self.default_page_size = default_page_size

    def create(self, request: Any) -> Any:
        """CreateNotificationChannel: a new channel with a server-assigned id."""
        project = project_of_parent(request.name)
        channel = copy_of(request.notification_channel)
        if channel.name:
            raise invalid(
                f'Field notification_channel.name.channel_id_part had an invalid value of "{channel.name}": '
                "Field must be empty."
            )
        _refuse_verification_status(channel)
        channel.ClearField("creation_record")
        channel.ClearField("mutation_records")
        _default_enabled(channel)
        _validate(channel)
        channel.name = f"projects/{project}/notificationChannels/{self.store.next_id()}"
        channel.creation_record.CopyFrom(self.store.mutation_record())
        channel.mutation_records.add().CopyFrom(channel.creation_record)
        self.store.notification_channels[channel.name] = channel
        return _as_read(channel)

    def get(self, request: Any) -> Any:
        """GetNotificationChannel."""
        split_name(request.name, "notificationChannels")
        return _as_read(self._existing(request.name))

    def list(self, request: Any) -> Any:
        """ListNotificationChannels: filtered, ordered, paged."""
        project = project_of_parent(request.name)
        matches = compile_filter(request.filter, FILTER_SCALARS, FILTER_MAPS)
        table = self.store.notification_channels
        channels = [c for c in in_project(table, f"projects/{project}/notificationChannels/") if matches(c)]
        ordered = sort_items(channels, request.order_by, SORT_KEYS)
        query = f"{request.name}|{request.filter}|{request.order_by}"
        page = paginate(ordered, query, request.page_size, request.page_token, self.default_page_size)
        response = monitoring_v3.ListNotificationChannelsResponse.pb()()
        response.notification_channels.extend(_as_read(channel) for channel in page.items)
        response.next_page_token = page.next_page_token
        response.total_size = page.total_size
        return response

    def update(self, request: Any) -> Any:
        """UpdateNotificationChannel: the masked fields, or every writable field when the mask is empty."""
        supplied = request.notification_channel
        split_name(supplied.name, "notificationChannels", "notification_channel.name")
        existing = self._existing(supplied.name)
        _refuse_verification_status(supplied)
        channel = copy_of(existing)
        if request.update_mask.paths:
            apply_update_mask(channel, supplied, request.update_mask.paths, (*READ_ONLY_FIELDS, "verification_status"))
        else:
            channel.CopyFrom(supplied)
            channel.name = existing.name
            channel.verification_status = existing.verification_status
        if channel.type_ != existing.type_:
            raise invalid(f'Field notification_channel.type cannot change from "{existing.type_}" to "{channel.type_}"')
        _default_enabled(channel)
        _validate(channel)
        channel.creation_record.CopyFrom(existing.creation_record)
        channel.ClearField("mutation_records")
        channel.mutation_records.extend([*existing.mutation_records, self.store.mutation_record()])
        self.store.notification_channels[channel.name] = channel
        return _as_read(channel)

    def delete(self, request: Any) -> Any:
        """DeleteNotificationChannel: refused while a policy uses the channel, unless forced."""
        split_name(request.name, "notificationChannels")
        self._existing(request.name)
        users = sorted(name for name, p in self.store.alert_policies.items() if request.name in p.notification_channels)
        if users and not request.force:
            referenced_by = ", ".join(f'"{name}"' for name in users)
            raise failed_precondition(
                f'Could not delete "{request.name}" because it is still being referenced by: {referenced_by}'
            )
        for name in users:
            self._detach(self.store.alert_policies[name], request.name)
        del self.store.notification_channels[request.name]
        return empty_pb2.Empty()

    def list_descriptors(self, request: Any) -> Any:
        """ListNotificationChannelDescriptors: the known channel types, paged."""
        project = project_of_parent(request.name)
        descriptors = [kind.descriptor(project) for _, kind in sorted(CHANNEL_TYPES.items())]
        page = paginate(descriptors, request.name, request.page_size, request.page_token, self.default_page_size)
        response = monitoring_v3.ListNotificationChannelDescriptorsResponse()
        response.channel_descriptors.extend(page.items)
        response.next_page_token = page.next_page_token
        return monitoring_v3.ListNotificationChannelDescriptorsResponse.pb(response)

    def get_descriptor(self, request: Any) -> Any:
        """GetNotificationChannelDescriptor: `projects/P/notificationChannelDescriptors/TYPE`."""
        project, kind = split_name(request.name, "notificationChannelDescriptors")
        if kind not in CHANNEL_TYPES:
            raise not_found(request.name, "Notification channel descriptor")
        return monitoring_v3.NotificationChannelDescriptor.pb(CHANNEL_TYPES[kind].descriptor(project))

    def _existing(self, name: str) -> Any:
        """The stored channel called `name`, or NOT_FOUND."""
        channel = self.store.notification_channels.get(name)
        if channel is None:
            raise not_found(name, "Notification channel")
        return channel

    def _detach(self, policy: Any, channel: str) -> None:
        """Remove a force-deleted channel from a policy, recording the change."""
        kept = [name for name in policy.notification_channels if name != channel]
        policy.ClearField("notification_channels")
        policy.notification_channels.extend(kept)
        for strategy in policy.alert_strategy.notification_channel_strategy:
            names = [name for name in strategy.notification_channel_names if name != channel]
            strategy.ClearField("notification_channel_names")
            strategy.notification_channel_names.extend(names)
        policy.mutation_record.CopyFrom(self.store.mutation_record())


def _refuse_verification_status(channel: Any) -> None:
    """verification_status is set by VerifyNotificationChannel only."""
    if channel.verification_status:
        raise invalid("Field notification_channel.verification_status cannot be set by this operation")


def _default_enabled(channel: Any) -> None:
    """An unset `enabled` means enabled."""
    if not channel.HasField("enabled"):
        channel.enabled.value = True


def _validate(channel: Any) -> None:
    """Every rule a stored channel must satisfy."""
    kind = CHANNEL_TYPES.get(channel.type_)
    if kind is None:
        known = ", ".join(sorted(CHANNEL_TYPES))
        raise invalid(f'Field notification_channel.type had an invalid value of "{channel.type_}" (known: {known})')
    unknown = sorted(set(channel.labels) - set(kind.labels))
    missing = sorted(kind.required - set(channel.labels))
    if unknown or missing:
        raise invalid(f"Field notification_channel.labels for type {kind.type}: unknown {unknown}, missing {missing}")
    for key in sorted(kind.secrets & set(channel.labels)):
        if looks_obfuscated(channel.labels[key]):
            raise invalid(f"Field notification_channel.labels[{key}] holds an obfuscated value, not the secret")
    check_length("notification_channel.display_name", channel.display_name, 512)
    check_length("notification_channel.description", channel.description, 1024)
    check_user_labels("notification_channel.user_labels", channel.user_labels)


def _as_read(channel: Any) -> Any:
    """A copy of a stored channel as the API returns it: secret labels obfuscated."""
    shown = copy_of(channel)
    for key in CHANNEL_TYPES[shown.type_].secrets & set(shown.labels):
        shown.labels[key] = obfuscate(shown.labels[key])
    return shown
