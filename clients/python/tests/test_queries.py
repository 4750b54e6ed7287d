"""Synchronous calls against the session's real agent: typed errors, reference, status, series, report,
alerts, retraining."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from conftest import REPO

from driftwatch import BadRequest, Driftwatch, NotFound, Unauthorized

REFERENCE = REPO / "Examples" / "car_loan" / "car_loan_reference.csv.gz"


def test_an_unknown_model_raises_not_found_with_the_agents_code(agent):
    with Driftwatch(agent.url, agent.token) as dw:
        with pytest.raises(NotFound) as caught:
            dw.model("no_such_model").status()
    error = caught.value
    assert (error.status, error.code) == (404, "unknown_model")
    assert "no_such_model" in error.message


def test_a_bad_query_parameter_raises_bad_request_naming_the_field(agent):
    with Driftwatch(agent.url, agent.token) as dw:
        with pytest.raises(BadRequest) as caught:
            dw.model("batching").metrics("volume", since="last tuesday")
    assert (caught.value.status, caught.value.field) == (400, "from")
    assert caught.value.to_dict()["field"] == "from"


def test_a_wrong_token_raises_unauthorized(agent):
    with Driftwatch(agent.url, "not-the-token") as dw:
        with pytest.raises(Unauthorized) as caught:
            dw.model("batching").status()
    assert caught.value.code == "unauthorized"


def test_a_reference_file_is_uploaded_gzipped_csv_and_all(agent):
    with Driftwatch(agent.url, agent.token) as dw:
        model = dw.model("car_loan")
        summary = model.set_reference(REFERENCE)
        assert summary["rows"] == 50_000
        assert model.reference()["source"] == summary["source"]
        assert model.status()["reference"]["rows"] == 50_000


def test_a_reference_missing_a_feature_column_raises_bad_request(agent):
    rows = [{"x": float(i)} for i in range(20)]  # no "color"
    with Driftwatch(agent.url, agent.token) as dw:
        with pytest.raises(BadRequest) as caught:
            dw.model("batching").set_reference(rows)
    assert caught.value.code == "invalid_reference"


def test_metrics_without_pandas_frames_is_a_list_of_points(agent):
    with Driftwatch(agent.url, agent.token) as dw:
        points = dw.model("batching").metrics("volume", since=datetime(2000, 1, 1, tzinfo=timezone.utc), as_frame=False)
    assert isinstance(points, list)


def test_the_report_is_written_to_a_file(agent, tmp_path):
    with Driftwatch(agent.url, agent.token) as dw:
        written = dw.model("batching").report(tmp_path / "report.html")
    assert written == tmp_path / "report.html"
    assert written.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_alerts_and_models_are_lists(agent):
    with Driftwatch(agent.url, agent.token) as dw:
        assert isinstance(dw.alerts(state="all"), list)
        assert dw.model("batching").alerts() == []
        assert "batching" in {m.get("name") for m in dw.models()}
        assert dw.ready() and dw.health()


def test_retrain_waits_for_the_job_to_finish(agent):
    with Driftwatch(agent.url, agent.token) as dw:
        job = dw.model("monitored").retrain(wait=True, timeout=120, poll_interval=0.2)
    # No labelled traffic yet: the built-in trainer's job fails, saying why.
    assert job["status"] == "failed"
    assert "labelled" in (job["error"] or "")
