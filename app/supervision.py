"""A `shop ...` child process that lives exactly as long as the server.

The embedded server runs the projectors and the saga in child processes rather than on
threads: together they are over half the work of a checkout, and in the server's process
they would compete with the requests for one interpreter lock. A child reads the same settings (the
environment) and store; it stops on SIGTERM after the batch in hand, and by itself if
the server dies without stopping it. `app.supervisor.Supervisor` restarts one that dies.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)

PARENT_PID = "SHOP_PARENT_PID"


class ChildProcess:
    """`shop <argv>` started (and awaited until `ready`) by `start()`, started again without
    waiting by `spawn()`, SIGTERMed and awaited by `stop()`."""

    def __init__(
        self,
        name: str,
        argv: list[str],
        prepare: Callable[[], object] = lambda: None,
        ready: Callable[[], bool] = lambda: True,
        ready_timeout_s: float = 15.0,
        stop_timeout_s: float = 30.0,
        env: Mapping[str, str] | None = None,
        url: str | None = None,
    ) -> None:
        self.name, self.argv, self.url = name, argv, url
        self.prepare = prepare  # e.g. create the tables here, not in two processes at once
        self.ready = ready
        self.ready_timeout_s = ready_timeout_s
        self.stop_timeout_s = stop_timeout_s
        self.env = dict(env or {})
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    def start(self) -> None:
        self.prepare()
        self.spawn()
        self._wait_until_ready()

    def spawn(self) -> None:
        env = os.environ | self.env | {PARENT_PID: str(os.getpid())}
        env.pop("SHOP_METRICS_PORT", None)  # the server's port is its own
        command = [sys.executable, "-m", "cli.main", *self.argv]
        self.process = subprocess.Popen(command, env=env)
        log.info("worker %s started (pid %d)", self.name, self.process.pid)

    def exit_code(self) -> int | None:
        """None while it runs; its exit status (-N: killed by signal N) once it has ended.
        Asking reaps it: an ended child does not stay a zombie."""
        return None if self.process is None else self.process.poll()

    def _wait_until_ready(self) -> None:
        """Serve once the child has done what was waiting (bounded: a long backlog is
        worked off while the server answers)."""
        deadline = time.monotonic() + self.ready_timeout_s
        while not self._ready() and time.monotonic() < deadline:
            code = self.exit_code()
            if code is not None:
                raise RuntimeError(f"worker {self.name} exited with {code}; see its log")
            time.sleep(0.05)

    def _ready(self) -> bool:
        try:
            return self.ready()
        except Exception:  # not answering yet
            return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(self.stop_timeout_s)
        except subprocess.TimeoutExpired:
            log.error("worker %s did not stop in time; killing it", self.name)
            self.process.kill()
            self.process.wait()

    def __repr__(self) -> str:
        return f"ChildProcess({' '.join(self.argv)})"


class WorkerProcess(ChildProcess):
    """`shop worker <args>`, named after its first argument (`saga`, `projections`)."""

    def __init__(
        self,
        args: list[str],
        prepare: Callable[[], object] = lambda: None,
        caught_up: Callable[[], bool] = lambda: True,
        ready_timeout_s: float = 15.0,
        stop_timeout_s: float = 30.0,
        env: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            args[0], ["worker", *args], prepare, caught_up, ready_timeout_s, stop_timeout_s, env
        )


def orphaned() -> bool:
    """Whether this process was started by a server that has since died."""
    parent = os.environ.get(PARENT_PID)
    return parent is not None and os.getppid() != int(parent)
