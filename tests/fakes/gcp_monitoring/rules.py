"""Rules every Cloud Monitoring resource shares: resource names, user labels, update masks.

Sources, quoted in the installed google-cloud-monitoring 2.32 `types/*.py` docstrings (the API reference's text):
- user labels (alert.py, notification.py, service.py): "up to 64 entries. Each key and value is limited to 63 Unicode
  characters or 128 bytes, whichever is smaller. Labels and values can contain only lowercase letters, numerals,
  underscores, and dashes. Keys must begin with a letter." The fake checks ASCII only: it is stricter than the API,
  which may accept non-ASCII lowercase letters, so nothing it accepts is refused by the real one.
- update masks (alert_service.py UpdateAlertPolicyRequest): "each listed field in the existing alerting policy is set
  to the value of the corresponding field in the supplied policy, or to the field's default value if the field is not
  in the supplied alerting policy"; paths such as `documentation.content` and `user_label.nameofkey`.
- read-only fields (alert.py creation_record/mutation_record): "If provided in a call to create or update, this
  field will be ignored."
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from google.protobuf.descriptor import FieldDescriptor

from tests.fakes.gcp_monitoring.errors import invalid

MAX_USER_LABELS = 64
USER_LABEL_KEY = re.compile(r"[a-z][a-z0-9_-]{0,62}")
USER_LABEL_VALUE = re.compile(r"[a-z0-9_-]{0,63}")
MAX_LABEL_BYTES = 128
PROJECT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")


def project_of_parent(parent: str, field: str = "name") -> str:
    """The project of a `projects/P` parent; INVALID_ARGUMENT for any other shape."""
    parts = parent.split("/")
    if len(parts) != 2 or parts[0] != "projects" or not PROJECT_ID.fullmatch(parts[1]):
        raise invalid(f'Field {field} had an invalid value of "{parent}": must be of the form projects/[PROJECT_ID]')
    return parts[1]


def split_name(name: str, collection: str, field: str = "name") -> tuple[str, str]:
    """(project, id) of `projects/P/<collection>/ID`; INVALID_ARGUMENT for any other shape."""
    parts = name.split("/")
    if len(parts) != 4 or parts[0] != "projects" or parts[2] != collection or not parts[3]:
        raise invalid(
            f'Field {field} had an invalid value of "{name}": Name must begin with '
            f"'projects/{{project_id}}/{collection}/{{id}}'"
        )
    project_of_parent("/".join(parts[:2]), field)
    return parts[1], parts[3]


def check_user_labels(field: str, labels: Mapping[str, str]) -> None:
    """INVALID_ARGUMENT unless the labels follow the documented key/value rules."""
    if len(labels) > MAX_USER_LABELS:
        raise invalid(f"Field {field} has {len(labels)} entries; at most {MAX_USER_LABELS} are allowed")
    for key, value in labels.items():
        if not USER_LABEL_KEY.fullmatch(key) or len(key.encode()) > MAX_LABEL_BYTES:
            raise invalid(
                f'Field {field} had an invalid key "{key}": keys start with a lowercase letter and hold only '
                "lowercase letters, digits, '_' and '-' (at most 63 characters)"
            )
        if not USER_LABEL_VALUE.fullmatch(value) or len(value.encode()) > MAX_LABEL_BYTES:
            raise invalid(
                f'Field {field}[{key}] had an invalid value "{value}": values hold only lowercase letters, '
                "digits, '_' and '-' (at most 63 characters)"
            )


def check_length(field: str, value: str, limit: int) -> None:
    """INVALID_ARGUMENT when a string field is longer than its documented limit (in Unicode characters)."""
    if len(value) > limit:
        raise invalid(f"Field {field} is {len(value)} characters long; the limit is {limit}")


def apply_update_mask(destination: Any, source: Any, paths: Collection[str], ignored: Collection[str]) -> None:
    """Copy each masked field from `source` into `destination` (both raw protobuf messages of one type).

    A field absent from `source` is reset to its default. `user_label.KEY` sets or removes one user label. Paths naming
    read-only fields (`ignored`) are skipped, as the API ignores them; unknown paths are INVALID_ARGUMENT.
    """
    for path in paths:
        if path.split(".")[0] in ignored:
            continue
        if path.startswith("user_label."):
            _copy_one_label(destination, source, path.removeprefix("user_label."))
            continue
        _copy_path(destination, source, path)


def _copy_one_label(destination: Any, source: Any, key: str) -> None:
    """The `user_label.KEY` mask path: the supplied value, or the label removed when it is not supplied."""
    if key in source.user_labels:
        destination.user_labels[key] = source.user_labels[key]
    elif key in destination.user_labels:
        del destination.user_labels[key]


def _copy_path(destination: Any, source: Any, path: str) -> None:
    """Walk one dotted path down singular message fields, then replace the last field."""
    *parents, last = path.split(".")
    for name in parents:
        field = destination.DESCRIPTOR.fields_by_name.get(name)
        if field is None or field.is_repeated or field.cpp_type != FieldDescriptor.CPPTYPE_MESSAGE:
            raise invalid(f'Invalid update_mask path "{path}": "{name}" is not a singular message field')
        source, destination = getattr(source, name), getattr(destination, name)
    field = destination.DESCRIPTOR.fields_by_name.get(last)
    if field is None:
        raise invalid(f'Invalid update_mask path "{path}" for {destination.DESCRIPTOR.full_name}')
    if field.is_repeated:
        destination.ClearField(last)
        getattr(destination, last).MergeFrom(getattr(source, last))
    elif field.cpp_type == FieldDescriptor.CPPTYPE_MESSAGE:
        destination.ClearField(last)
        if source.HasField(last):
            getattr(destination, last).CopyFrom(getattr(source, last))
    elif field.has_presence and not source.HasField(last):
        destination.ClearField(last)
    else:
        setattr(destination, last, getattr(source, last))
