"""`shop serve` runs the projectors and the saga in child processes that never outlive it."""

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


def workers_of(server: ShopServer) -> list[int]:
    assert server.process is not None
    kinds = {}
    for pid in children_of(server.process.pid):
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if b"worker" in args:
            kinds[args[args.index(b"worker") + 1]] = pid
    assert sorted(kinds) == [b"integration", b"projections", b"saga"], kinds
    return list(kinds.values())


def test_the_workers_stop_with_the_server(tmp_path: Path) -> None:
    server = ShopServer(tmp_path / "var").start()
    workers = workers_of(server)

    assert server.stop() == 0

    assert all(wait_until_gone(worker, 5) for worker in workers)


def test_the_workers_stop_by_themselves_when_the_server_is_killed(tmp_path: Path) -> None:
    server = ShopServer(tmp_path / "var").start()
    workers = workers_of(server)

    assert server.process is not None
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()

    assert all(wait_until_gone(worker, 10) for worker in workers), "an orphan kept running"
