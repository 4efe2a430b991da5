"""google.monitoring.v3.AlertPolicyService: Create/Get/List/Update/DeleteAlertPolicy over the store.

What the fake rejects, and where each rule comes from (installed google-cloud-monitoring 2.32 docstrings unless noted):
- missing `display_name` (INVALID_ARGUMENT): Terraform's google_monitoring_alert_policy marks it required; the limit
  of 512 characters is alert.py's. Each condition's `display_name` is required for the same reason.
- 0 or more than 6 conditions (INVALID_ARGUMENT): alert.py "A policy can have from one to six conditions".
- an MQL or log-match condition that is not the only one (INVALID_ARGUMENT): alert.py "If
  condition_monitoring_query_language is present, it must be the only condition"; the API's 400 "Alert policies with
  a log matching condition can only have a single condition" (chainguard-dev/terraform-infra-common#384).
- a condition of no kind (INVALID_ARGUMENT): the `condition` oneof is the condition.
- `combiner` unset with more than one condition (INVALID_ARGUMENT): alert.py documents the combiner as how several
  conditions combine; Terraform marks it required. [message unverified]
- documentation `mime_type` other than text/markdown, content over 8,192 characters (INVALID_ARGUMENT): alert.py.
- user labels (INVALID_ARGUMENT): rules.py.
- a notification channel name of the wrong shape (INVALID_ARGUMENT, "Name must begin with
  'projects/{project_id}/notificationChannels/{channel_id}'": crossplane-contrib/provider-upjet-gcp#498) or one that
  does not exist (NOT_FOUND, "Notification channel not found": hashicorp/terraform-provider-google#25878).
- on update, a condition `name` that is not one of the policy's conditions (INVALID_ARGUMENT): alert.py "including a
  condition name causes the existing condition to be updated. Conditions without names are added".
Server-side behaviour: names `projects/P/alertPolicies/ID` and `.../conditions/CID` assigned on create (names sent
on create are replaced: alert.py "do not include the name field"); `enabled` defaults to true ("On write, the
default interpretation if unset is that the policy is enabled"); creation_record set once, mutation_record on every
write; an empty update_mask replaces the whole policy but keeps its id and the conditions whose names are sent.
"""

from __future__ import annotations

from typing import Any

from google.cloud import monitoring_v3
from google.protobuf import empty_pb2

from tests.fakes.gcp_monitoring.errors import invalid, not_found
from tests.fakes.gcp_monitoring.listing import compile_filter, paginate, sort_items
from tests.fakes.gcp_monitoring.rules import (
    apply_update_mask,
    check_length,
    check_user_labels,
    project_of_parent,
    split_name,
)
from tests.fakes.gcp_monitoring.store import Store, copy_of, in_project

MAX_CONDITIONS = 6
SOLE_CONDITION_KINDS = ("condition_monitoring_query_language", "condition_matched_log")
COMBINE_UNSPECIFIED = monitoring_v3.AlertPolicy.ConditionCombinerType.COMBINE_UNSPECIFIED
READ_ONLY_FIELDS = ("name", "creation_record", "mutation_record", "validity")
DEFAULT_PAGE_SIZE = 100
FILTER_SCALARS = {"name": lambda p: p.name, "display_name": lambda p: p.display_name}
FILTER_MAPS = {"user_labels": lambda p: p.user_labels, "user_label": lambda p: p.user_labels}
SORT_KEYS = {"name": lambda p: p.name, "display_name": lambda p: p.display_name}


class AlertPolicyApi:
    """The AlertPolicyService methods; each takes a raw request message and returns a raw response message."""

    def __init__(self, store: Store, default_page_size: int = DEFAULT_PAGE_SIZE) -> None:
        self.store = store
        self.default_page_size = default_page_size

    def create(self, request: Any) -> Any:
        """CreateAlertPolicy: a new policy with server-assigned policy and condition ids."""
        project = project_of_parent(request.name)
        policy = copy_of(request.alert_policy)
        for field in READ_ONLY_FIELDS:
            policy.ClearField(field)
        _default_enabled(policy)
        self._validate(policy, project)
        policy.name = f"projects/{project}/alertPolicies/{self.store.next_id()}"
        for condition in policy.conditions:
            condition.name = f"{policy.name}/conditions/{self.store.next_id()}"
        policy.creation_record.CopyFrom(self.store.mutation_record())
        policy.mutation_record.CopyFrom(policy.creation_record)
        self.store.alert_policies[policy.name] = policy
        return copy_of(policy)

    def get(self, request: Any) -> Any:
        """GetAlertPolicy."""
        split_name(request.name, "alertPolicies")
        return copy_of(self._existing(request.name))

    def list(self, request: Any) -> Any:
        """ListAlertPolicies: filtered, ordered, paged."""
        project = project_of_parent(request.name)
        matches = compile_filter(request.filter, FILTER_SCALARS, FILTER_MAPS)
        policies = [
            p for p in in_project(self.store.alert_policies, f"projects/{project}/alertPolicies/") if matches(p)
        ]
        ordered = sort_items(policies, request.order_by, SORT_KEYS)
        query = f"{request.name}|{request.filter}|{request.order_by}"
        page = paginate(ordered, query, request.page_size, request.page_token, self.default_page_size)
        response = monitoring_v3.ListAlertPoliciesResponse.pb()()
        response.alert_policies.extend(page.items)
        response.next_page_token = page.next_page_token
        response.total_size = page.total_size
        return response

    def update(self, request: Any) -> Any:
        """UpdateAlertPolicy: the masked fields, or the whole policy when the mask is empty."""
        supplied = request.alert_policy
        project, _ = split_name(supplied.name, "alertPolicies", "alert_policy.name")
        existing = self._existing(supplied.name)
        if request.update_mask.paths:
            policy = copy_of(existing)
            apply_update_mask(policy, supplied, request.update_mask.paths, READ_ONLY_FIELDS)
        else:
            policy = copy_of(supplied)
            for field in READ_ONLY_FIELDS:
                policy.ClearField(field)
            policy.name = existing.name
        _default_enabled(policy)
        self._validate(policy, project)
        self._name_conditions(policy, existing)
        policy.creation_record.CopyFrom(existing.creation_record)
        policy.mutation_record.CopyFrom(self.store.mutation_record())
        self.store.alert_policies[policy.name] = policy
        return copy_of(policy)

    def delete(self, request: Any) -> Any:
        """DeleteAlertPolicy."""
        split_name(request.name, "alertPolicies")
        self._existing(request.name)
        del self.store.alert_policies[request.name]
        return empty_pb2.Empty()

    def _existing(self, name: str) -> Any:
        """The stored policy called `name`, or NOT_FOUND."""
        policy = self.store.alert_policies.get(name)
        if policy is None:
            raise not_found(name)
        return policy

    def _name_conditions(self, policy: Any, existing: Any) -> None:
        """Keep the ids of conditions sent with their names; give new ids to conditions sent without one."""
        known = {condition.name for condition in existing.conditions}
        seen: set[str] = set()
        for index, condition in enumerate(policy.conditions):
            if not condition.name:
                condition.name = f"{policy.name}/conditions/{self.store.next_id()}"
            elif condition.name not in known or condition.name in seen:
                raise invalid(
                    f'Field alert_policy.conditions[{index}].name had an invalid value of "{condition.name}": '
                    f"it names no condition of {policy.name} (or names one twice)"
                )
            seen.add(condition.name)

    def _validate(self, policy: Any, project: str) -> None:
        """Every documented rule a stored policy must satisfy."""
        if not policy.display_name:
            raise invalid("Field alert_policy.display_name is required")
        check_length("alert_policy.display_name", policy.display_name, 512)
        _check_documentation(policy.documentation)
        check_user_labels("alert_policy.user_labels", policy.user_labels)
        _check_conditions(policy)
        self._check_channels(policy.notification_channels, project)

    def _check_channels(self, channels: Any, project: str) -> None:
        """Each notification channel is a well-formed name of an existing channel of the same project."""
        for index, channel in enumerate(channels):
            channel_project, _ = split_name(
                channel, "notificationChannels", f"alert_policy.notification_channels[{index}]"
            )
            if channel_project != project or channel not in self.store.notification_channels:
                raise not_found(channel, "Notification channel")


def _default_enabled(policy: Any) -> None:
    """An unset `enabled` means enabled."""
    if not policy.HasField("enabled"):
        policy.enabled.value = True


def _check_documentation(documentation: Any) -> None:
    """Documentation is markdown of at most 8,192 characters."""
    if documentation.mime_type not in ("", "text/markdown"):
        raise invalid(
            f'Field alert_policy.documentation.mime_type must be "text/markdown", not "{documentation.mime_type}"'
        )
    check_length("alert_policy.documentation.content", documentation.content, 8192)


def _check_conditions(policy: Any) -> None:
    """One to six conditions, each of one kind and named for display, combined explicitly when several."""
    count = len(policy.conditions)
    if not 1 <= count <= MAX_CONDITIONS:
        raise invalid(f"Field alert_policy.conditions has {count} conditions; a policy has from 1 to {MAX_CONDITIONS}")
    for index, condition in enumerate(policy.conditions):
        kind = condition.WhichOneof("condition")
        if kind is None:
            raise invalid(f"Field alert_policy.conditions[{index}] sets no condition type")
        if not condition.display_name:
            raise invalid(f"Field alert_policy.conditions[{index}].display_name is required")
        if kind in SOLE_CONDITION_KINDS and count > 1:
            raise invalid(f"Alert policies with a {kind} condition can only have a single condition")
    if count > 1 and policy.combiner == COMBINE_UNSPECIFIED:
        raise invalid("Field alert_policy.combiner must be specified when a policy has more than one condition")
