"""Secret references resolved at the edge: fingerprints for plans, values only for apply."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def fingerprint(value: str) -> str:
    """A short, stable, one-way fingerprint of a secret value: `sha256:` and 12 hex digits."""
    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]


def resolve(ref: str, base_dir: Path | None = None) -> str:
    """The value behind `env:NAME` or `file:PATH` (trailing newline stripped); KeyError when unavailable."""
    kind, _, name = ref.partition(":")
    if kind == "env":
        if name not in os.environ:
            raise KeyError(f"environment variable {name} is not set")
        return os.environ[name]
    if kind == "file":
        path = Path(name)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        try:
            return path.read_text(encoding="utf-8").rstrip("\n")
        except OSError as exc:
            raise KeyError(f"cannot read secret file {path}: {exc.strerror or exc}") from None
    raise KeyError(f"unknown secret reference {ref!r}")
