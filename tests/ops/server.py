"""Shop processes as subprocesses for the ops tests: `shop serve` and `shop worker ...`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from api.auth import TokenCodec
from bench.server import free_port, wait_until_healthy
from bench.server import terminate as stop

SECRET = "ops-subprocess-secret-" + "y" * 48
SHOP = str(Path(sys.executable).parent / "shop")


def token(role: str, sub: str) -> str:
    return TokenCodec(SECRET, "HS256").mint(role, sub, 3600)


def shop_env(data_dir: Path, **extra: str) -> dict[str, str]:
    return os.environ | {"SHOP_DATA_DIR": str(data_dir), "SHOP_JWT_SECRET": SECRET} | extra


def start(args: list[str], data_dir: Path, log_name: str, **env: str) -> subprocess.Popen:
    data_dir.mkdir(parents=True, exist_ok=True)
    log = open(data_dir / log_name, "ab")  # noqa: SIM115 - the child writes to it
    return subprocess.Popen(
        [SHOP, *args], env=shop_env(data_dir, **env), stdout=log, stderr=subprocess.STDOUT
    )


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


def wait_until(predicate: Callable[[], bool], timeout_s: float = 60, what: str = "it") -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)
