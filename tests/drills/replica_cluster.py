"""A split deployment as real processes for the replica drill: the payment provider, the
command and query APIs, and replicated saga and projection workers sharing one store.

Every worker is a `shop worker ...` process with its own log file and its own worker id
(the default: host, pid and a random tag), so a restart is a new worker, as on a platform
that replaces a dead container. The drill kills, stops and continues them by pid.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.server import free_port, wait_until_healthy
from tests.drills.test_first_deploy import stop_all
from tests.ops.server import wait_until

SHOP = str(Path(sys.executable).with_name("shop"))


@dataclass
class Worker:
    """One `shop` process of the drill; `name` is unique over the whole run."""

    name: str
    kind: str  # saga, projections, psp, command, query
    popen: subprocess.Popen[bytes]
    log: Path
    url: str = ""

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def tail(self, chars: int = 3000) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.name} pid {self.pid} (exit {self.popen.poll()})\n{text[-chars:]}"


@dataclass
class Cluster:
    """The processes of one drill run, all on the store `env` describes."""

    env: dict[str, str]
    log_dir: Path
    workers: list[Worker] = field(default_factory=list)
    retired: list[Worker] = field(default_factory=list)  # killed on purpose
    _started: dict[str, int] = field(default_factory=dict)

    def migrate(self) -> None:
        done = subprocess.run(
            [SHOP, "migrate"], env=os.environ | self.env, capture_output=True, timeout=120
        )
        assert done.returncode == 0, done.stdout.decode() + done.stderr.decode()

    def start_psp(self) -> str:
        port = free_port()
        psp = self._spawn("psp", ["simulate", "psp", "--port", str(port)], {})
        psp.url = f"http://127.0.0.1:{port}"
        wait_until_healthy(psp.url, psp.popen, timeout_s=60)
        self.env["SHOP_PSP_URL"] = psp.url  # every saga worker captures through it
        return psp.url

    def start_api(self, part: str) -> str:
        port = free_port()
        api = self._spawn(part, ["serve", part, "--port", str(port)], {})
        api.url = f"http://127.0.0.1:{port}"
        wait_until_healthy(api.url, api.popen, timeout_s=60)
        return api.url

    def start_worker(self, kind: str, wait: bool = True) -> Worker:
        """A `shop worker saga|projections`; `wait`: until it serves its /metrics."""
        port = free_port()
        worker = self._spawn(kind, ["worker", kind], {"SHOP_METRICS_PORT": str(port)})
        worker.url = f"http://127.0.0.1:{port}"
        if wait:
            wait_up(worker)
        return worker

    def live(self, kind: str) -> list[Worker]:
        return [w for w in self.workers if w.kind == kind]

    def url(self, kind: str) -> str:
        return self.live(kind)[0].url

    def kill(self, worker: Worker) -> None:
        """SIGKILL, wherever it is, and reap it: its leases now only expire."""
        os.kill(worker.pid, signal.SIGKILL)
        worker.popen.wait(10)
        self.workers.remove(worker)
        self.retired.append(worker)

    def died(self) -> dict[str, int | None]:
        """Workers that ended without being killed by the drill: none should."""
        return {w.name: w.popen.returncode for w in self.workers if not w.alive()}

    def stop(self) -> dict[str, int]:
        """SIGTERM to every process still running; each exit status (0: a clean stop)."""
        statuses = stop_all(self.workers)  # type: ignore[arg-type]  # same popen and name
        self.workers.clear()
        return statuses

    def kill_everything(self) -> None:
        """Teardown after a failure: nothing may outlive the test."""
        for worker in self.workers:
            if worker.alive():
                for signum in (signal.SIGCONT, signal.SIGKILL):
                    os.kill(worker.pid, signum)
                worker.popen.wait(10)
        self.workers.clear()

    def logs(self) -> str:
        return "\n".join(w.tail() for w in [*self.workers, *self.retired])

    def _spawn(self, kind: str, args: list[str], extra: dict[str, str]) -> Worker:
        count = self._started[kind] = self._started.get(kind, 0) + 1
        name = f"{kind}-{count}"
        log = self.log_dir / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                [SHOP, *args],
                env=os.environ | self.env | extra,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        worker = Worker(name, kind, popen, log)
        self.workers.append(worker)
        return worker


def wait_up(worker: Worker) -> None:
    wait_until(lambda: serving(worker), 60, f"{worker.name} to serve /metrics")


def serving(worker: Worker) -> bool:
    assert worker.alive(), worker.tail()
    try:
        return httpx.get(f"{worker.url}/metrics", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
