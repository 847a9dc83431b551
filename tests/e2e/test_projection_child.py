"""`shop serve` runs the projectors in a child process that never outlives it."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from tests.e2e.server import ShopServer


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # gone meanwhile
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until_gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not running(pid)


def projection_worker(server: ShopServer) -> int:
    assert server.process is not None
    workers = [pid for pid in children_of(server.process.pid)
               if b"projections" in Path(f"/proc/{pid}/cmdline").read_bytes()]  # fmt: skip
    assert len(workers) == 1, workers
    return workers[0]


def test_the_projection_worker_stops_with_the_server(tmp_path: Path) -> None:
    server = ShopServer(tmp_path / "var").start()
    worker = projection_worker(server)

    assert server.stop() == 0

    assert wait_until_gone(worker, 5)


def test_the_projection_worker_stops_by_itself_when_the_server_is_killed(
    tmp_path: Path,
) -> None:
    server = ShopServer(tmp_path / "var").start()
    worker = projection_worker(server)

    assert server.process is not None
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()

    assert wait_until_gone(worker, 10), "the orphaned worker kept running"
