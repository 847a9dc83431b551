"""How fast stored events decode into domain events: the cost every reader of the log pays
(the saga, the projectors, a rebuild's reading thread), apart from the store's own.

    .venv/bin/python -m bench.decode --events 200000

Writes `--events` of generated history (as `bench.offline` does) to a temporary SQLite
store, reads every stored event once, then decodes them all, best of five rounds, with the
collector set as a replay sets it. Prints microseconds per event for each.
"""

from __future__ import annotations

import argparse
import gc
import random
import tempfile
import time
from pathlib import Path

from eventsourcing.persistence import Notification

from bench.offline import _container, _orders, _products, _save_in_chunks
from projections.replay import REPLAY_GC_THRESHOLD


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.decode")
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        container = _container(Path(folder), {"SHOP_EVENT_STORE": "sqlite"})
        rng = random.Random(11)
        products = _products(500, rng)
        _save_in_chunks(container, products)
        _orders(container, products, arguments.events, rng)
        recorder, decode = container.store.recorder, container.store.mapper.to_domain_event
        gc.set_threshold(*REPLAY_GC_THRESHOLD)
        stored: list[Notification] = []
        started, after = time.perf_counter(), 0
        while found := recorder.select_notifications(after, 10_000, inclusive_of_start=False):
            stored += found
            after = found[-1].id
        read_s = time.perf_counter() - started
        best = float("inf")
        for _ in range(arguments.rounds):
            started = time.perf_counter()
            decoded = [decode(notification) for notification in stored]
            best = min(best, time.perf_counter() - started)
            del decoded
        container.close()
    count = len(stored)
    print(f"{count:,} events: read {read_s / count * 1e6:.2f} us/event (one pass), ", end="")
    print(f"decode {best / count * 1e6:.2f} us/event (best of {arguments.rounds})")


if __name__ == "__main__":
    main()
