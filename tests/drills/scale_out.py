"""Saga replicas: throughput and CPU of R `shop worker saga` processes sharing P partitions.

    .venv/bin/python -m tests.drills.scale_out --backend sqlite --orders 2000 --replicas 3
    .venv/bin/python -m tests.drills.scale_out --backend postgres --partitions 4 --replicas 1

Orders are placed first (not timed), with the throughput drill's hot skus and coupon, while
the drill itself holds every partition's lease. Then R worker processes start; once all
are up (their heartbeats are in), the drill lets the leases go, and the clock runs until
every order is confirmed or cancelled. CPU is the workers' user+system time from the
same start until they are done with everything the orders led to: the log's head stands
still and their CPU has fallen to what idle workers spend polling. Stopping at the last
terminal order would leave out a varying part of the work: the fulfilment manager (in one
of the workers) may still be labelling, and a worker holding every partition drives each
order to its end before it reads back what it wrote, so it still has most of the log to
read then, while replicas have read theirs on the way. Both figures are printed.
Start-up is not counted; sharing the partitions out is.
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
from config.settings import Settings
from domain.order import Order
from eventstore.lease_keeper import lease_name
from eventstore.leases import LeaseTable
from tests.drills.throughput import HOT_SKUS, SKUS, drill_settings, order_lines
from tests.scenarios.shop import Shop

SHOP = str(Path(sys.executable).parent / "shop")
TERMINAL = [Order.Confirmed.TOPIC, Order.Cancelled.TOPIC]
GATE = "scale-out-drill"
IDLE_WITHIN_S = 300  # after the last order is terminal


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
    it."""
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

        at_terminal = used()
        cpu, idle = until_idle(terminal.shop.store, used, replicas)
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
        "cpu_ms/order at the last terminal": at_terminal * 1000 / orders,
        "idle cpu %/worker": idle * 100 / replicas,
        "saga events/order": written / orders,
    }


def until_idle(store: Any, cpu: Callable[[], float], workers: int) -> tuple[float, float]:
    """The workers' CPU when they went idle, and their idle rate (CPU s per s).

    Sampled every 0.1 s until the log's head has stood still for 2 s and the last two
    seconds cost the same (within 20% or the CPU clock's tick), under 15% of a core per
    worker: idle polling costs 5-7%, and a fifth let through three workers reading back
    the log at a steady pace while nothing was appended. Walking back from there, the
    work ended where the last half second ran above twice that rate (at the first sample
    if none did).
    """
    samples: list[tuple[float, float]] = []  # (monotonic, cpu)
    head, still_since = -1, time.monotonic()
    while True:
        now, used = time.monotonic(), cpu()
        samples.append((now, used))
        if (moved := store.head()) != head:
            head, still_since = moved, now
        if now - still_since >= 2.0 and len(samples) > 25:
            last, before = _rate(samples, -11, -1), _rate(samples, -21, -11)
            if last < 0.15 * workers and abs(last - before) <= max(0.2 * before, 0.03):
                break
        assert now - samples[0][0] < IDLE_WITHIN_S, "the workers never went idle"
        time.sleep(0.1)
    idle = _rate(samples, -21, -1)
    end = len(samples) - 1
    while end > 0 and _rate(samples, max(end - 5, 0), end) <= 2 * idle + 0.01:
        end -= 1
    return samples[end][1], idle


def _rate(samples: list[tuple[float, float]], first: int, last: int) -> float:
    (t0, c0), (t1, c1) = samples[first], samples[last]
    return (c1 - c0) / (t1 - t0)


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
