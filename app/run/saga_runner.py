"""Running checkout managers: in the caller's thread until idle, or one thread each.

With a lease keeper (a worker process) there is one manager, holding the partitions this
worker has the leases of, as one: it reads the log once for all of them, runs their stock
and coupon steps directly (only partitions held elsewhere are asked), and everything it
writes is fenced by those leases. Without a keeper (tests, drills) each manager runs its
own partition unfenced.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from commands.process_managers.parts import Partition
from eventstore.fencing import Lease, LeaseLost, fenced
from eventstore.lease_keeper import LeaseKeeper
from eventstore.log import rest_between_batches

log = logging.getLogger(__name__)


class Manager(Protocol):
    """What the runner drives: a checkout manager, or the fulfilment manager."""

    name: str

    def run_batch(self) -> int: ...

    def fire_deadlines(self) -> int: ...

    def flush(self) -> None: ...

    def forget(self) -> None: ...

    def repartition(self, partition: Partition) -> None: ...


class SagaRunner:
    """Runs process managers: `run_until_idle()` in the caller's thread (tests), or one
    thread each between `start()` and `stop()` (the embedded service, the worker)."""

    def __init__(
        self,
        managers: list[Manager],
        store: Any,
        poll_interval_s: float = 0.02,
        min_interval_s: float = 0.005,
        leases: LeaseKeeper | None = None,
    ) -> None:
        self.managers = managers
        self.store = store
        self.leases = leases
        self.partitions: dict[str, int] = {}  # lease unit -> partition index
        self._held: frozenset[tuple[str, int]] = frozenset()
        self.poll_interval_s = poll_interval_s
        # A batch costs a few commits whatever its size: at most one per interval lets
        # orders gather into batches on a busy shop, for a few milliseconds of latency.
        self.min_interval_s = min_interval_s
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._closers: list[Callable[[], None]] = []
        self.engine: Any = None  # the state database, when others in the process share it

    def run_once(self) -> int:
        return sum(m.run_batch() + m.fire_deadlines() for m in self.managers)

    def run_until_idle(self, max_rounds: int = 100_000) -> int:
        """Handle events and due deadlines until there are none; how many were handled."""
        total = 0
        for _ in range(max_rounds):
            handled = self.run_once()
            if not handled:
                return total
            total += handled
        raise RuntimeError(f"saga still busy after {max_rounds} rounds")

    def start(self) -> None:
        self.stopping.clear()
        if self.leases is not None:
            self.leases.start()
        for manager in self.managers:
            thread = threading.Thread(
                target=self._loop, args=(manager,), name=manager.name, daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout_s: float = 30.0) -> None:
        """Let each manager finish the batch in hand, then return."""
        self.stopping.set()
        for thread in self._threads:
            thread.join(timeout_s)
        self._threads.clear()

    def close(self) -> None:
        self.stop()
        if self.leases is not None:
            self.leases.stop()  # after the batches in hand: the next owner starts clean
        for closer in reversed(self._closers):
            closer()
        self._closers.clear()

    def _loop(self, manager: Manager) -> None:
        backoff = 0.1
        leases: tuple[Lease, ...] = ()
        while not self.stopping.is_set():
            leases = self._leases_for(manager, leases)
            if self.leases is not None and not leases:
                self.leases.wait_for_change(1.0)
                continue
            started = time.monotonic()
            try:
                with fenced(*leases):
                    handled = manager.run_batch() + manager.fire_deadlines()
                backoff = 0.1
            except LeaseLost as lost:  # the manager forgot the batch; the keeper will see
                log.warning("saga %s stops: %s", manager.name, lost)
                self.stopping.wait(1.0)
                continue
            except Exception:
                log.exception("saga %s failed a batch; retrying in %.1fs", manager.name, backoff)
                self.stopping.wait(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            rest_between_batches(
                self.store,
                self.stopping,
                handled > 0,
                started,
                self.poll_interval_s,
                self.min_interval_s,
            )
        self._flush(manager, leases)  # stopping: the next owner starts from here

    def _flush(self, manager: Manager, leases: tuple[Lease, ...]) -> None:
        """Save the progress noted but not saved yet, under the leases it was made under."""
        try:
            with fenced(*leases):
                manager.flush()
        except Exception as failed:  # losing it only means replaying a little more
            log.warning("saga %s could not save its position: %s", manager.name, failed)

    def _leases_for(self, manager: Manager, previous: tuple[Lease, ...]) -> tuple[Lease, ...]:
        """The leases to run `manager` under now, its partitions set to match them.

        Partitions to hand over are released here, between two batches. When the set of
        leases (or an epoch) changed, the manager forgets what it held: another owner may
        have moved its streams and positions in between.
        """
        if self.leases is None:
            return ()
        handover = [unit for unit, lease in list(self.leases.held.items()) if lease.handover]
        if handover:
            self._flush(manager, previous)
        for unit in handover:
            self.leases.release(unit)
        held = {unit: lease for unit, lease in list(self.leases.held.items()) if lease.valid()}
        key = frozenset((unit, lease.epoch) for unit, lease in held.items())
        if key != self._held:
            self._flush(manager, previous)
            self._held = key
            if held:
                indexes = frozenset(self.partitions[unit] for unit in held)
                manager.repartition(Partition.holding(indexes, len(self.partitions)))
                log.info("saga holds %s", manager.name)
            else:
                manager.forget()
        return tuple(held.values())
