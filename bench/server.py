"""A `shop serve` subprocess for the benchmark: start, wait until healthy, seed, stop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import jwt

SECRET = "bench-secret-bench-secret-bench-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def token(role: str, sub: str) -> str:
    claims = {"sub": sub, "role": role, "exp": int(time.time()) + 3600}
    return jwt.encode(claims, SECRET, algorithm="HS256")


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


SHOP = [str(Path(sys.executable).parent / "shop")]


@contextmanager
def running_server(
    data_dir: Path,
    env: dict[str, str],
    shop: list[str] = SHOP,
    cwd: Path | None = None,
    inherit: Mapping[str, str] = os.environ,
) -> Iterator[Server]:
    """`shop serve` (`shop`: the command that runs the CLI, from `cwd`) with `env` over
    `inherit`, healthy; stopped on exit."""
    port = free_port()
    environment = dict(inherit) | env
    environment |= {"SHOP_DATA_DIR": str(data_dir), "SHOP_JWT_SECRET": SECRET}
    with open(data_dir / "serve.log", "w") as server_log:
        process = subprocess.Popen(
            [*shop, "serve", "--port", str(port)],
            cwd=cwd,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=server_log,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(base_url, process)
            yield Server(base_url, process.pid)
        finally:
            terminate(process)


def wait_until_healthy(base_url: str, process: subprocess.Popen, timeout_s: float = 60) -> None:
    """Poll `/health` until it answers 200; fail fast if the process exits first."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"shop exited with {process.returncode}; see its log")
        try:
            if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"shop did not become healthy within {timeout_s} s")


def terminate(process: subprocess.Popen, timeout_s: float = 30) -> int:
    """SIGTERM, then the exit status (killed, so -9, if it does not stop in time)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return int(process.returncode)


def seed(base_url: str, products: int, stock: int) -> tuple[list[str], str]:
    """Register products with ample stock and one coupon; returns (skus, coupon code)."""
    admin = {"Authorization": f"Bearer {token('admin', 'bench-admin')}"}
    skus = [f"BENCH-{i:04d}" for i in range(products)]
    with httpx.Client(base_url=base_url, headers=admin, timeout=30) as client:
        for i, sku in enumerate(skus):
            body = {
                "sku": sku,
                "name": f"Bench product {i}",
                "description": "for the benchmark",
                "category": "bench",
                "brand": "Acme",
                "price": 1000 + i,
                "currency": "EUR",
                "attributes": {},
            }
            client.post("/products", json=body).raise_for_status()
            client.post(f"/inventory/{sku}/receipts", json={"quantity": stock}).raise_for_status()
        client.post(
            "/coupons", json={"code": "BENCH10", "kind": "percent", "value": 10}
        ).raise_for_status()
    return skus, "BENCH10"


def warm_up(base_url: str, sku: str, timeout_s: float = 60) -> None:
    """Place one order and wait until it is confirmed: the measured load then starts with
    the saga worker and the payment provider running, not with their start-up."""
    customer = {"Authorization": f"Bearer {token('customer', 'bench-warm-up')}"}
    body = {"lines": [{"sku": sku, "quantity": 1}], "payment": {"token": "tok_ok"}}
    with httpx.Client(base_url=base_url, headers=customer, timeout=30) as client:
        placed = client.post("/orders", json=body, headers={"Idempotency-Key": "warm-up"})
        placed.raise_for_status()
        order = f"/orders/{placed.json()['order_id']}"
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if client.get(order).json().get("status") == "CONFIRMED":
                return
            time.sleep(0.05)
    raise RuntimeError(f"the warm-up order was not confirmed within {timeout_s} s")
