"""CPU per event of the projections worker: `python -m tests.projections.measure_worker`.

Writes a history of real domain events into a fresh SQLite event store, then runs the
worker's runner (every projection, as `shop worker projections` does) in this process
until every view reaches the head, and prints the process CPU time (`time.process_time`,
all threads) per event and how many events were decoded. A script, not a test.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from app.bootstrap import bootstrap
from config.settings import Settings
from tests.projections.measure_rebuild import write_history


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=2_200, help="about 9 events each")
    parser.add_argument("--batch", type=int, default=1000, help="events per batch at most")
    args = parser.parse_args()
    container = bootstrap(Settings(data_dir=Path(tempfile.mkdtemp(prefix="worker-"))))
    write_history(container, args.orders)
    head, read_models = container.log.head(), container.read_models
    events = container.log.count(0, head)
    views = read_models.views  # opened before the clock starts, as a running worker has them
    mapper = container.store.mapper
    decode, decoded = mapper.to_domain_event, [0]

    def counted(stored: object) -> object:
        decoded[0] += 1
        return decode(stored)  # type: ignore[arg-type]

    mapper.to_domain_event = counted  # type: ignore[method-assign]
    runner = read_models.runner(batch_size=args.batch)
    cpu, wall = time.process_time(), time.perf_counter()
    runner.start()
    while any(view.position() < head for view in views.values()):
        time.sleep(0.05)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    runner.stop()
    print(
        f"{events} events, {len(views)} projections, batches of {args.batch}: {cpu:.2f} s CPU "
        f"({cpu / events * 1e6:.0f} µs/event), {wall:.2f} s wall, {decoded[0]} decodes "
        f"({decoded[0] / events:.2f} per event)"
    )
    container.close()


if __name__ == "__main__":
    main()
