"""Turning Python, NumPy and pandas values into the JSON the agent reads."""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta, timezone
from typing import Any, Dict, Mapping, Optional, Union

TimeLike = Union[datetime, date, str, int, float]


def rfc3339(value: Optional[TimeLike] = None) -> str:
    """An RFC 3339 UTC time with microseconds (``2024-05-01T12:00:00.123456Z``).

    ``None`` is now; a naive ``datetime`` is taken as UTC; an aware one is converted; a ``date`` is its
    midnight UTC; a number is seconds since the Unix epoch; a string is sent as it is (the agent checks it);
    a pandas ``Timestamp`` is a ``datetime``.
    """
    if value is None:
        moment = datetime.now(timezone.utc)
    elif _is_missing(value):
        raise ValueError("a missing time (NaT) cannot be an event's timestamp")
    elif isinstance(value, str):
        return value
    elif isinstance(value, datetime):
        moment = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        moment = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=float(value))
    elif hasattr(value, "to_pydatetime"):  # pandas Timestamp subclasses datetime; this is a safety net
        return rfc3339(value.to_pydatetime())
    else:
        raise TypeError(f"cannot read a time from {type(value).__name__}: {value!r}")
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def scalar(value: Any) -> Any:
    """A JSON scalar for a feature, prediction or label value.

    NumPy scalars become Python ones; ``NaN``, ``±inf``, pandas ``NA``/``NaT`` and ``None`` become ``null``
    (a missing value); times become RFC 3339 text; anything else unknown becomes its ``str``.
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, (list, tuple, dict)):
        try:
            return scalar(item())
        except (TypeError, ValueError):
            pass
    if isinstance(value, (datetime, date)):
        return rfc3339(value)
    if _is_missing(value):
        return None
    return str(value)


def _is_missing(value: Any) -> bool:
    """pandas' ``NA``/``NaT`` without importing pandas."""
    name = type(value).__name__
    return name in ("NAType", "NaTType")


def features(values: Mapping[Any, Any]) -> Dict[str, Any]:
    """A features object: keys as text, values as :func:`scalar`."""
    return {str(k): scalar(v) for k, v in values.items()}


def number(value: Any, name: str) -> Optional[float]:
    """A finite number (or ``None``) for ``score``/``latency_ms``; raises ``TypeError`` otherwise."""
    v = scalar(value)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}: {value!r}")
    return float(v)


def dumps(obj: Any) -> bytes:
    """Compact JSON, UTF-8, without NaN (which is not JSON)."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")
