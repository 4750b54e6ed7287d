"""Typed exceptions raised by the Driftwatch client.

The agent answers every refused request with ``{"error": {"code", "message", "line"?, "field"?}}`` and a
fitting HTTP status; :class:`APIError` carries those members, and its subclasses name the status.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Mapping, Optional, Type

__all__ = [
    "DriftwatchError",
    "AgentUnreachable",
    "APIError",
    "BadRequest",
    "Unauthorized",
    "NotFound",
    "Conflict",
    "PayloadTooLarge",
    "RateLimited",
    "ServiceUnavailable",
    "ServerError",
    "ClientClosed",
]


class DriftwatchError(Exception):
    """The base class of every error this package raises."""


class ClientClosed(DriftwatchError):
    """A record was logged after :meth:`Driftwatch.close`."""


class AgentUnreachable(DriftwatchError):
    """The agent could not be reached (connection refused, reset or timed out) after the retries."""

    def __init__(self, message: str, *, cause: Optional[BaseException] = None) -> None:
        super().__init__(message)
        self.cause = cause


class APIError(DriftwatchError):
    """The agent refused a request: its HTTP ``status`` and the JSON error it answered.

    Attributes:
        status: the HTTP status code.
        code: the agent's stable error code (``unknown_model``, ``invalid_parameter``, …).
        message: the agent's human-readable message.
        line: the body line the error is about, when the agent named one.
        field: the field or parameter the error is about, when the agent named one.
        request_id: the id under which the agent logged an internal error.
        body: the whole decoded JSON reply (or ``None`` when it was not JSON).
        retry_after: seconds from a ``Retry-After`` header, when there was one.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        line: Optional[int] = None,
        field: Optional[str] = None,
        request_id: Optional[str] = None,
        body: Optional[Any] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.line = line
        self.field = field
        self.request_id = request_id
        self.body = body
        self.retry_after = retry_after
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.line is not None:
            where += f" (line {self.line}"
            where += f", field {self.field})" if self.field else ")"
        elif self.field:
            where += f" (field {self.field})"
        return f"{self.status} {self.code}: {self.message}{where}"

    def to_dict(self) -> Dict[str, Any]:
        """The error as the agent sent it: ``code``, ``message`` and, when present, ``line`` and ``field``."""
        out: Dict[str, Any] = {"code": self.code, "message": self.message}
        if self.line is not None:
            out["line"] = self.line
        if self.field is not None:
            out["field"] = self.field
        if self.request_id is not None:
            out["request_id"] = self.request_id
        return out


class BadRequest(APIError):
    """400: the request (a parameter, a body) was malformed."""


class Unauthorized(APIError):
    """401/403: a missing or wrong bearer token."""


class NotFound(APIError):
    """404: no such model, job, version or reference."""


class Conflict(APIError):
    """409: the request conflicts with the agent's state (``no_champion``, ``features_changed``, …)."""


class PayloadTooLarge(APIError):
    """413: a body or a line over the agent's limit."""


class RateLimited(APIError):
    """429: too many requests (retried with back-off before it is raised)."""


class ServiceUnavailable(APIError):
    """503: the agent's database is away or it is overloaded (retried before it is raised)."""


class ServerError(APIError):
    """500 and other 5xx: the agent failed; ``request_id`` names its log entry."""


_BY_STATUS: Mapping[int, Type[APIError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Unauthorized,
    404: NotFound,
    409: Conflict,
    413: PayloadTooLarge,
    429: RateLimited,
    503: ServiceUnavailable,
}


def error_from_reply(status: int, data: bytes, retry_after: Optional[float] = None) -> APIError:
    """The typed exception for a non-2xx reply ``data`` with ``status``."""
    body: Optional[Any] = None
    code, message = f"http_{status}", ""
    line: Optional[int] = None
    field: Optional[str] = None
    request_id: Optional[str] = None
    try:
        body = json.loads(data.decode("utf-8")) if data else None
    except (ValueError, UnicodeDecodeError):
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        code = str(error.get("code", code))
        message = str(error.get("message", ""))
        raw_line = error.get("line")
        line = raw_line if isinstance(raw_line, int) else None
        raw_field = error.get("field")
        field = raw_field if isinstance(raw_field, str) else None
        raw_id = error.get("request_id")
        request_id = raw_id if isinstance(raw_id, str) else None
    else:
        message = data[:500].decode("utf-8", "replace").strip() or f"HTTP {status}"
    kind = _BY_STATUS.get(status, ServerError if status >= 500 else APIError)
    return kind(
        status, code, message, line=line, field=field, request_id=request_id, body=body, retry_after=retry_after
    )
