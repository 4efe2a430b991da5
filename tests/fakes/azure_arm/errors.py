"""ARM's error envelope and the responses the fake sends.

Every ARM failure body is `{"error": {"code": ..., "message": ...}}` (common-types v3 `ErrorResponse`,
referenced by every operation of the five resource types); azure-core turns it into an
`HttpResponseError` whose `.error.code` is that code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class ArmResponse:
    """One HTTP response: status, JSON body (None for an empty body) and extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class ArmError(Exception):
    """A request ARM refuses: raised anywhere in the fake, sent as the ARM error body."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message
        self.headers = dict(headers or {})

    def response(self) -> ArmResponse:
        """The response ARM sends for this error."""
        body = {"error": {"code": self.code, "message": self.message}}
        return ArmResponse(self.status, body, self.headers)


def bad_request(message: str, code: str = "BadRequest") -> ArmError:
    """A 400 with the given message; the code defaults to the generic `BadRequest`."""
    return ArmError(400, code, message)


def not_found(resource_type: str, name: str, resource_group: str) -> ArmError:
    """The 404 ARM sends for a missing resource (wording of ARM's `ResourceNotFound` message)."""
    message = f"The Resource '{resource_type}/{name}' under resource group '{resource_group}' was not found."
    return ArmError(404, "ResourceNotFound", message)
