"""Shop processes as subprocesses for the ops tests: `shop serve` and `shop worker ...`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from api.auth import TokenCodec

SECRET = "ops-subprocess-secret-" + "y" * 48
SHOP = str(Path(sys.executable).parent / "shop")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def token(role: str, sub: str) -> str:
    return TokenCodec(SECRET, "HS256").mint(role, sub, 3600)


def shop_env(data_dir: Path, **extra: str) -> dict[str, str]:
    return os.environ | {"SHOP_DATA_DIR": str(data_dir), "SHOP_JWT_SECRET": SECRET} | extra


def start(args: list[str], data_dir: Path, log_name: str, **env: str) -> subprocess.Popen:
    data_dir.mkdir(parents=True, exist_ok=True)
    log = open(data_dir / log_name, "ab")  # noqa: SIM115 - the child writes to it
    return subprocess.Popen([SHOP, *args], env=shop_env(data_dir, **env),
                            stdout=log, stderr=subprocess.STDOUT)  # fmt: skip


def stop(process: subprocess.Popen, timeout_s: float = 30) -> int:
    """SIGTERM, then wait; the exit status (killed after `timeout_s`)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise


@contextmanager
def serving(data_dir: Path) -> Iterator[str]:
    """`shop serve` (embedded) on a free port until the block ends; yields its base URL."""
    port = free_port()
    process = start(["serve", "--port", str(port)], data_dir, "serve.log")
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base_url, process)
        yield base_url
    finally:
        stop(process)


def wait_until_healthy(base_url: str, process: subprocess.Popen, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"shop exited with {process.returncode}; see its log")
        try:
            if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"shop did not become healthy within {timeout_s} s")


def wait_until(predicate: Callable[[], bool], timeout_s: float = 60, what: str = "it") -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
