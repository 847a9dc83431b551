"""A `shop worker ...` child process that lives exactly as long as the server.

The embedded server runs the projectors and the saga in child processes rather than on
threads: together they are over half the work of a checkout, and in the server's process
they would compete with the requests for one interpreter lock. A child reads the same settings (the
environment) and store; it stops on SIGTERM after the batch in hand, and by itself if
the server dies without stopping it.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

PARENT_PID = "SHOP_PARENT_PID"


class WorkerProcess:
    """`shop worker <args>` started by `start()`, SIGTERMed and awaited by `stop()`."""

    def __init__(
        self,
        args: list[str],
        prepare: Callable[[], object] = lambda: None,
        caught_up: Callable[[], bool] = lambda: True,
        ready_timeout_s: float = 15.0,
        stop_timeout_s: float = 30.0,
    ) -> None:
        self.args = args
        self.prepare = prepare  # e.g. create the tables here, not in two processes at once
        self.caught_up = caught_up
        self.ready_timeout_s = ready_timeout_s
        self.stop_timeout_s = stop_timeout_s
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.prepare()
        env = os.environ | {PARENT_PID: str(os.getpid())}
        env.pop("SHOP_METRICS_PORT", None)  # the server's port is its own
        command = [sys.executable, "-m", "cli.main", "worker", *self.args]
        self.process = subprocess.Popen(command, env=env)
        log.info("worker %s started (pid %d)", " ".join(self.args), self.process.pid)
        self._wait_until_caught_up()

    def _wait_until_caught_up(self) -> None:
        """Serve once the worker has done what was waiting (bounded: a long backlog is
        worked off while the server answers)."""
        deadline = time.monotonic() + self.ready_timeout_s
        while not self.caught_up() and time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(
                    f"worker {' '.join(self.args)} exited with "
                    f"{self.process.returncode}; see its log"
                )
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(self.stop_timeout_s)
        except subprocess.TimeoutExpired:
            log.error("worker %s did not stop in time; killing it", " ".join(self.args))
            self.process.kill()
            self.process.wait()

    def __repr__(self) -> str:
        return f"WorkerProcess({' '.join(self.args)})"


def orphaned() -> bool:
    """Whether this process was started by a server that has since died."""
    parent = os.environ.get(PARENT_PID)
    return parent is not None and os.getppid() != int(parent)
