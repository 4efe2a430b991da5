"""The API's errors as values: a gRPC status code and a message, turned into a real gRPC status by the server."""

from __future__ import annotations

import grpc


class ApiError(Exception):
    """A rejection the fake returns as a gRPC status, as the real API would."""

    def __init__(self, code: grpc.StatusCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def invalid(message: str) -> ApiError:
    """INVALID_ARGUMENT (HTTP 400): the request itself is malformed."""
    return ApiError(grpc.StatusCode.INVALID_ARGUMENT, message)


def not_found(name: str, kind: str = "Requested entity") -> ApiError:
    """NOT_FOUND (HTTP 404): the named resource does not exist."""
    return ApiError(grpc.StatusCode.NOT_FOUND, f"{kind} not found: {name}")


def already_exists(name: str) -> ApiError:
    """ALREADY_EXISTS (HTTP 409): a client-chosen id is taken."""
    return ApiError(grpc.StatusCode.ALREADY_EXISTS, f"Resource '{name}' already exists")


def failed_precondition(message: str) -> ApiError:
    """FAILED_PRECONDITION (HTTP 400): the request is well formed but the state forbids it."""
    return ApiError(grpc.StatusCode.FAILED_PRECONDITION, message)
