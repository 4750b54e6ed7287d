"""Buffered sending against the session's real agent: batching, retries through a restart, rejections."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from conftest import wait_until

from driftwatch import Driftwatch, RetryPolicy

FAST_RETRY = RetryPolicy(max_attempts=4, initial_backoff=0.05, max_backoff=0.5)


def test_full_batches_are_sent_without_a_flush_and_the_rest_on_flush(agent, fresh_ids):
    ids = fresh_ids(25)
    with Driftwatch(agent.url, agent.token, batch_size=10, flush_interval=3600) as dw:
        model = dw.model("batching")
        for i, pid in enumerate(ids):
            model.log(id=pid, features={"x": float(i), "color": "red"}, prediction=i % 2, score=0.5)
        wait_until(lambda: dw.stats().delivered == 20, what="two full batches of 10")
        assert dw.stats().requests == 2
        assert dw.stats().queued == 5
        assert dw.flush(timeout=60)
        stats = dw.stats()
    assert (stats.requests, stats.delivered, stats.queued, stats.rejected) == (3, 25, 0, 0)
    assert agent.events_in_open_window("batching") >= 25


def test_a_partial_batch_is_sent_after_the_flush_interval(agent, fresh_ids):
    ids = fresh_ids(3)
    with Driftwatch(agent.url, agent.token, batch_size=1000, flush_interval=0.1) as dw:
        model = dw.model("batching")
        for pid in ids:
            model.log(id=pid, features={"x": 1.0, "color": "blue"}, prediction=1)
        wait_until(lambda: dw.stats().delivered == 3, what="the timer to send 3 records")
        assert dw.stats().requests == 1


def test_records_logged_while_the_agent_is_stopped_arrive_once_after_it_restarts(agent, fresh_ids):
    before, during = fresh_ids(5), fresh_ids(30)[5:]
    with Driftwatch(agent.url, agent.token, batch_size=10, flush_interval=0.05, retry=FAST_RETRY) as dw:
        model = dw.model("restart")
        for pid in before:
            model.log(id=pid, features={"x": 1.0, "color": "red"}, prediction=1, score=0.9)
        assert dw.flush(timeout=60)
        agent.stop()
        try:
            for i, pid in enumerate(during):
                model.log(id=pid, features={"x": float(i), "color": "green"}, prediction=i % 2, score=0.4)
                model.label(pid, i % 2)
            wait_until(lambda: dw.stats().retries >= 2, what="the sender to retry while the agent is away")
            assert dw.stats().queued == 50
            assert not dw.flush(timeout=0.2)
        finally:
            agent.start()
        assert dw.flush(timeout=120)
        stats = dw.stats()
    assert (stats.delivered, stats.rejected, stats.dropped, stats.queued) == (55, 0, 0, 0)
    # Through the agent: every event is stored once, and the restarted process took each record exactly once.
    assert agent.events_in_open_window("restart") == 30
    accepted = {"model": "restart", "outcome": "accepted"}
    assert agent.counter("driftwatch_ingest_events_total", kind="predictions", **accepted) == 25
    assert agent.counter("driftwatch_ingest_events_total", kind="labels", **accepted) == 25
    duplicates = {"model": "restart", "outcome": "duplicate"}
    assert agent.counter("driftwatch_ingest_events_total", kind="predictions", **duplicates) == 0


def test_each_refused_line_is_reported_with_its_field_and_the_good_lines_are_kept(agent, fresh_ids, recorded):
    ids = fresh_ids(5)
    future = datetime.now(timezone.utc) + timedelta(days=2)
    with Driftwatch(agent.url, agent.token, on_rejected=recorded["rejections"].append) as dw:
        model = dw.model("rejections")
        model.log(id=ids[0], features={"x": 1.0, "color": "red"}, prediction=1)
        model.log(id=ids[1], features={"x": "not a number", "color": "red"}, prediction=1)
        model.log(id=ids[2], features={"x": 2.0, "color": "red"}, prediction=0)
        model.log(id=ids[3], features={"x": 3.0, "color": "red"}, prediction=0, timestamp=future)
        model.log(id=ids[4], features={"x": 4.0, "color": "red"}, prediction=1)
        assert dw.flush(timeout=60)
        stats = dw.stats()
    rejections = sorted(recorded["rejections"], key=lambda r: r.line)
    assert [(r.id, r.line, r.field, r.code) for r in rejections] == [
        (ids[1], 2, "features.x", "rejected"),
        (ids[3], 4, "timestamp", "rejected"),
    ]
    assert all(r.message and r.model == "rejections" and r.kind == "predictions" for r in rejections)
    assert rejections[0].record is not None and rejections[0].record["features"]["x"] == "not a number"
    assert (stats.delivered, stats.rejected) == (3, 2)


def test_more_than_the_hundred_rejections_an_answer_lists_are_all_reported(agent, fresh_ids, recorded):
    ids = fresh_ids(250)
    bad = {pid for i, pid in enumerate(ids) if i % 5 != 0}  # 200 bad lines in one batch of 250
    with Driftwatch(agent.url, agent.token, batch_size=250, on_rejected=recorded["rejections"].append) as dw:
        model = dw.model("rejections")
        for pid in ids:
            model.log(id=pid, features={"x": "bad" if pid in bad else 1.0, "color": "red"}, prediction=1)
        assert dw.flush(timeout=60)
        stats = dw.stats()
    assert {r.id for r in recorded["rejections"]} == bad
    assert len(recorded["rejections"]) == 200
    assert (stats.delivered, stats.rejected) == (50, 200)


def test_a_request_the_agent_refuses_whole_reports_every_record_with_its_code(agent, fresh_ids, recorded):
    ids = fresh_ids(3)
    with Driftwatch(agent.url, agent.token, on_rejected=recorded["rejections"].append) as dw:
        model = dw.model("no_such_model")
        for pid in ids:
            model.log(id=pid, features={"x": 1.0}, prediction=1)
        assert dw.flush(timeout=60)
        assert dw.stats().rejected == 3
    assert sorted(r.id for r in recorded["rejections"]) == sorted(ids)
    assert {r.code for r in recorded["rejections"]} == {"unknown_model"}


def test_labels_the_agent_refuses_are_reported(agent, fresh_ids, recorded):
    ids = fresh_ids(2)
    with Driftwatch(agent.url, agent.token, on_rejected=recorded["rejections"].append) as dw:
        model = dw.model("rejections")
        model.label(ids[0], 1)
        model.label(ids[1], 1, timestamp="yesterday")
        assert dw.flush(timeout=60)
        assert (dw.stats().delivered, dw.stats().rejected) == (1, 1)
    [rejection] = recorded["rejections"]
    assert (rejection.id, rejection.kind, rejection.field, rejection.line) == (ids[1], "labels", "timestamp", 2)
