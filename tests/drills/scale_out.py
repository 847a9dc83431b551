"""Saga replicas: throughput and CPU of R `shop worker saga` processes sharing P partitions.

    .venv/bin/python -m tests.drills.scale_out --backend sqlite --orders 2000 --replicas 3
    .venv/bin/python -m tests.drills.scale_out --backend postgres --partitions 4 --replicas 1

Orders are placed first (not timed), with the throughput drill's hot skus and coupon, while
the drill itself holds every partition's lease. Then R worker processes start; once all
are up (their heartbeats are in), the drill lets the leases go, and the clock runs until
every order is confirmed or cancelled. CPU is the workers' user+system time from the
same start until the workers are done with everything the orders led to (every checkout
partition's and the fulfilment manager's checkpoint at the log's head, which stands
still): the fulfilment manager runs in one of the workers and may still be labelling
when the last order is confirmed, so stopping the CPU clock there would count a varying
part of its work. Start-up is not counted; sharing the partitions out is.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from app.backends import state_engine
from app.migrate import migrate
from commands.fulfilment.manager import NAME as FULFILMENT
from commands.process_managers.parts import Partition
from commands.process_managers.state import SagaState
from config.settings import Settings
from domain.order import Order
from eventstore.lease_keeper import lease_name
from eventstore.leases import LeaseTable
from tests.drills.throughput import HOT_SKUS, SKUS, drill_settings, order_lines
from tests.scenarios.shop import Shop

SHOP = str(Path(sys.executable).parent / "shop")
TERMINAL = [Order.Confirmed.TOPIC, Order.Cancelled.TOPIC]
GATE = "scale-out-drill"


def place(settings: Settings, orders: int) -> int:
    """Stock, a coupon and `orders` orders; the log position after them."""
    shop = Shop(settings)
    rng = random.Random(7)
    for sku in SKUS + HOT_SKUS:
        shop.stock(sku, orders)
    shop.coupon("BENCH")
    for index in range(orders):
        coupon = "BENCH" if rng.random() < 0.3 else None
        shop.place(*order_lines(rng), coupon=coupon, customer=f"c{index}")
    head = shop.store.head()
    shop.close()
    return head


def worker_env(settings: Settings, partitions: int) -> dict[str, str]:
    env = os.environ | {
        "SHOP_DATA_DIR": str(settings.data_dir),
        "SHOP_EVENT_STORE": settings.event_store,
        "SHOP_SAGA_PARTITIONS": str(partitions),
        "SHOP_CREATE_TABLES": "false",
        "SHOP_LOG_LEVEL": "WARNING",
        "SHOP_LEASE_TTL_S": "3",  # a tick a second: the shares settle soon after the start
    }
    if settings.postgres_dsn:
        env |= {"SHOP_POSTGRES_DSN": settings.postgres_dsn}
        env |= {"SHOP_POSTGRES_SCHEMA": settings.postgres_schema or "public"}
    return env


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Terminal:
    """Counts confirmed and cancelled orders in the log, reading on from where it was."""

    def __init__(self, settings: Settings) -> None:
        self.shop = Shop(settings)
        self.after, self.count = 0, 0

    def update(self) -> int:
        recorder = self.shop.store.recorder
        while found := recorder.select_notifications(self.after + 1, 1000, topics=TERMINAL):
            self.count += len(found)
            self.after = found[-1].id
        return self.count


def measure(
    settings: Settings, orders: int, partitions: int, replicas: int, checkout_only: bool = False
) -> dict[str, float]:
    """`checkout_only`: the drill keeps the fulfilment manager's lease, so no worker runs
    it, and the CPU clock stops with the last order terminal."""
    migrate(settings)
    engine = state_engine(settings)
    table = LeaseTable(engine)
    if checkout_only:
        table.ensure([lease_name(FULFILMENT, FULFILMENT)])
        table.acquire(lease_name(FULFILMENT, FULFILMENT), GATE, 600)
    gate = hold_every_partition(table, partitions)
    placed = place(settings, orders)
    env = worker_env(settings, partitions)
    log = open(settings.data_dir / "workers.log", "ab")  # noqa: SIM115 - closed below
    workers = [
        subprocess.Popen([SHOP, "worker", "saga"], env=env, stdout=log, stderr=log)
        for _ in range(replicas)
    ]
    terminal = Terminal(settings)
    try:
        while len(table.live_workers("saga")) < replicas:
            assert all(w.poll() is None for w in workers), "a worker died: see workers.log"
            time.sleep(0.05)
        baseline = {w.pid: cpu_s(w.pid) for w in workers}
        started = time.monotonic()
        for name, epoch in gate.items():
            table.release(name, GATE, epoch)
        while terminal.update() < orders:
            assert all(w.poll() is None for w in workers), "a worker died: see workers.log"
            time.sleep(0.02)
        seconds = time.monotonic() - started

        def used() -> float:
            return sum(cpu_s(w.pid) - baseline[w.pid] for w in workers)

        cpu = used() if checkout_only else settle(SagaState(engine), terminal.shop.store, used)
        written = terminal.shop.container.log.count(placed, terminal.shop.store.head())
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(30)
        log.close()
        terminal.shop.close()
        engine.dispose()
    return {
        "orders/s": orders / seconds,
        "seconds": seconds,
        "cpu_s": cpu,
        "cpu_ms/order": cpu * 1000 / orders,
        "saga events/order": written / orders,
    }


def settle(state: SagaState, store: Any, cpu: Callable[[], float]) -> float:
    """`cpu()` when the fulfilment manager's checkpoint first reached the log's head, once
    the head has stood still for a second after it (the idle second's polling is not
    counted). Every order is terminal by then, so the checkout partitions are done (they
    save no checkpoint for a tail of events none of them handles)."""
    head, used, still_since = -1, None, time.monotonic()
    while True:
        now = store.head()
        if now != head:
            head, used, still_since = now, None, time.monotonic()
        if used is None and state.checkpoint(FULFILMENT) >= head:
            used = cpu()
        if used is not None and time.monotonic() - still_since >= 1.0:
            return used
        time.sleep(0.02)


def hold_every_partition(table: LeaseTable, count: int) -> dict[str, int]:
    """Take every partition's lease for the drill itself: the workers wait for it."""
    names = [lease_name("saga", Partition(index, count).name) for index in range(count)]
    table.ensure(names)
    held = {name: table.acquire(name, GATE, 600) for name in names}
    return {name: epoch for name, epoch in held.items() if epoch is not None}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--checkout-only", action="store_true", help="no fulfilment manager")
    args = parser.parse_args()
    with ExitStack() as stack:
        settings = drill_settings(stack, args.backend)
        result = measure(settings, args.orders, args.partitions, args.replicas, args.checkout_only)
    only = " checkout only" if args.checkout_only else ""
    print(
        f"{args.backend}{only} partitions {args.partitions} replicas {args.replicas}: "
        + ", ".join(f"{k} {v:.1f}" for k, v in result.items())
    )


if __name__ == "__main__":
    main()
