"""The background sender: a bounded buffer of NDJSON lines, sent in batches from one thread.

Records wait in one queue per (model, kind). The thread sends a queue's batch as soon as it holds
``batch_size`` records, and every queue's records once ``flush_interval`` has passed since the last drain,
when :meth:`Sender.flush` asks, or when the client closes. A batch is retried (exponential back-off,
``Retry-After`` honoured) on connection errors and 429/502/503/504 until it is delivered: the agent stores
events idempotently on (model, id, timestamp) and labels on (model, id), so a retry never doubles one.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple

from ._transport import RetryPolicy, Transport, is_retryable, retry_after_of
from .errors import AgentUnreachable, APIError, ClientClosed, PayloadTooLarge

logger = logging.getLogger("driftwatch")

#: What a rejection callback receives.
RejectionHandler = Callable[["Rejection"], Any]


@dataclass(frozen=True)
class Rejection:
    """A record the agent refused (or that could not be sent at all).

    Attributes:
        model: the model the record was for.
        kind: ``"predictions"`` or ``"labels"``.
        id: the record's id.
        record: the JSON object that was sent.
        line: its line in the request body the agent answered about (``None`` for a whole-request refusal).
        field: the field the agent named (``features.car_value``, ``timestamp``, …), when it named one.
        message: why.
        code: ``"rejected"`` for a per-line refusal; else the agent's error code for the whole request
            (``unknown_model``, ``unauthorized``, …) or ``"unsent"`` when the client closed before the
            agent could be reached.
    """

    model: str
    kind: str
    id: Optional[str]
    record: Optional[Dict[str, Any]]
    line: Optional[int]
    field: Optional[str]
    message: str
    code: str = "rejected"


@dataclass(frozen=True)
class Stats:
    """Counters of a client's background sending, as of the moment they were read.

    Attributes:
        queued: records waiting in the buffer (not yet sent, or being sent).
        delivered: records the agent acknowledged (stored now, or already stored: see ``duplicates``).
        duplicates: prediction events the agent already had (a retry whose first reply was lost).
        late: prediction events stored after their window had closed.
        rejected: records refused (each also given to ``on_rejected``).
        dropped: records dropped because the buffer was full (``on_full``), or unsent when ``close`` gave up.
        retries: requests retried after a connection error, 429 or 503.
        requests: ingest requests answered by the agent.
    """

    queued: int = 0
    delivered: int = 0
    duplicates: int = 0
    late: int = 0
    rejected: int = 0
    dropped: int = 0
    retries: int = 0
    requests: int = 0


@dataclass
class _Counters:
    delivered: int = 0
    duplicates: int = 0
    late: int = 0
    rejected: int = 0
    dropped: int = 0
    retries: int = 0
    requests: int = 0


@dataclass
class _Item:
    id: str
    line: bytes


Key = Tuple[str, str]  # (model, kind)


@dataclass
class _Batch:
    key: Key
    items: List[_Item] = field(default_factory=list)


class Sender:
    """A bounded buffer and the thread that empties it (started on the first record)."""

    def __init__(
        self,
        transport: Transport,
        *,
        batch_size: int,
        flush_interval: float,
        max_buffer: int,
        on_full: str,
        block_timeout: Optional[float],
        on_rejected: Optional[RejectionHandler],
        retry: RetryPolicy,
        keep_rejections: int = 1000,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if max_buffer < batch_size:
            raise ValueError("max_buffer must be at least batch_size")
        if on_full not in ("drop", "block"):
            raise ValueError("on_full is 'drop' or 'block'")
        if flush_interval <= 0:
            raise ValueError("flush_interval must be positive")
        self.transport = transport
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self.max_buffer = max_buffer
        self.on_full = on_full
        self.block_timeout = block_timeout
        self.on_rejected = on_rejected
        self.retry = retry
        self._cond = threading.Condition()
        self._queues: Dict[Key, Deque[_Item]] = {}
        self._queued = 0
        self._in_flight = 0
        self._flushers = 0
        self._draining = False
        self._closed = False
        self._abandon = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._counters = _Counters()
        self._rejections: Deque[Rejection] = deque(maxlen=keep_rejections)
        self._warned_full = False

    # Producers ---------------------------------------------------------------------------------------

    def put(self, model: str, kind: str, record_id: str, line: bytes) -> bool:
        """Queues one encoded record; ``False`` when it was dropped because the buffer is full."""
        with self._cond:
            if self._closed:
                raise ClientClosed("this Driftwatch client is closed")
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="driftwatch-sender", daemon=True)
                self._thread.start()
            if self._queued + self._in_flight >= self.max_buffer and not self._wait_for_room():
                self._counters.dropped += 1
                if not self._warned_full:
                    self._warned_full = True
                    logger.warning(
                        "driftwatch: the buffer of %d records is full (is the agent at %s away?); "
                        "records are dropped and counted in stats.dropped",
                        self.max_buffer,
                        self.transport.base_url,
                    )
                return False
            queue = self._queues.get((model, kind))
            if queue is None:
                queue = self._queues[(model, kind)] = deque()
            queue.append(_Item(record_id, line))
            self._queued += 1
            if len(queue) >= self.batch_size:
                self._cond.notify_all()
            return True

    def _wait_for_room(self) -> bool:
        """With the lock held: waits for room under ``on_full="block"``; whether there is room."""
        if self.on_full == "drop":
            return False
        deadline = None if self.block_timeout is None else time.monotonic() + self.block_timeout
        while self._queued + self._in_flight >= self.max_buffer:
            if self._closed:
                raise ClientClosed("this Driftwatch client is closed")
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            self._cond.wait(remaining)
        return True

    # Control -----------------------------------------------------------------------------------------

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Sends everything queued now and waits until it is delivered (or rejected); ``False`` on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            self._flushers += 1
            self._cond.notify_all()
            try:
                while self._queued or self._in_flight:
                    if self._thread is None or not self._thread.is_alive():
                        return False
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        return False
                    self._cond.wait(remaining)
                return True
            finally:
                self._flushers -= 1

    def close(self, timeout: Optional[float] = None) -> bool:
        """Sends what is queued (waiting at most ``timeout`` seconds), then stops the thread.

        Records still unsent when the timeout passes are counted as dropped and reported to
        ``on_rejected`` with code ``unsent``. ``True`` when everything was delivered or rejected by the agent.
        """
        with self._cond:
            if self._closed and self._thread is None:
                return True
            self._closed = True
            self._cond.notify_all()
        done = self.flush(timeout)
        if not done:
            self._abandon.set()
        thread = self._thread
        if thread is not None:
            thread.join(None if done else 5.0)
        with self._cond:
            leftovers = [(key, item) for key, queue in self._queues.items() for item in queue]
            self._queues.clear()
            self._queued = 0
            self._thread = None
            self._cond.notify_all()
        if leftovers:
            with self._cond:
                self._counters.dropped += len(leftovers)
            logger.warning("driftwatch: %d records were not sent before close() gave up", len(leftovers))
        for (model, kind), item in leftovers:
            self._reject_items(
                model, kind, [item], code="unsent", message="the client closed before the agent answered", count=False
            )
        self.transport.close()
        return done and not leftovers

    def stats(self) -> Stats:
        """A snapshot of the counters."""
        with self._cond:
            c = self._counters
            return Stats(
                queued=self._queued + self._in_flight,
                delivered=c.delivered,
                duplicates=c.duplicates,
                late=c.late,
                rejected=c.rejected,
                dropped=c.dropped,
                retries=c.retries,
                requests=c.requests,
            )

    def rejections(self) -> List[Rejection]:
        """The latest rejections (at most ``keep_rejections``), oldest first."""
        with self._cond:
            return list(self._rejections)

    # The thread --------------------------------------------------------------------------------------

    def _next_batch(self) -> Optional[_Batch]:
        """With the lock held: waits for a batch to send; ``None`` when closed and empty."""
        next_drain = time.monotonic() + self.flush_interval
        while True:
            if self._abandon.is_set():
                return None
            for key, queue in self._queues.items():
                if len(queue) >= self.batch_size:
                    return self._take(key)
            now = time.monotonic()
            if self._closed or self._flushers or now >= next_drain:
                self._draining = True
                next_drain = now + self.flush_interval
            if self._draining:
                for key, queue in self._queues.items():
                    if queue:
                        return self._take(key)
                self._draining = False
                self._cond.notify_all()  # flushers waiting on an empty buffer
                if self._closed:
                    return None
            self._cond.wait(max(0.0, next_drain - time.monotonic()))

    def _take(self, key: Key) -> _Batch:
        queue = self._queues[key]
        batch = _Batch(key)
        while queue and len(batch.items) < self.batch_size:
            batch.items.append(queue.popleft())
        if not queue:
            del self._queues[key]
        self._queued -= len(batch.items)
        self._in_flight = len(batch.items)
        return batch

    def _run(self) -> None:
        while True:
            with self._cond:
                batch = self._next_batch()
                if batch is None:
                    return
            try:
                self._deliver(batch.key, batch.items, first_pass=True)
            except Exception:  # a bug here must not kill the thread silently with records in flight
                logger.exception("driftwatch: sending a batch failed")
                self._reject_items(*batch.key, batch.items, code="client_error", message="sending failed (see log)")
            with self._cond:
                self._in_flight = 0
                self._cond.notify_all()

    def _deliver(self, key: Key, items: List[_Item], *, first_pass: bool) -> None:
        """Sends ``items`` until the agent answers; reports rejections; splits a body the agent finds too large."""
        model, kind = key
        body = b"".join(item.line + b"\n" for item in items)
        path = Transport.path("v1", "models", model, kind)
        attempt = 0
        while True:
            try:
                reply = self.transport.request("POST", path, body=body, content_type="application/x-ndjson")
                break
            except PayloadTooLarge as error:
                self._count(requests=1)
                return self._too_large(key, items, error, first_pass)
            except (AgentUnreachable, APIError) as error:
                if isinstance(error, APIError):
                    self._count(requests=1)
                if not is_retryable(error):
                    assert isinstance(error, APIError)
                    return self._reject_items(model, kind, items, code=error.code, message=error.message)
                if self._abandon.is_set():
                    with self._cond:
                        self._counters.dropped += len(items)
                    return self._reject_items(model, kind, items, code="unsent", message=str(error), count=False)
                attempt += 1
                delay = self.retry.backoff(attempt, retry_after_of(error))
                if attempt == 1 or attempt % 20 == 0:
                    logger.info("driftwatch: %s; retrying in %.1fs (attempt %d)", error, delay, attempt + 1)
                if self._abandon.wait(delay):
                    with self._cond:
                        self._counters.dropped += len(items)
                    return self._reject_items(model, kind, items, code="unsent", message=str(error), count=False)
                self._count(retries=1)
        self._count(requests=1)
        try:
            tally = reply.json()
        except ValueError:
            tally = None
        if not isinstance(tally, dict):
            logger.warning("driftwatch: the agent's ingest reply was not a JSON object: %r", reply.data[:200])
            tally = {"accepted": len(items)}
        listed = [r for r in tally.get("rejected") or [] if isinstance(r, dict)]
        count = int(tally.get("rejected_count", len(listed)) or 0)
        refused = set()
        for r in listed:
            line = r.get("line")
            if isinstance(line, int) and 1 <= line <= len(items) and line not in refused:
                refused.add(line)
                self._report(model, kind, items[line - 1], line, r.get("field"), str(r.get("message", "")))
        with self._cond:
            if first_pass:
                self._counters.duplicates += int(tally.get("duplicates", 0) or 0)
                self._counters.late += int(tally.get("late", 0) or 0)
        if count > len(refused) and refused:
            # The agent lists the first 100 rejections only: send the lines after the last one listed again
            # (a retry is idempotent) so every rejected line is named.
            last = max(refused)
            with self._cond:
                self._counters.delivered += last - len(refused)
            return self._deliver(key, items[last:], first_pass=False)
        if count > len(refused):
            logger.warning("driftwatch: the agent rejected %d lines without naming them", count - len(refused))
        with self._cond:
            self._counters.delivered += len(items) - len(refused)

    def _too_large(self, key: Key, items: List[_Item], error: PayloadTooLarge, first_pass: bool) -> None:
        model, kind = key
        if error.code == "line_too_large" and error.line is not None and 1 <= error.line <= len(items):
            bad = error.line - 1
            self._reject_items(model, kind, [items[bad]], code=error.code, message=error.message, line=error.line)
            rest = items[:bad] + items[bad + 1 :]
            if rest:
                self._deliver(key, rest, first_pass=first_pass)
            return
        if len(items) > 1:
            half = len(items) // 2
            self._deliver(key, items[:half], first_pass=first_pass)
            self._deliver(key, items[half:], first_pass=first_pass)
            return
        self._reject_items(model, kind, items, code=error.code, message=error.message)

    def _count(self, *, requests: int = 0, retries: int = 0) -> None:
        with self._cond:
            self._counters.requests += requests
            self._counters.retries += retries

    def _reject_items(
        self,
        model: str,
        kind: str,
        items: List[_Item],
        *,
        code: str,
        message: str,
        line: Optional[int] = None,
        count: bool = True,
    ) -> None:
        for item in items:
            self._report(model, kind, item, line, None, message, code=code, count=count)

    def _report(
        self,
        model: str,
        kind: str,
        item: _Item,
        line: Optional[int],
        field_name: Any,
        message: str,
        *,
        code: str = "rejected",
        count: bool = True,
    ) -> None:
        try:
            record = json.loads(item.line.decode("utf-8"))
        except ValueError:
            record = None
        rejection = Rejection(
            model=model,
            kind=kind,
            id=item.id,
            record=record if isinstance(record, dict) else None,
            line=line,
            field=field_name if isinstance(field_name, str) else None,
            message=message,
            code=code,
        )
        with self._cond:
            if count:
                self._counters.rejected += 1
            self._rejections.append(rejection)
        if self.on_rejected is None:
            logger.warning(
                "driftwatch: %s %s %r refused (%s%s): %s",
                model,
                kind,
                item.id,
                code,
                f", field {rejection.field}" if rejection.field else "",
                message,
            )
            return
        try:
            self.on_rejected(rejection)
        except Exception:
            logger.exception("driftwatch: the on_rejected callback raised")
