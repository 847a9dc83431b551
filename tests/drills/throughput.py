"""Saga throughput: orders driven to a terminal state per second, on SQLite or PostgreSQL.

    .venv/bin/python -m tests.drills.throughput --backend sqlite --orders 2000
    .venv/bin/python -m tests.drills.throughput --backend postgres --orders 1000 --partitions 4

Orders are placed first (not timed); then the saga runs until idle in this process.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from commands.process_managers.checkout import CheckoutProcessManager
from config.settings import Settings
from tests.scenarios.shop import Shop
from tests.support.postgres import fresh_schema
from tests.support.services import POSTGRES_DSN

SKUS = [f"SKU-{n}" for n in range(20)]


def measure(settings: Settings, orders: int, partitions: int = 1) -> dict[str, float]:
    shop = Shop(settings, partitions=partitions)
    rng = random.Random(7)
    for sku in SKUS:
        shop.stock(sku, orders)
    shop.coupon("BENCH")
    for index in range(orders):
        lines = [(sku, 1) for sku in rng.sample(SKUS, rng.choice((1, 2)))]
        coupon = "BENCH" if rng.random() < 0.3 else None
        shop.place(*lines, coupon=coupon, customer=f"c{index}")
    head = shop.store.head()
    started = time.perf_counter()
    with ThreadPoolExecutor(partitions) as pool:  # one thread per saga partition
        list(pool.map(_until_idle, shop.saga.managers))
    seconds = time.perf_counter() - started
    events = shop.store.head() - head
    shop.close()
    return {
        "orders": orders,
        "seconds": seconds,
        "orders/s": orders / seconds,
        "saga events/s": events / seconds,
    }


def _until_idle(manager: CheckoutProcessManager) -> None:
    while manager.run_batch() + manager.fire_deadlines():
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--partitions", type=int, default=1)
    args = parser.parse_args()
    with ExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        values: dict[str, object] = {"data_dir": data_dir, "event_store": args.backend}
        if args.backend == "postgres":
            schema = stack.enter_context(fresh_schema(POSTGRES_DSN))
            values |= {"postgres_dsn": POSTGRES_DSN, "postgres_schema": schema}
        result = measure(Settings(**values), args.orders, args.partitions)
    print(f"{args.backend}: " + ", ".join(f"{k} {v:.1f}" for k, v in result.items()))


if __name__ == "__main__":
    main()
