"""Train a scikit-learn model on the car-loan reference period, serve predictions through `monitored`, send
the labels later, and print the agent's status. From the repository root:

    pip install -e clients/python pandas scikit-learn
    .build/debug/driftwatch serve --config Examples/car_loan/driftwatch.yaml &     # listens on :18080
    python Examples/python/car_loan_monitored.py [http://127.0.0.1:18080]
"""

import sys
from pathlib import Path

import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from driftwatch import Driftwatch, monitored

DATA = Path(__file__).resolve().parents[1] / "car_loan"
NUMERIC = ["car_value", "debt_to_income_ratio", "loan_length", "driver_tenure"]
CATEGORICAL = ["salary_range", "repaid_loan_on_prev_car", "size_of_downpayment"]
read = lambda name: pd.read_csv(DATA / name, dtype={"repaid_loan_on_prev_car": str})  # noqa: E731 ("True" as text)

reference, traffic = read("car_loan_reference.csv.gz"), read("car_loan_analysis.csv.gz").tail(2000)  # after the shift
truth = read("car_loan_analysis_target.csv.gz").set_index("id")["repaid"]
encode = make_column_transformer((StandardScaler(), NUMERIC), (OneHotEncoder(handle_unknown="ignore"), CATEGORICAL))
pipeline = make_pipeline(encode, LogisticRegression(max_iter=1000))
pipeline.fit(reference[NUMERIC + CATEGORICAL], reference["repaid"].astype(int))

with Driftwatch(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:18080") as dw:  # token: $DRIFTWATCH_TOKEN
    loans = dw.model("car_loan")
    served = monitored(pipeline, loans, model_version="sklearn-logistic")
    for start in range(0, len(traffic), 50):  # 40 requests of 50 loan applications
        request = traffic.iloc[start : start + 50]
        served.predict_proba(request[NUMERIC + CATEGORICAL], ids=request["id"].tolist())
    for pid in traffic["id"]:  # the outcomes, known later
        loans.label(pid, int(truth[pid]))
    dw.flush()
    status = loans.status()  # the open window; or the last closed one (closed after a second without traffic)
    window = status["current_window"] or status["last_closed_window"]
    figures = {(f["metric"], f.get("feature"), f.get("method")): f["value"] for f in window["figures"]}
    drifted = sorted(k[1] for k, v in figures.items() if k[0] == "drift_statistic" and k[2] == "psi" and v > 0.2)
    print(f"sent: {dw.stats()}")
    print(f"window {window['start']} → {window['end']}: {window['events']} events, dataset drift {window.get('drift')}")
    print(f"PSI > 0.2: {drifted}; latency p50 {figures.get(('latency_p50', None, None))} ms")
    print(f"open alerts: {status['open_alerts']}")
