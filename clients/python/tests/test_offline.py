"""What the client does on its own: the buffer's policy when the agent is away, Retry-After, encoding,
and `monitored` on a plain estimator. These need no agent (a closed port, or a stub HTTP server)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator, List

import pytest
from conftest import free_port, wait_until

from driftwatch import ClientClosed, Driftwatch, RetryPolicy, monitored
from driftwatch._encode import rfc3339, scalar
from driftwatch._transport import parse_retry_after

SLOW_RETRY = RetryPolicy(max_attempts=2, initial_backoff=0.05, max_backoff=0.05)


def test_a_full_buffer_drops_new_records_and_counts_them():
    dw = Driftwatch(f"http://127.0.0.1:{free_port()}", batch_size=5, max_buffer=5, retry=SLOW_RETRY)
    model = dw.model("m")
    for i in range(8):
        model.log(features={"x": i})
    assert dw.stats().dropped == 3
    assert dw.stats().queued == 5
    assert not dw.close(timeout=0.1)
    assert dw.stats().dropped == 8
    assert {r.code for r in dw.rejections()} == {"unsent"}


def test_a_full_buffer_blocks_for_block_timeout_then_drops():
    dw = Driftwatch(
        f"http://127.0.0.1:{free_port()}",
        batch_size=2,
        max_buffer=2,
        on_full="block",
        block_timeout=0.05,
        retry=SLOW_RETRY,
    )
    model = dw.model("m")
    model.log(features={"x": 1})
    model.log(features={"x": 2})
    model.log(features={"x": 3})
    assert dw.stats().dropped == 1
    dw.close(timeout=0.1)


def test_logging_after_close_raises():
    dw = Driftwatch(f"http://127.0.0.1:{free_port()}")
    dw.close()
    with pytest.raises(ClientClosed):
        dw.model("m").log(features={"x": 1})


class _StubAgent(BaseHTTPRequestHandler):
    """Answers 503 with `Retry-After: 0` to the first `busy` ingest requests, then a tally."""

    busy = 2
    bodies: List[bytes] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).bodies.append(body)
        if type(self).busy > 0:
            type(self).busy -= 1
            reply = b'{"error":{"code":"overloaded","message":"busy"}}'
            self.send_response(503)
            self.send_header("Retry-After", "0")
        else:
            lines = body.count(b"\n")
            reply = json.dumps({"accepted": lines, "duplicates": 0, "late": 0, "rejected_count": 0, "rejected": []})
            reply = reply.encode()
            self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def stub() -> Iterator[ThreadingHTTPServer]:
    _StubAgent.busy, _StubAgent.bodies = 2, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StubAgent)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_503_is_retried_after_the_agents_retry_after_not_the_backoff(stub):
    # A back-off of an hour: only honouring `Retry-After: 0` lets the flush finish.
    patient = RetryPolicy(initial_backoff=3600, max_backoff=3600)
    with Driftwatch(f"http://127.0.0.1:{stub.server_address[1]}", retry=patient) as dw:
        dw.model("m").log(id="a", features={"x": 1}, timestamp="2024-01-01T00:00:00Z")
        assert dw.flush(timeout=60)
        assert (dw.stats().retries, dw.stats().delivered) == (2, 1)
    # Each retry sent the same line: same id, same timestamp.
    assert len(set(_StubAgent.bodies)) == 1 and len(_StubAgent.bodies) == 3


def test_retry_after_reads_seconds_and_http_dates():
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(None) is None
    later = (datetime.now(timezone.utc) + timedelta(seconds=120)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert 0 < (parse_retry_after(later) or 0) <= 120


def test_values_become_json_scalars_and_missing_values_null():
    assert scalar(float("nan")) is None and scalar(math.inf) is None
    assert scalar(True) is True and scalar(3) == 3 and scalar("a") == "a"
    assert rfc3339(datetime(2024, 5, 1, 12, 0)) == "2024-05-01T12:00:00.000000Z"
    assert rfc3339(0) == "1970-01-01T00:00:00.000000Z"


class _Threshold:
    """A stand-in estimator: class 1 when the first value is positive."""

    classes_ = [0, 1]

    def predict(self, X):
        return [1 if row[0] > 0 else 0 for row in X]

    def predict_proba(self, X):
        return [[0.2, 0.8] if row[0] > 0 else [0.9, 0.1] for row in X]


def test_monitored_logs_each_row_with_its_features_prediction_score_and_latency(stub):
    _StubAgent.busy = 0
    with Driftwatch(f"http://127.0.0.1:{stub.server_address[1]}") as dw:
        clf = monitored(_Threshold(), dw.model("m"), feature_names=["a", "b"])
        assert clf.predict_proba([[1.0, 2.0], [-1.0, 0.5]], ids=["p1", "p2"]).__len__() == 2
        assert clf.predict([[3.0, 0.0]]) == [1]
        assert clf.classes_ == [0, 1]
        assert len(clf.last_ids) == 1
        assert dw.flush(timeout=60)
    events = [json.loads(line) for body in _StubAgent.bodies for line in body.splitlines()]
    assert [e["id"] for e in events[:2]] == ["p1", "p2"]
    assert events[0]["features"] == {"a": 1.0, "b": 2.0}
    assert (events[0]["prediction"], events[0]["score"]) == (1, 0.8)
    assert (events[1]["prediction"], events[1]["score"]) == (0, 0.1)
    assert events[2]["prediction"] == 1 and "score" not in events[2]
    assert all(e["latency_ms"] >= 0 for e in events)


def test_the_sender_thread_sends_from_the_buffer_in_the_background(stub):
    _StubAgent.busy = 0
    with Driftwatch(f"http://127.0.0.1:{stub.server_address[1]}", batch_size=2, flush_interval=3600) as dw:
        model = dw.model("m")
        model.log(features={"x": 1})
        model.label("p", value=2.5)
        model.log(features={"x": 2})
        wait_until(lambda: dw.stats().delivered == 2, what="the predictions' full batch")
        assert dw.stats().queued == 1


def test_records_left_in_the_buffer_are_sent_at_interpreter_exit(stub):
    _StubAgent.busy = 0
    script = (
        "from driftwatch import Driftwatch\n"
        f"dw = Driftwatch('http://127.0.0.1:{stub.server_address[1]}', flush_interval=3600)\n"
        "dw.model('m').log(id='at-exit', features={'x': 1})\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    assert [json.loads(line)["id"] for body in _StubAgent.bodies for line in body.splitlines()] == ["at-exit"]
