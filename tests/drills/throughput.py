"""Saga throughput: orders driven to a terminal state per second, on SQLite or PostgreSQL.

    .venv/bin/python -m tests.drills.throughput --backend sqlite --orders 2000
    .venv/bin/python -m tests.drills.throughput --backend postgres --orders 1000 --partitions 4
    .venv/bin/python -m tests.drills.throughput --orders 2000 --partitions 4 --batch-size 800

Orders are placed first (not timed); then the saga's managers run, one thread each, until
a whole round of them handles nothing. A fifth of the lines go to two hot skus and some
orders use one coupon: the streams every partition's orders share.
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
HOT_SKUS = ["HOT-0", "HOT-1"]
HOT_SHARE = 0.2  # of the lines


def measure(
    settings: Settings, orders: int, partitions: int = 1, batch_size: int | None = None
) -> dict[str, float]:
    saga = {} if batch_size is None else {"batch_size": batch_size}
    shop = Shop(settings, partitions=partitions, **saga)
    rng = random.Random(7)
    for sku in SKUS + HOT_SKUS:
        shop.stock(sku, orders)  # never out of stock: every order takes the whole path
    shop.coupon("BENCH")
    for index in range(orders):
        coupon = "BENCH" if rng.random() < 0.3 else None
        shop.place(*order_lines(rng), coupon=coupon, customer=f"c{index}")
    head = shop.store.head()
    started, cpu = time.perf_counter(), time.process_time()
    settle_on_threads(shop.saga.managers)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    events = shop.store.head() - head
    shop.close()
    return {
        "orders": orders,
        "seconds": seconds,
        "orders/s": orders / seconds,
        "saga events/s": events / seconds,
        "cpu s": cpu,  # the process's: on a shared machine, steadier than wall time
    }


def order_lines(rng: random.Random) -> list[tuple[str, int]]:
    """One or two lines of distinct skus, each on a hot sku with `HOT_SHARE` odds."""
    skus: list[str] = []
    for _ in range(rng.choice((1, 2))):
        pool = HOT_SKUS if rng.random() < HOT_SHARE else SKUS
        skus.append(rng.choice([sku for sku in pool if sku not in skus]))
    return [(sku, 1) for sku in skus]


def settle_on_threads(managers: list[CheckoutProcessManager]) -> int:
    """Run every manager on its own thread until a whole round handles nothing.

    One manager idle is not the set idle: another may still be about to ask it for a
    step (or answer one of its asks), so the round is repeated until none handled a thing.
    """
    total = 0
    with ThreadPoolExecutor(len(managers)) as pool:
        while handled := sum(pool.map(_until_idle, managers)):
            total += handled
    return total


def _until_idle(manager: CheckoutProcessManager) -> int:
    total = 0
    while handled := manager.run_batch() + manager.fire_deadlines():
        total += handled
    return total


def drill_settings(stack: ExitStack, backend: str) -> Settings:
    """Settings on a temporary data dir (and a fresh schema on PostgreSQL) for the stack."""
    data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
    values: dict[str, object] = {"data_dir": data_dir, "event_store": backend}
    if backend == "postgres":
        schema = stack.enter_context(fresh_schema(POSTGRES_DSN))
        values |= {"postgres_dsn": POSTGRES_DSN, "postgres_schema": schema}
    return Settings(**values)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--partitions", type=int, default=1)
    # Events scanned per batch (each partition scans the whole log); default: the saga's.
    parser.add_argument("--batch-size", type=int, default=None)
    args = parser.parse_args()
    with ExitStack() as stack:
        settings = drill_settings(stack, args.backend)
        result = measure(settings, args.orders, args.partitions, args.batch_size)
    print(
        f"{args.backend} x{args.partitions}: "
        + ", ".join(f"{k} {v:.1f}" for k, v in result.items())
    )


if __name__ == "__main__":
    main()
