"""pandas helpers: DataFrames to records and metric points to a DataFrame. pandas is imported only here,
and only when it is installed."""

from __future__ import annotations

from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional


def pandas_or_none() -> Any:
    """The pandas module, or ``None`` when it is not installed."""
    try:
        import pandas
    except ImportError:
        return None
    return pandas


def _columns(df: Any) -> List[str]:
    if not hasattr(df, "columns") or not hasattr(df, "to_dict"):
        raise TypeError(f"expected a pandas DataFrame, not {type(df).__name__}")
    return [str(c) for c in df.columns]


def _require(columns: List[str], *names: Optional[str]) -> None:
    for name in names:
        if name is not None and name not in columns:
            raise KeyError(f"the DataFrame has no column {name!r} (it has {', '.join(columns)})")


def prediction_records(
    df: Any,
    *,
    id_column: Optional[str],
    timestamp_column: Optional[str],
    prediction_column: Optional[str],
    score_column: Optional[str],
    scores_columns: Optional[Mapping[Any, str]],
    latency_column: Optional[str],
    model_version_column: Optional[str],
    feature_columns: Optional[Iterable[str]],
) -> Iterator[Dict[str, Any]]:
    """One :meth:`Model.log` argument mapping per row of ``df``."""
    columns = _columns(df)
    special = [id_column, timestamp_column, prediction_column, score_column, latency_column, model_version_column]
    special += list((scores_columns or {}).values())
    _require(columns, *special)
    if feature_columns is None:
        features = [c for c in columns if c not in special]
    else:
        features = list(feature_columns)
        _require(columns, *features)
    frame = df.copy(deep=False)
    frame.columns = columns
    for row in frame.to_dict(orient="records"):
        record: Dict[str, Any] = {"features": {name: row[name] for name in features}}
        if id_column is not None:
            record["id"] = row[id_column]
        if timestamp_column is not None:
            record["timestamp"] = row[timestamp_column]
        if prediction_column is not None:
            record["prediction"] = row[prediction_column]
        if score_column is not None:
            record["score"] = row[score_column]
        if scores_columns:
            record["scores"] = {label: row[column] for label, column in scores_columns.items()}
        if latency_column is not None:
            record["latency_ms"] = row[latency_column]
        if model_version_column is not None:
            record["model_version"] = row[model_version_column]
        yield record


def label_records(
    df: Any,
    *,
    id_column: str,
    label_column: Optional[str],
    value_column: Optional[str],
    timestamp_column: Optional[str],
) -> Iterator[Dict[str, Any]]:
    """One :meth:`Model.label` argument mapping per row of ``df``."""
    columns = _columns(df)
    if label_column is None and value_column is None:
        if "label" in columns:
            label_column = "label"
        elif "value" in columns:
            value_column = "value"
        else:
            raise KeyError("name the label_column (classification) or value_column (regression)")
    if label_column is not None and value_column is not None:
        raise ValueError("give label_column or value_column, not both")
    _require(columns, id_column, label_column, value_column, timestamp_column)
    frame = df.copy(deep=False)
    frame.columns = columns
    for row in frame.to_dict(orient="records"):
        record: Dict[str, Any] = {"id": row[id_column]}
        if label_column is not None:
            record["label"] = row[label_column]
        else:
            record["value"] = row[value_column]
        if timestamp_column is not None:
            record["timestamp"] = row[timestamp_column]
        yield record


def points_frame(points: List[Dict[str, Any]]) -> Any:
    """Metric points as a DataFrame, window times as UTC datetimes (empty with the usual columns)."""
    pd = pandas_or_none()
    if pd is None:
        raise ImportError("pandas is not installed")
    frame = pd.DataFrame(points, columns=None if points else ["window_start", "window_end", "value"])
    for column in ("window_start", "window_end"):
        if column in frame.columns:
            try:  # the agent writes fractions of a second only when there are some
                frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
            except (TypeError, ValueError):  # pandas < 2 has no format="ISO8601" and infers mixed forms
                frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame
