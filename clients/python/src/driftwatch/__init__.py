"""Driftwatch client: log a model's predictions and labels to a Driftwatch agent, and read back its drift,
performance, alerts and reports.

>>> from driftwatch import Driftwatch
>>> with Driftwatch("http://127.0.0.1:8080", token="…") as dw:
...     loans = dw.model("car_loan")
...     pid = loans.log(features={"car_value": 39811.0, "salary_range": "40K - 60K €"}, prediction=1, score=0.93)
...     loans.label(pid, 1)

Standard library only; pandas and scikit-learn are used when they are installed.
"""

from ._sender import Rejection, Stats
from ._transport import RetryPolicy
from ._version import __version__
from .client import Driftwatch, Model
from .errors import (
    AgentUnreachable,
    APIError,
    BadRequest,
    ClientClosed,
    Conflict,
    DriftwatchError,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    ServerError,
    ServiceUnavailable,
    Unauthorized,
)
from .monitor import MonitoredEstimator, monitored

__all__ = [
    "__version__",
    "Driftwatch",
    "Model",
    "monitored",
    "MonitoredEstimator",
    "Rejection",
    "Stats",
    "RetryPolicy",
    "DriftwatchError",
    "AgentUnreachable",
    "APIError",
    "BadRequest",
    "Unauthorized",
    "NotFound",
    "Conflict",
    "PayloadTooLarge",
    "RateLimited",
    "ServiceUnavailable",
    "ServerError",
    "ClientClosed",
]
