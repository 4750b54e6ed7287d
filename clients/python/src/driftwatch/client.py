"""The Driftwatch client: :class:`Driftwatch` (one agent) and :class:`Model` (one monitored model)."""

from __future__ import annotations

import atexit
import gzip
import os
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

from . import _encode
from ._sender import Rejection, RejectionHandler, Sender, Stats
from ._transport import RetryPolicy, Transport
from .errors import DriftwatchError

__all__ = ["Driftwatch", "Model"]

TimeArg = Union[datetime, str, timedelta, None]
PathArg = Union[str, "os.PathLike[str]"]


def _query_time(value: TimeArg) -> Optional[str]:
    """A ``from``/``to`` query value: a ``timedelta`` is that long ago; text is sent as it is."""
    if value is None:
        return None
    if isinstance(value, timedelta):
        return _encode.rfc3339(datetime.now(timezone.utc) - value)
    return _encode.rfc3339(value)


class Driftwatch:
    """A client of one Driftwatch agent.

    Prediction events and labels are buffered and sent in NDJSON batches by a background thread; queries
    (:meth:`Model.status`, :meth:`Model.metrics`, …) are synchronous. Use it as a context manager, or call
    :meth:`close`; an ``atexit`` hook flushes what is left (for at most ``close_timeout`` seconds).

    Args:
        url: the agent's base URL (``http://127.0.0.1:8080``; a path prefix is kept).
        token: the bearer token; ``None`` reads ``$DRIFTWATCH_TOKEN`` (none sent when that is unset too).
        timeout: seconds for one HTTP request.
        batch_size: records per ingest request (a model's predictions and labels are batched apart).
        flush_interval: seconds after which a partial batch is sent anyway.
        max_buffer: records held at most while waiting to be sent (queued plus in flight).
        on_full: what :meth:`Model.log` does when the buffer is full (the agent is away or slow):
            ``"drop"`` (default) drops the new record at once and counts it in ``stats().dropped`` — a
            serving path is never held up by monitoring; ``"block"`` waits for room (at most
            ``block_timeout`` seconds when given, then drops and counts).
        block_timeout: see ``on_full``.
        on_rejected: called (from the sender thread) with a :class:`Rejection` for every record the agent
            refused; when ``None`` each one is logged as a warning on the ``driftwatch`` logger. Either way
            they are counted in ``stats().rejected`` and the latest are kept in :meth:`rejections`.
        retry: back-off and attempts for retries (connection errors, 429, 502, 503, 504).
        close_timeout: how long :meth:`close` (and the ``atexit`` flush) waits for the agent by default.
    """

    def __init__(
        self,
        url: str = "http://127.0.0.1:8080",
        token: Optional[str] = None,
        *,
        timeout: float = 30.0,
        batch_size: int = 500,
        flush_interval: float = 1.0,
        max_buffer: int = 100_000,
        on_full: str = "drop",
        block_timeout: Optional[float] = None,
        on_rejected: Optional[RejectionHandler] = None,
        retry: Optional[RetryPolicy] = None,
        close_timeout: float = 10.0,
    ) -> None:
        if token is None:
            token = os.environ.get("DRIFTWATCH_TOKEN") or None
        self.retry = retry or RetryPolicy()
        self._transport = Transport(url, token, timeout, self.retry)
        self._sender = Sender(
            Transport(url, token, timeout, self.retry),
            batch_size=batch_size,
            flush_interval=flush_interval,
            max_buffer=max_buffer,
            on_full=on_full,
            block_timeout=block_timeout,
            on_rejected=on_rejected,
            retry=self.retry,
        )
        self.close_timeout = close_timeout
        self._models: Dict[str, Model] = {}
        self._closed = False
        self._atexit = _register_atexit(self._sender, close_timeout)

    @property
    def url(self) -> str:
        """The agent's base URL."""
        return self._transport.base_url

    def model(self, name: str, *, model_version: Optional[str] = None) -> "Model":
        """The model called ``name`` (as configured or registered in the agent).

        ``model_version`` is put on every event logged through it that does not name its own.
        """
        key = f"{name}\0{model_version or ''}"
        found = self._models.get(key)
        if found is None:
            found = self._models[key] = Model(self, name, model_version=model_version)
        return found

    # Sending -------------------------------------------------------------------------------------------

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Sends every buffered record and waits until the agent answered for each (delivered or rejected).

        Returns ``False`` when ``timeout`` seconds passed first (the records stay buffered and keep being
        retried).
        """
        return self._sender.flush(timeout)

    def close(self, timeout: Optional[float] = None) -> bool:
        """Flushes (waiting at most ``timeout``, default ``close_timeout`` seconds) and stops the sender.

        What is still unsent then is counted in ``stats().dropped`` and reported to ``on_rejected`` with code
        ``unsent``. Returns ``True`` when nothing was left unsent. Closing twice is harmless.
        """
        if self._closed:
            return True
        self._closed = True
        atexit.unregister(self._atexit)
        done = self._sender.close(self.close_timeout if timeout is None else timeout)
        self._transport.close()
        return done

    def __enter__(self) -> "Driftwatch":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def stats(self) -> Stats:
        """Counters of the background sending (queued, delivered, rejected, dropped, retries, …)."""
        return self._sender.stats()

    def rejections(self) -> List[Rejection]:
        """The latest records the agent refused (the last 1,000), oldest first."""
        return self._sender.rejections()

    # Queries -------------------------------------------------------------------------------------------

    def _get_json(self, path: str, query: Optional[Mapping[str, Optional[str]]] = None) -> Any:
        return self._transport.request_with_retries("GET", path, query=query).json()

    def health(self) -> bool:
        """Whether the agent process answers ``/healthz``."""
        self._transport.request_with_retries("GET", "/healthz")
        return True

    def ready(self) -> bool:
        """Whether the agent answers ``/readyz`` with 200 (its database answers, its schema is current).

        One attempt, no retries: ``False`` when it is unready or unreachable.
        """
        try:
            self._transport.request("GET", "/readyz")
            return True
        except DriftwatchError:
            return False

    def models(self) -> List[Dict[str, Any]]:
        """The models the agent knows (configured and registered), with their settings."""
        reply = self._get_json("/v1/models")
        if isinstance(reply, dict) and isinstance(reply.get("models"), list):
            return list(reply["models"])
        return list(reply) if isinstance(reply, list) else [reply]

    def alerts(self, state: str = "open", model: Optional[str] = None) -> List[Dict[str, Any]]:
        """Alerts (``state`` ``"open"`` or ``"all"``), of one model or of all."""
        reply = self._get_json("/v1/alerts", {"state": state, "model": model})
        return list(reply.get("alerts", [])) if isinstance(reply, dict) else []

    def retrain_job(self, job_id: int) -> Dict[str, Any]:
        """A retraining job: status, attempts, timings, result or error."""
        return dict(self._get_json(Transport.path("v1", "retrain-jobs", str(job_id))))


class Model:
    """One monitored model of an agent; obtained with :meth:`Driftwatch.model`."""

    def __init__(self, client: Driftwatch, name: str, *, model_version: Optional[str] = None) -> None:
        self.client = client
        self.name = name
        self.model_version = model_version

    def __repr__(self) -> str:
        return f"Model({self.name!r} at {self.client.url})"

    def _path(self, *rest: str) -> str:
        return Transport.path("v1", "models", self.name, *rest)

    # Logging -------------------------------------------------------------------------------------------

    def log(
        self,
        *,
        features: Mapping[str, Any],
        prediction: Any = None,
        id: Optional[Any] = None,
        score: Optional[float] = None,
        scores: Optional[Mapping[Any, float]] = None,
        latency_ms: Optional[float] = None,
        timestamp: Optional[_encode.TimeLike] = None,
        model_version: Optional[str] = None,
    ) -> str:
        """Buffers one prediction event; returns its id (a new UUID when ``id`` is not given).

        ``timestamp`` (event time) defaults to now and is fixed here, so a retried send is recognised by
        the agent as the same event. ``score`` is a binary model's probability of its positive class,
        ``scores`` a multiclass model's probability per class. Values may be NumPy or pandas scalars;
        ``NaN`` and ``None`` are missing values. The agent checks the event against the model's schema
        when it arrives: a refused event goes to ``on_rejected``.

        Returns the id even when the record was dropped because the buffer was full (see ``on_full``).
        """
        record = self._event(
            features=features,
            prediction=prediction,
            id=id,
            score=score,
            scores=scores,
            latency_ms=latency_ms,
            timestamp=timestamp,
            model_version=model_version,
        )
        record_id: str = record["id"]
        self.client._sender.put(self.name, "predictions", record_id, _encode.dumps(record))
        return record_id

    def _event(
        self,
        *,
        features: Mapping[str, Any],
        prediction: Any = None,
        id: Optional[Any] = None,
        score: Any = None,
        scores: Optional[Mapping[Any, Any]] = None,
        latency_ms: Any = None,
        timestamp: Optional[_encode.TimeLike] = None,
        model_version: Optional[str] = None,
    ) -> Dict[str, Any]:
        if not isinstance(features, Mapping):
            raise TypeError(f"features must be a mapping of name to value, not {type(features).__name__}")
        if score is not None and scores is not None:
            raise ValueError("give score (a binary model's probability) or scores (per class), not both")
        record: Dict[str, Any] = {
            "id": _record_id(id),
            "timestamp": _encode.rfc3339(timestamp),
            "features": _encode.features(features),
        }
        prediction = _encode.scalar(prediction)
        if prediction is not None:
            record["prediction"] = prediction
        s = _encode.number(score, "score")
        if s is not None:
            record["score"] = s
        if scores is not None:
            record["scores"] = {str(_encode.scalar(k)): _encode.number(v, "scores") for k, v in scores.items()}
        latency = _encode.number(latency_ms, "latency_ms")
        if latency is not None:
            record["latency_ms"] = latency
        version = model_version if model_version is not None else self.model_version
        if version is not None:
            record["model_version"] = str(version)
        return record

    def label(
        self,
        id: Any,
        label: Any = None,
        *,
        value: Optional[float] = None,
        timestamp: Optional[_encode.TimeLike] = None,
    ) -> None:
        """Buffers the ground truth of prediction ``id``: a class ``label``, or a regression ``value``.

        Labels join their prediction whenever they arrive (before it, too); a later label for the same id
        replaces the earlier one. ``timestamp`` (when the truth became known) defaults to now.
        """
        record = self._label(id, label, value=value, timestamp=timestamp)
        self.client._sender.put(self.name, "labels", record["id"], _encode.dumps(record))

    def _label(
        self, id: Any, label: Any = None, *, value: Any = None, timestamp: Optional[_encode.TimeLike] = None
    ) -> Dict[str, Any]:
        label = _encode.scalar(label)
        number = _encode.number(value, "value")
        if (label is None) == (number is None):
            raise ValueError("give a label (classification) or a value (regression): exactly one")
        record: Dict[str, Any] = {"id": _record_id(id), "timestamp": _encode.rfc3339(timestamp)}
        if label is not None:
            record["label"] = label
        else:
            record["value"] = number
        return record

    def log_batch(self, records: Iterable[Mapping[str, Any]]) -> List[str]:
        """Buffers many prediction events, each a mapping of :meth:`log`'s arguments; returns their ids.

        Every record is checked before any is buffered, so a bad one (a ``TypeError`` or ``ValueError``)
        buffers nothing.
        """
        events = [self._event(**dict(r)) for r in records]
        return self._put_all("predictions", events)

    def label_batch(self, records: Iterable[Mapping[str, Any]]) -> int:
        """Buffers many labels, each a mapping of ``id`` and ``label`` or ``value`` (``timestamp``
        optional); returns how many."""
        labels = []
        for r in records:
            r = dict(r)
            labels.append(self._label(r.pop("id"), r.pop("label", None), **r))
        return len(self._put_all("labels", labels))

    def _put_all(self, kind: str, records: List[Dict[str, Any]]) -> List[str]:
        lines = [(r["id"], _encode.dumps(r)) for r in records]
        for record_id, line in lines:
            self.client._sender.put(self.name, kind, record_id, line)
        return [record_id for record_id, _ in lines]

    def log_dataframe(
        self,
        df: Any,
        *,
        id_column: Optional[str] = None,
        timestamp_column: Optional[str] = None,
        prediction_column: Optional[str] = None,
        score_column: Optional[str] = None,
        scores_columns: Optional[Mapping[Any, str]] = None,
        latency_column: Optional[str] = None,
        model_version_column: Optional[str] = None,
        feature_columns: Optional[Iterable[str]] = None,
    ) -> List[str]:
        """Buffers one prediction event per row of a pandas DataFrame; returns their ids.

        The named columns become the event's fields; every other column is a feature (or only
        ``feature_columns``). ``scores_columns`` maps each class to the column of its probability. Without
        ``id_column`` ids are new UUIDs; without ``timestamp_column`` the event time is now (a time without
        a zone is taken as UTC).
        """
        from .frames import prediction_records

        records = prediction_records(
            df,
            id_column=id_column,
            timestamp_column=timestamp_column,
            prediction_column=prediction_column,
            score_column=score_column,
            scores_columns=scores_columns,
            latency_column=latency_column,
            model_version_column=model_version_column,
            feature_columns=feature_columns,
        )
        return self.log_batch(records)

    def labels_dataframe(
        self,
        df: Any,
        *,
        id_column: str = "id",
        label_column: Optional[str] = None,
        value_column: Optional[str] = None,
        timestamp_column: Optional[str] = None,
    ) -> int:
        """Buffers one label per row of a pandas DataFrame: ids from ``id_column``, class labels from
        ``label_column`` or regression values from ``value_column`` (default: a ``label`` column, else a
        ``value`` column); returns how many."""
        from .frames import label_records

        return self.label_batch(
            label_records(
                df,
                id_column=id_column,
                label_column=label_column,
                value_column=value_column,
                timestamp_column=timestamp_column,
            )
        )

    # Reference -----------------------------------------------------------------------------------------

    def set_reference(self, source: Any, *, name: Optional[str] = None) -> Dict[str, Any]:
        """Makes ``source`` the model's reference; returns the agent's summary of it.

        ``source`` is a path to a CSV or NDJSON file (``.csv``, ``.ndjson``, ``.jsonl``; gzipped with
        ``.gz`` too), a pandas DataFrame, or an iterable of mappings (one row each). It needs a column per
        feature; ``prediction`` and ``score`` columns are compared too. ``name`` is recorded as the
        reference's source (default: the file name, or ``upload``).
        """
        body, content_type, default_name = _reference_body(source)
        reply = self.client._transport.request_with_retries(
            "PUT",
            self._path("reference"),
            query={"source": name or default_name},
            body=body,
            content_type=content_type,
        )
        return dict(reply.json())

    def reference(self) -> Dict[str, Any]:
        """The current reference's summary (raises :class:`~driftwatch.errors.NotFound` when none)."""
        return dict(self.client._get_json(self._path("reference")))

    # Queries -------------------------------------------------------------------------------------------

    def describe(self) -> Dict[str, Any]:
        """The model's settings as the agent has them."""
        return dict(self.client._get_json(self._path()))

    def status(self) -> Dict[str, Any]:
        """The open window (events, figures), the last closed window, the reference and the open alerts."""
        return dict(self.client._get_json(self._path("status")))

    def metrics(
        self,
        metric: str,
        *,
        feature: Optional[str] = None,
        method: Optional[str] = None,
        since: TimeArg = None,
        until: TimeArg = None,
        as_frame: Optional[bool] = None,
    ) -> Any:
        """A stored time series of closed windows: one point per window (``window_start``, ``window_end``,
        ``value``, and ``feature``, ``method``, ``class``, ``threshold``, ``drift``, ``label_coverage`` where
        they apply), oldest first.

        ``since``/``until`` are datetimes, RFC 3339 text, or a ``timedelta`` (that long ago); the agent's
        default is the last 7 days. Returns a list of dicts, or a pandas DataFrame (window times as UTC
        datetimes) when pandas is installed and ``as_frame`` is not ``False``.
        """
        reply = self.client._get_json(
            self._path("metrics"),
            {
                "metric": metric,
                "feature": feature,
                "method": method,
                "from": _query_time(since),
                "to": _query_time(until),
            },
        )
        points = list(reply.get("points", [])) if isinstance(reply, dict) else []
        if as_frame is False:
            return points
        from .frames import pandas_or_none, points_frame

        if pandas_or_none() is None:
            if as_frame:
                raise ImportError("metrics(as_frame=True) needs pandas (pip install pandas)")
            return points
        return points_frame(points)

    def alerts(self, state: str = "open") -> List[Dict[str, Any]]:
        """This model's alerts (``state`` ``"open"`` or ``"all"``)."""
        return self.client.alerts(state=state, model=self.name)

    def report(
        self, path: Optional[PathArg] = None, *, since: TimeArg = None, until: TimeArg = None
    ) -> Union[Path, str]:
        """The model's self-contained HTML report: written to ``path`` (returned as a ``Path``), or returned
        as text when ``path`` is ``None``."""
        reply = self.client._transport.request_with_retries(
            "GET", self._path("report"), query={"from": _query_time(since), "to": _query_time(until)}
        )
        if path is None:
            return reply.data.decode("utf-8")
        target = Path(path)
        target.write_bytes(reply.data)
        return target

    def retrain(self, wait: bool = True, *, timeout: float = 3600.0, poll_interval: float = 1.0) -> Dict[str, Any]:
        """Queues a retraining job (or finds the one already queued or running).

        With ``wait``, polls the job until it has ``succeeded`` or ``failed`` and returns it (``status``,
        ``result`` with the decision and both scores, or ``error``); raises ``TimeoutError`` after
        ``timeout`` seconds. Without, returns the agent's answer (``job_id``, ``queued``). When the model
        is cooling down after its last job, ``job_id`` is ``None`` and nothing is waited for.
        """
        reply = dict(self.client._transport.request_with_retries("POST", self._path("retrain")).json())
        job_id = reply.get("job_id")
        if not wait or job_id is None:
            return reply
        deadline = time.monotonic() + timeout
        while True:
            job = self.client.retrain_job(int(job_id))
            if job.get("status") in ("succeeded", "failed"):
                return job
            if time.monotonic() >= deadline:
                raise TimeoutError(f"retraining job {job_id} of {self.name} is still {job.get('status')}")
            time.sleep(poll_interval)


def _record_id(value: Any) -> str:
    if value is None:
        return uuid.uuid4().hex
    value = _encode.scalar(value)
    if value is None or value == "":
        raise ValueError("an id must not be empty")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))  # an id column pandas read as floats: 50000.0 is the id 50000, as for the agent
    return value if isinstance(value, str) else str(value)


def _reference_body(source: Any) -> "tuple[bytes, Optional[str], str]":
    """The body, content type and default name of a reference upload."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        data = path.read_bytes()
        suffixes = [s.lower() for s in path.suffixes]
        if suffixes and suffixes[-1] == ".gz":
            data = gzip.decompress(data)
            suffixes = suffixes[:-1]
        kind = suffixes[-1] if suffixes else ""
        content_type = {".csv": "text/csv", ".ndjson": "application/x-ndjson", ".jsonl": "application/x-ndjson"}
        return data, content_type.get(kind), f"file:{path.name}"
    if hasattr(source, "to_csv") and hasattr(source, "columns"):
        return source.to_csv(index=False).encode("utf-8"), "text/csv", "upload"
    if isinstance(source, Iterable):
        rows = b"".join(_encode.dumps(_encode.features(dict(r))) + b"\n" for r in source)
        return rows, "application/x-ndjson", "upload"
    raise TypeError(f"a reference is a path, a DataFrame or rows of mappings, not {type(source).__name__}")


def _register_atexit(sender: Sender, timeout: float) -> Any:
    """Registers a flush of ``sender`` at interpreter exit (a client dropped without ``close`` is flushed)."""

    def close_at_exit() -> None:
        sender.close(timeout)

    atexit.register(close_at_exit)
    return close_at_exit
