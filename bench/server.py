"""rarex under uvicorn in a subprocess on a free loopback port, for benchmarks and load tests.

A real server process, not an in-process test client: the load benchmark and tests/load
measure the thread pool, the connection pool and the admission gate as they run in
production, and the crash test kills the process with SIGKILL. The server reads its database
from ``RAREX_DATABASE_URL`` in the environment it is given. Its stderr goes to a file (a pipe
nobody reads would fill up and stall it under load); :meth:`Server.log_tail` shows the end.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, env: dict[str, str] | None = None, port: int | None = None):
        self.env = dict(os.environ if env is None else env, PYTHONPATH=str(ROOT / "src"))
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115  closed by __exit__

    def start(self, timeout: float = 60) -> Server:
        """Start uvicorn and wait until ``GET /healthz`` answers 200."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "rarex.web.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning", "--no-access-log", "--backlog", "2048"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=self._log,
        )
        deadline = time.monotonic() + timeout
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    c.close()
                    return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"uvicorn did not start: {self.log_tail()}")
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, no rollback; what was committed must survive."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, chars: int = 2000) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-chars:]

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
        self._log.close()
