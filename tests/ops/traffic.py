"""Writes that keep coming while a worker is stopped and restarted (the SIGTERM drills)."""

from __future__ import annotations

import threading
from pathlib import Path

from app.bootstrap import Container, bootstrap
from config.settings import Settings
from domain.inventory import ReceiveStock
from domain.order import PlaceOrder
from domain.product import RegisterProduct
from domain.shared.base import ConcurrencyConflict
from tests.ops.server import SECRET

SKUS = ("DRILL-A", "DRILL-B", "DRILL-C")


def drill_settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, event_store="sqlite", jwt_secret=SECRET)


def catalog(container: Container, stock: int = 1000) -> None:
    for sku in SKUS:
        container.bus.handle(RegisterProduct(sku, sku, "", "tools", "Acme", 1000, "EUR"))
        container.bus.handle(ReceiveStock(sku, stock))


def place(container: Container, n: int) -> str:
    """Order n: one line, paid with a card that captures; its order uuid."""
    lines = [{"sku": SKUS[n % len(SKUS)], "quantity": 1}]
    accepted = container.bus.handle(
        PlaceOrder(f"cust-{n % 7}", f"drill-{n}", lines, None, "tok_ok")
    )
    return str(accepted.stream_id).split("-", 1)[1]


class Writer:
    """A thread appending receipts and orders until `stop()`."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.orders: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="drill-writer")

    def __enter__(self) -> Writer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)

    def _run(self) -> None:
        n = len(self.orders)
        while not self._stop.is_set():
            try:
                self._write(n)
            except ConcurrencyConflict:  # the saga process wrote the same stream: retry
                continue
            n += 1
            self._stop.wait(0.003)

    def _write(self, n: int) -> None:
        if n % 2:
            self.container.bus.handle(ReceiveStock(SKUS[n % len(SKUS)], 1))
        else:
            self.orders.append(place(self.container, n))


def open_shop(data_dir: Path) -> Container:
    return bootstrap(drill_settings(data_dir))
