"""Which silences are monaco's: `createdBy: monaco` and a marker in the comment naming the target and service."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

CREATED_BY = "monaco"
_MARKER = re.compile(r"\[monaco-silence target=(?P<target>[^\s\]]+) service=(?P<service>[^\s\]]+)\]")


def marker(target: str, service: str) -> str:
    """The text monaco appends to a silence's comment so it knows the silence is its own."""
    return f"[monaco-silence target={target} service={service}]"


@dataclass(frozen=True, slots=True)
class Silence:
    """A silence as the API lists it, with whose it is."""

    id: str
    state: str
    starts_at: str
    ends_at: str
    created_by: str
    comment: str
    matchers: tuple[str, ...]
    target: str | None
    """The target named in monaco's marker; None when the silence has no marker (not monaco's)."""
    service: str | None

    def owned_by(self, target: str) -> bool:
        """True when monaco made this silence through `target`."""
        return self.created_by == CREATED_BY and self.target == target

    @property
    def live(self) -> bool:
        """Active or pending (not yet expired)."""
        return self.state in ("active", "pending")


def _matcher_text(matcher: Any) -> str:
    if not isinstance(matcher, dict):
        return str(matcher)
    op = ("=" if matcher.get("isEqual", True) else "!=") if not matcher.get("isRegex") else "=~"
    if matcher.get("isRegex") and not matcher.get("isEqual", True):
        op = "!~"
    return f'{matcher.get("name")}{op}"{matcher.get("value")}"'


def parse_silence(item: Any) -> Silence | None:
    """A gettableSilence from the API, or None when the item does not have that shape."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        return None
    comment = str(item.get("comment") or "")
    found = _MARKER.search(comment)
    status = item.get("status")
    return Silence(
        id=item["id"],
        state=str(status.get("state", "")) if isinstance(status, dict) else "",
        starts_at=str(item.get("startsAt") or ""),
        ends_at=str(item.get("endsAt") or ""),
        created_by=str(item.get("createdBy") or ""),
        comment=comment,
        matchers=tuple(_matcher_text(m) for m in item.get("matchers") or []),
        target=found["target"] if found else None,
        service=found["service"] if found else None,
    )


def plain_comment(silence: Silence) -> str:
    """The comment without monaco's marker."""
    return _MARKER.sub("", silence.comment).strip()
