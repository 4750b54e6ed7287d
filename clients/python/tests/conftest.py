"""One real `driftwatch serve` for the whole pytest session, on an embedded PostgreSQL in a temporary
directory and a free loopback port.

The binary is `$DRIFTWATCH_BIN`, else the repository's `.build/debug/driftwatch` (built by `swift build`);
without either, every test that needs the agent is skipped, saying so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, Optional, TypeVar

import pytest

REPO = Path(__file__).resolve().parents[3]
TOKEN = "pyclient-test-token"
T = TypeVar("T")

MODELS = """
  batching:
    task: binary
    features: {x: numeric, color: categorical}
    window: 1000000
  restart:
    task: binary
    features: {x: numeric, color: categorical}
    window: 1000000
  rejections:
    task: binary
    features: {x: numeric, color: categorical}
    window: 1000000
  monitored:
    task: binary
    features: {x0: numeric, x1: numeric, x2: numeric, x3: numeric}
    window: 1000000
  car_loan:
    task: binary
    features:
      car_value: numeric
      salary_range: categorical
      debt_to_income_ratio: numeric
      loan_length: numeric
      repaid_loan_on_prev_car: categorical
      size_of_downpayment: categorical
      driver_tenure: numeric
    window: 200
    allowed_lateness: 0s
"""


def wait_until(condition: Callable[[], Optional[T]], *, timeout: float = 60.0, what: str = "condition") -> T:
    """Polls ``condition`` until it returns something other than ``None``/``False``/``0`` (returned), or fails
    the test after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value is not None and value is not False and not (isinstance(value, int) and value == 0):
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def free_port() -> int:
    """A loopback port nothing listens on (right now)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Agent:
    """A `driftwatch serve` process: its configuration, state directory, port and log."""

    def __init__(self, binary: Path, directory: Path) -> None:
        self.binary = binary
        self.directory = directory
        self.port = free_port()
        self.token = TOKEN
        self.config = directory / "driftwatch.yaml"
        self.log_path = directory / "agent.log"
        self.process: Optional[subprocess.Popen[bytes]] = None
        self.config.write_text(
            f"""server: {{host: 127.0.0.1, port: {self.port}, window_check_interval: 1s,
  max_new_partitions_per_request: 400}}
auth: {{enabled: true, tokens: [{{env: DRIFTWATCH_PYCLIENT_TEST_TOKEN}}]}}
database: {{url_env: DRIFTWATCH_PYCLIENT_NO_DATABASE_URL, state_dir: {directory / "db"}}}
defaults: {{retention: 36500d}}
models:
{MODELS}
""",
            encoding="utf-8",
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 180.0) -> None:
        """Starts the process and returns once `/readyz` answers 200."""
        env = dict(os.environ, DRIFTWATCH_PYCLIENT_TEST_TOKEN=self.token)
        env.pop("DRIFTWATCH_PYCLIENT_NO_DATABASE_URL", None)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(self.binary), "serve", "--config", str(self.config)],
                cwd=self.directory,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        deadline = time.monotonic() + timeout
        while not self.ready():
            if self.process.poll() is not None:
                raise RuntimeError(f"driftwatch serve exited with {self.process.returncode}:\n{self.log_tail()}")
            if time.monotonic() >= deadline:
                raise RuntimeError(f"driftwatch serve was not ready after {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.1)

    def stop(self) -> None:
        """SIGTERM, and waits for the agent (and its embedded database) to stop."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/readyz", timeout=2) as reply:
                return bool(reply.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def request(self, method: str, path: str, body: Optional[bytes] = None, content_type: str = "") -> Any:
        """A raw request with the token (for checks that must not go through the client under test)."""
        request = urllib.request.Request(self.url + path, data=body, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        if content_type:
            request.add_header("Content-Type", content_type)
        with urllib.request.urlopen(request, timeout=30) as reply:
            data = reply.read()
        return json.loads(data) if data.startswith((b"{", b"[")) else data.decode("utf-8")

    def counter(self, name: str, **labels: str) -> float:
        """A Prometheus sample of `/metrics` (0 when absent); counters count since the process started."""
        text = self.request("GET", "/metrics")
        for line in text.splitlines():
            match = re.match(r"^(\w+)\{(.*)\} (\S+)$", line)
            if not match or match.group(1) != name:
                continue
            found = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(2)))
            if all(found.get(k) == v for k, v in labels.items()):
                return float(match.group(3))
        return 0.0

    def events_in_open_window(self, model: str) -> int:
        status = self.request("GET", f"/v1/models/{model}/status")
        window = status.get("current_window") or {}
        return int(window.get("events", 0))


def _binary() -> Optional[Path]:
    named = os.environ.get("DRIFTWATCH_BIN")
    if named:
        path = Path(named)
        if not path.is_file():
            raise pytest.UsageError(f"DRIFTWATCH_BIN={named} is not a file")
        return path
    default = REPO / ".build" / "debug" / "driftwatch"
    return default if default.is_file() else None


@pytest.fixture(scope="session")
def agent() -> Iterator[Agent]:
    """The session's agent (started once; a test that stops it starts it again)."""
    binary = _binary()
    if binary is None:
        pytest.skip("no driftwatch binary: run `swift build` or set DRIFTWATCH_BIN")
    # As root the embedded PostgreSQL runs as user postgres, which must reach the state directory.
    directory = Path(tempfile.mkdtemp(prefix="driftwatch-pyclient-", dir="/tmp"))
    directory.chmod(0o755)
    running = Agent(binary, directory)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def fresh_ids(request: pytest.FixtureRequest) -> Callable[[int], list]:
    """Ids unique to this test run (the agent keeps stored events for the whole session)."""
    stem = f"{request.node.name}-{os.getpid()}-{time.monotonic_ns()}"

    def make(n: int) -> list:
        return [f"{stem}-{i}" for i in range(n)]

    return make


@pytest.fixture
def recorded() -> Dict[str, list]:
    """A list that an ``on_rejected`` callback appends to."""
    return {"rejections": []}
