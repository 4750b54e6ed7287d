"""The parts that use pandas and scikit-learn, against the session's real agent; each is skipped, saying
so, when its package is not installed (CI installs neither)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from conftest import REPO, wait_until

from driftwatch import Driftwatch, monitored

CAR_LOAN = REPO / "Examples" / "car_loan"
SINCE = datetime(2018, 1, 1, tzinfo=timezone.utc)
UNTIL = datetime(2020, 1, 1, tzinfo=timezone.utc)


def test_a_dataframe_of_predictions_and_labels_comes_back_as_window_series(agent):
    pd = pytest.importorskip("pandas", reason="pandas is not installed: the DataFrame round trip is not exercised")
    events = pd.read_csv(CAR_LOAN / "car_loan_analysis.csv.gz", nrows=1000)
    events["timestamp"] = pd.to_datetime(events["timestamp"])
    truth = pd.read_csv(CAR_LOAN / "car_loan_analysis_target.csv.gz", nrows=1000)
    reference = pd.read_csv(CAR_LOAN / "car_loan_reference.csv.gz", nrows=5000)
    with Driftwatch(agent.url, agent.token) as dw:
        model = dw.model("car_loan")
        assert model.set_reference(reference)["rows"] == 5000
        ids = model.log_dataframe(
            events,
            id_column="id",
            timestamp_column="timestamp",
            prediction_column="y_pred",
            score_column="y_pred_proba",
        )
        assert model.labels_dataframe(truth, id_column="id", label_column="repaid") == 1000
        assert dw.flush(timeout=120)
        assert (dw.stats().delivered, dw.stats().rejected) == (2000, 0)
        assert ids[:2] == [str(i) for i in events["id"][:2]]

        # Windows of 200 events: the first 4 close once later events are stored (the 5th may stay open).
        volume = wait_until(
            lambda: (lambda f: f if len(f) >= 4 else None)(model.metrics("volume", since=SINCE, until=UNTIL)),
            what="4 closed windows",
        )
        assert isinstance(volume, pd.DataFrame)
        dtype = str(volume["window_start"].dtype)
        assert dtype.startswith("datetime64[") and "UTC" in dtype
        assert set(volume["value"]) == {200.0}
        accuracy = wait_until(
            lambda: (lambda f: f if len(f) >= 4 and (f["label_coverage"] == 1).all() else None)(
                model.metrics("accuracy", since=SINCE, until=UNTIL)
            ),
            what="realized accuracy of 4 fully labelled windows",
        )
        assert ((accuracy["value"] > 0.5) & (accuracy["value"] <= 1)).all()


def test_monitored_logs_a_scikit_learn_models_predictions(agent, fresh_ids):
    linear_model = pytest.importorskip(
        "sklearn.linear_model", reason="scikit-learn is not installed: monitored() on a real model is not exercised"
    )
    np = pytest.importorskip("numpy")
    rng = np.random.default_rng(7)
    X = rng.normal(size=(300, 4))
    y = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
    estimator = linear_model.LogisticRegression().fit(X, y)
    ids = fresh_ids(30)
    before = agent.events_in_open_window("monitored")
    with Driftwatch(agent.url, agent.token) as dw:
        clf = monitored(estimator, dw.model("monitored"), feature_names=["x0", "x1", "x2", "x3"])
        probabilities = clf.predict_proba(X[:20], ids=ids[:20])
        predictions = clf.predict(X[20:30], ids=ids[20:])
        assert probabilities.shape == (20, 2) and predictions.shape == (10,)
        assert clf.score(X, y) > 0.9  # the estimator's own methods pass through
        assert dw.flush(timeout=60)
        assert (dw.stats().delivered, dw.stats().rejected) == (30, 0)
        status = dw.model("monitored").status()
    assert status["current_window"]["events"] == before + 30
    latency = {f["metric"] for f in status["current_window"]["figures"]}
    assert "latency_p50" in latency
