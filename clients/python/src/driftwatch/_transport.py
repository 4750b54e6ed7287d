"""HTTP to the agent over the standard library's ``http.client``: one kept-alive connection per thread,
typed errors, and retries with exponential back-off that honour ``Retry-After``."""

from __future__ import annotations

import email.utils
import http.client
import json
import random
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Mapping, Optional, TypeVar
from urllib.parse import quote, urlencode, urlsplit

from ._version import __version__
from .errors import AgentUnreachable, APIError, error_from_reply

T = TypeVar("T")

#: Statuses worth retrying: the agent (or a proxy in front of it) is busy or briefly away.
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How requests are retried on connection errors and 429/502/503/504.

    The wait before retry *n* (from 1) is ``initial_backoff · 2^(n-1)``, capped at ``max_backoff``, times a
    random factor in [0.5, 1.5); a ``Retry-After`` from the agent replaces it (capped at
    ``max_retry_after``). ``max_attempts`` bounds the attempts of synchronous calls (``status()``,
    ``metrics()``, …); the background sender retries a batch until it is delivered or the client closes.
    """

    max_attempts: int = 4
    initial_backoff: float = 0.2
    max_backoff: float = 5.0
    max_retry_after: float = 60.0

    def backoff(self, attempt: int, retry_after: Optional[float] = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1 for the first retry)."""
        if retry_after is not None:
            return max(0.0, min(retry_after, self.max_retry_after))
        base = self.initial_backoff * (2 ** min(max(attempt - 1, 0), 30))
        return float(min(base, self.max_backoff) * random.uniform(0.5, 1.5))


def is_retryable(error: BaseException) -> bool:
    """Whether ``error`` may go away by itself: the agent unreachable, or 429/502/503/504."""
    if isinstance(error, AgentUnreachable):
        return True
    return isinstance(error, APIError) and error.status in RETRYABLE_STATUSES


def retry_after_of(error: BaseException) -> Optional[float]:
    """The ``Retry-After`` seconds an API error carries, if any."""
    return error.retry_after if isinstance(error, APIError) else None


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """``Retry-After`` as seconds: a number of seconds, or an HTTP date (``None`` when absent or unreadable)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


@dataclass
class Reply:
    """A 2xx reply: its status, headers (lower-case names) and body."""

    status: int
    headers: Dict[str, str]
    data: bytes

    def json(self) -> Any:
        """The body decoded as JSON (``None`` when empty)."""
        return json.loads(self.data.decode("utf-8")) if self.data else None


class Transport:
    """Requests to one agent. Thread-safe: each thread keeps its own connection."""

    def __init__(self, url: str, token: Optional[str], timeout: float, retry: RetryPolicy) -> None:
        parts = urlsplit(url if "://" in url else "http://" + url)
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"the agent's URL must be http:// or https://, not {url!r}")
        if not parts.hostname:
            raise ValueError(f"the agent's URL has no host: {url!r}")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.prefix = parts.path.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retry = retry
        self._local = threading.local()

    @property
    def base_url(self) -> str:
        """The agent's URL, without a trailing slash."""
        return f"{self.scheme}://{self.host}:{self.port}{self.prefix}"

    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self.scheme == "https":
                conn = http.client.HTTPSConnection(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self._local.conn = conn
        return conn

    def _drop_connection(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            try:
                conn.close()
            except OSError:
                pass

    def close(self) -> None:
        """Closes this thread's connection."""
        self._drop_connection()

    @staticmethod
    def path(*segments: str) -> str:
        """``/v1/…`` from path segments, each percent-encoded."""
        return "/" + "/".join(quote(s, safe="") for s in segments)

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Mapping[str, Optional[str]]] = None,
        body: Optional[bytes] = None,
        content_type: Optional[str] = None,
    ) -> Reply:
        """One request, no retries. Raises :class:`AgentUnreachable` or a typed :class:`APIError`."""
        target = self.prefix + path
        if query:
            pairs = {k: v for k, v in query.items() if v is not None}
            if pairs:
                target += "?" + urlencode(pairs)
        headers = {"User-Agent": f"driftwatch-client-python/{__version__}", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if content_type:
            headers["Content-Type"] = content_type
        if body is not None:
            headers["Content-Length"] = str(len(body))
        # A kept-alive connection the agent closed in the meantime fails on first use: try a fresh one once.
        for fresh in (False, True):
            conn = self._connection()
            try:
                conn.request(method, target, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                reply_headers = {k.lower(): v for k, v in response.getheaders()}
                if response.will_close:
                    self._drop_connection()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                self._drop_connection()
                if fresh:
                    raise AgentUnreachable(f"{method} {self.base_url}{path}: {error}", cause=error) from error
            except (OSError, socket.timeout, http.client.HTTPException) as error:
                self._drop_connection()
                raise AgentUnreachable(f"{method} {self.base_url}{path}: {error}", cause=error) from error
        if 200 <= response.status < 300:
            return Reply(response.status, reply_headers, data)
        raise error_from_reply(response.status, data, parse_retry_after(reply_headers.get("retry-after")))

    def call(self, fn: Callable[[], T], *, sleep: Callable[[float], Any] = time.sleep) -> T:
        """``fn()``, retried on retryable errors up to the policy's ``max_attempts``."""
        attempt = 0
        while True:
            try:
                return fn()
            except (AgentUnreachable, APIError) as error:
                attempt += 1
                if not is_retryable(error) or attempt >= self.retry.max_attempts:
                    raise
                sleep(self.retry.backoff(attempt, retry_after_of(error)))

    def request_with_retries(self, method: str, path: str, **kwargs: Any) -> Reply:
        """:meth:`request`, retried as :meth:`call` retries."""
        return self.call(lambda: self.request(method, path, **kwargs))
