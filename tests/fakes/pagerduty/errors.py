"""PagerDuty's error envelope and the responses the fake sends.

REST API v2 failures are `{"error": {"message": ..., "code": ..., "errors": [...]}}` (PagerDuty's REST API
"Errors" reference; a captured 400 reads `{"error":{"message":"Invalid Input Provided","code":2001,
"errors":["..."]}}`). The client raises `pagerduty.HttpError` carrying the response for any non-2xx reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

INVALID_INPUT = 2001
"""`Invalid Input Provided`: a body the API refuses (missing or unknown references, duplicate names)."""
NOT_FOUND = 2100
"""`Not Found`: no object of that id."""
UNAUTHORIZED = 2006
"""The code the fake sends with a 401 (no or wrong `Authorization: Token token=...`)."""
RATE_LIMITED = 2020
"""The code the fake sends with a 429."""


@dataclass(slots=True)
class PdResponse:
    """One HTTP response: status, JSON body (None for an empty body) and extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class PdError(Exception):
    """A request PagerDuty refuses: raised anywhere in the fake, sent in PagerDuty's error envelope."""

    def __init__(
        self,
        status: int,
        message: str,
        code: int,
        errors: list[str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {message}: {errors or ''}")
        self.status, self.message, self.code = status, message, code
        self.errors = list(errors or [])
        self.headers = dict(headers or {})

    def response(self) -> PdResponse:
        """The response PagerDuty sends for this error."""
        error: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            error["errors"] = self.errors
        return PdResponse(self.status, {"error": error}, self.headers)


def invalid(*errors: str) -> PdError:
    """A 400 `Invalid Input Provided` listing what is wrong."""
    return PdError(400, "Invalid Input Provided", INVALID_INPUT, list(errors))


def not_found() -> PdError:
    """The 404 PagerDuty sends for an unknown id or path."""
    return PdError(404, "Not Found", NOT_FOUND)
