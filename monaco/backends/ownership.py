"""Which target wrote a file: the owner marker plus a `# monaco-target:` line, read back on every plan.

A file monaco writes starts with the owner marker and names the target that wrote it, so targets that
share a directory never take each other's files for orphans. A file with the marker but no target
line was written by a monaco release that did not record targets: it is claimed only by a target
that would write a file of that name itself.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from monaco.backends.files import OWNER_MARKER, has_owner_marker

TARGET_HEADER = "# monaco-target:"
_HEADER_LINES = 8


class Claim(enum.Enum):
    """How a file found in a target's place relates to that target."""

    OURS = "ours"
    OTHER_TARGET = "other_target"
    UNMANAGED = "unmanaged"


@dataclass(frozen=True, slots=True)
class FileOwner:
    """Who wrote a file: managed by monaco or not, and the target named in its header (None if absent)."""

    managed: bool
    target: str | None

    def claim(self, target: str, would_write: bool) -> Claim:
        """This file's relation to `target`, which would (or would not) write a file of this name itself."""
        if not self.managed:
            return Claim.UNMANAGED
        if self.target == target or (self.target is None and would_write):
            return Claim.OURS
        return Claim.OTHER_TARGET

    def describe(self) -> str:
        """`target prod-rules`, `an older monaco (no target recorded)`, or `not monaco`."""
        if not self.managed:
            return "not monaco"
        return f"target {self.target}" if self.target else "an older monaco (no target recorded)"


def owner_header(target: str) -> str:
    """The first lines of every file `target` writes: the owner marker and the target's name."""
    return f"{OWNER_MARKER}\n{TARGET_HEADER} {target}\n"


def file_owner(text: str) -> FileOwner:
    """The owner recorded at the top of a file's text."""
    if not has_owner_marker(text):
        return FileOwner(False, None)
    for line in text.splitlines()[:_HEADER_LINES]:
        if line.startswith(TARGET_HEADER):
            return FileOwner(True, line[len(TARGET_HEADER) :].strip() or None)
    return FileOwner(True, None)
