"""Fulfilment throughput: confirmed orders taken to labelled per second, SQLite or PostgreSQL.

    .venv/bin/python -m tests.drills.fulfilment_throughput --backend sqlite --orders 2000
    .venv/bin/python -m tests.drills.fulfilment_throughput --backend postgres --carrier http

Orders with a shipping address are placed and driven to CONFIRMED by the checkout saga
first (not timed); then the fulfilment manager alone runs until idle: it opens each
order's shipment and asks the carrier for its label, in process (`SimulatedCarrier`) or
over HTTP to `shop simulate carrier` started for the run. Each repeat is a fresh shop.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from uuid import uuid4

from adapters.carrier_http import HttpCarrier
from app.run.fulfilment import build_fulfilment
from bench.measure import events_after
from bench.server import free_port, terminate, wait_until_healthy
from commands.carrier import Carrier, SimulatedCarrier
from config.settings import Settings
from domain.order import Order, PlaceOrder
from domain.shipment import Shipment
from tests.drills.throughput import HOT_SKUS, SKUS, drill_settings, order_lines
from tests.scenarios.fulfilment_shop import ADDRESS
from tests.scenarios.shop import Shop


def measure(settings: Settings, orders: int, carrier: Carrier) -> dict[str, float]:
    shop = Shop(settings)
    try:
        confirmed = _confirmed_orders(shop, orders)
        fulfilment = build_fulfilment(shop.container, carrier=carrier, gateway=shop.gateway)
        head = shop.store.head()
        started, cpu = time.perf_counter(), time.process_time()
        fulfilment.run_until_idle()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        events = shop.store.head() - head
        labelled = _count(shop, head, Shipment.LabelCreated.TOPIC)
        fulfilment.close()
    finally:
        shop.close()
    return {
        "confirmed": confirmed,
        "labelled": labelled,
        "seconds": seconds,
        "orders/s": labelled / seconds,
        "events/s": events / seconds,
        "cpu ms/order": 1000 * cpu / max(labelled, 1),  # this process's (not the carrier's)
    }


def _confirmed_orders(shop: Shop, orders: int) -> int:
    """Place `orders` with an address, all in stock and paid; the saga confirms them."""
    rng = random.Random(7)
    for sku in SKUS + HOT_SKUS:
        shop.stock(sku, orders)
    for index in range(orders):
        wanted = [{"sku": sku, "quantity": qty} for sku, qty in order_lines(rng)]
        shop.bus.handle(PlaceOrder(f"c{index}", str(uuid4()), wanted, None, "tok_ok", ADDRESS))
    shop.settle()
    return _count(shop, 0, Order.Confirmed.TOPIC)


def _count(shop: Shop, after: int, topic: str) -> int:
    return sum(1 for _ in events_after(shop.container, after, [topic]))


@contextmanager
def carrier_for(kind: str, data_dir: Path) -> Iterator[Carrier]:
    """The in-process simulated carrier, or `shop simulate carrier` over loopback HTTP."""
    if kind == "inproc":
        simulated = SimulatedCarrier(data_dir / "carrier" / "labels.sqlite3")
        yield simulated
        simulated.close()
        return
    port = free_port()
    shop = str(Path(sys.executable).parent / "shop")
    env = os.environ | {"SHOP_DATA_DIR": str(data_dir / "carrier-service")}
    argv = [shop, "simulate", "carrier", "--port", str(port)]
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    remote = HttpCarrier(f"http://127.0.0.1:{port}")
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", process)
        yield remote
    finally:
        remote.close()
        terminate(process)


def run(backend: str, orders: int, carrier: str) -> dict[str, float]:
    with ExitStack() as stack:
        settings = drill_settings(stack, backend)
        chosen = stack.enter_context(carrier_for(carrier, settings.data_dir))
        return measure(settings, orders, chosen)


def spread(results: list[dict[str, float]], key: str) -> str:
    values = sorted(result[key] for result in results)
    return f"{statistics.median(values):.1f} ({values[0]:.1f}–{values[-1]:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--carrier", choices=["inproc", "http"], default="inproc")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    results: list[dict[str, Any]] = []
    for _ in range(args.repeats):
        results.append(run(args.backend, args.orders, args.carrier))
        print(", ".join(f"{k} {v:.1f}" for k, v in results[-1].items()), flush=True)
    figures = ("orders/s", "events/s", "cpu ms/order")
    print(
        f"{args.backend}, carrier {args.carrier}, median (min–max) of {args.repeats}: "
        + ", ".join(f"{key} {spread(results, key)}" for key in figures)
    )


if __name__ == "__main__":
    main()
