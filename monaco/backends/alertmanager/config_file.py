"""The Alertmanager config text, now shared in `monaco.backends.amconfig.config_file`; re-exported for this backend."""

from __future__ import annotations

from monaco.backends.amconfig.config_file import (
    BASE_HEADER,
    NOT_A_SECRET,
    PLACEHOLDER_TEXT,
    PLACEHOLDER_URL,
    RESOURCES_HEADER,
    SECRETS_HEADER,
    assemble,
    file_header,
    is_placeholder,
    live_secret_values,
    split,
)

__all__ = [
    "BASE_HEADER",
    "NOT_A_SECRET",
    "PLACEHOLDER_TEXT",
    "PLACEHOLDER_URL",
    "RESOURCES_HEADER",
    "SECRETS_HEADER",
    "assemble",
    "file_header",
    "is_placeholder",
    "live_secret_values",
    "split",
]
