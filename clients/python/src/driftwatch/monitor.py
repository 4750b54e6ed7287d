"""``monitored``: a scikit-learn-style estimator whose predictions are logged to Driftwatch."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Sequence

from . import _encode
from .client import Model

__all__ = ["monitored", "MonitoredEstimator"]


def monitored(
    estimator: Any,
    model: Model,
    *,
    feature_names: Optional[Sequence[str]] = None,
    model_version: Optional[str] = None,
) -> "MonitoredEstimator":
    """Wraps ``estimator`` so that ``predict`` and ``predict_proba`` log every prediction to ``model``.

    Each row of ``X`` becomes one event: its features (a DataFrame's columns; for arrays
    ``feature_names``, else the estimator's ``feature_names_in_``, else ``x0``, ``x1``, …), the prediction,
    for ``predict_proba`` the score (binary: the probability of ``classes_[1]``) or scores (per class), and
    ``latency_ms``: the measured duration of the call that produced it (what the caller waited for). Pass
    ``ids=[…]`` to either method to name the predictions (for labels later); otherwise new ids are made
    and kept in ``last_ids``. Every other attribute is the estimator's own.
    """
    return MonitoredEstimator(estimator, model, feature_names=feature_names, model_version=model_version)


class MonitoredEstimator:
    """An estimator that logs its predictions; see :func:`monitored`."""

    def __init__(
        self,
        estimator: Any,
        model: Model,
        *,
        feature_names: Optional[Sequence[str]] = None,
        model_version: Optional[str] = None,
    ) -> None:
        self.estimator = estimator
        self.model = model
        self.feature_names = list(feature_names) if feature_names is not None else None
        self.model_version = model_version
        self.last_ids: List[str] = []

    def __getattr__(self, name: str) -> Any:
        # Only reached for attributes this wrapper does not have: fit, classes_, score, get_params, …
        if name == "estimator":
            raise AttributeError(name)
        return getattr(self.estimator, name)

    def __repr__(self) -> str:
        return f"monitored({self.estimator!r}, {self.model!r})"

    def predict(self, X: Any, *, ids: Optional[Sequence[Any]] = None, **kwargs: Any) -> Any:
        """The estimator's ``predict(X)``; each row's prediction is logged with the call's latency."""
        rows = self._rows(X, ids)
        started = time.perf_counter()
        predicted = self.estimator.predict(X, **kwargs)
        latency = (time.perf_counter() - started) * 1000.0
        self._log(rows, ids, latency, predictions=list(predicted))
        return predicted

    def predict_proba(self, X: Any, *, ids: Optional[Sequence[Any]] = None, **kwargs: Any) -> Any:
        """The estimator's ``predict_proba(X)``; each row is logged with its most probable class as the
        prediction, its probabilities, and the call's latency."""
        rows = self._rows(X, ids)
        started = time.perf_counter()
        probabilities = self.estimator.predict_proba(X, **kwargs)
        latency = (time.perf_counter() - started) * 1000.0
        classes = [_encode.scalar(c) for c in getattr(self.estimator, "classes_", [])]
        predictions: List[Any] = []
        scores: List[Dict[Any, Any]] = []
        for p in probabilities:
            values = [float(v) for v in p]
            labels = classes if len(classes) == len(values) else list(range(len(values)))
            best = max(range(len(values)), key=values.__getitem__)
            predictions.append(labels[best])
            scores.append(dict(zip(labels, values)))
        self._log(rows, ids, latency, predictions=predictions, scores=scores)
        return probabilities

    def _rows(self, X: Any, ids: Optional[Sequence[Any]]) -> List[Dict[str, Any]]:
        if hasattr(X, "columns") and hasattr(X, "to_dict"):
            rows = [{str(k): v for k, v in r.items()} for r in X.to_dict(orient="records")]
        else:
            matrix = X.tolist() if hasattr(X, "tolist") else [list(r) for r in X]
            width = len(matrix[0]) if matrix else 0
            names = self.feature_names
            if names is None:
                fitted = getattr(self.estimator, "feature_names_in_", None)
                names = [str(n) for n in fitted] if fitted is not None else [f"x{i}" for i in range(width)]
            if matrix and len(names) != width:
                raise ValueError(f"{len(names)} feature names for rows of {width} values")
            rows = [dict(zip(names, r)) for r in matrix]
        if ids is not None and len(ids) != len(rows):
            raise ValueError(f"{len(ids)} ids for {len(rows)} rows")
        return rows

    def _log(
        self,
        rows: List[Dict[str, Any]],
        ids: Optional[Sequence[Any]],
        latency: float,
        *,
        predictions: List[Any],
        scores: Optional[List[Dict[Any, Any]]] = None,
    ) -> None:
        now = datetime.now(timezone.utc)
        logged: List[str] = []
        for i, features in enumerate(rows):
            score = None
            per_class = None
            if scores is not None:
                if len(scores[i]) == 2:
                    score = list(scores[i].values())[1]
                else:
                    per_class = scores[i]
            logged.append(
                self.model.log(
                    id=ids[i] if ids is not None else None,
                    features=features,
                    prediction=predictions[i],
                    score=score,
                    scores=per_class,
                    latency_ms=latency,
                    timestamp=now,
                    model_version=self.model_version,
                )
            )
        self.last_ids = logged
