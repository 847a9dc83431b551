"""Running checkout managers: in the caller's thread until idle, or one thread each.

On threads, each partition runs only while this worker holds its lease (`leases`), and
everything it writes is fenced by it; without a keeper (tests, drills) every partition
runs unfenced.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from commands.process_managers.checkout import CheckoutProcessManager
from eventstore.fencing import Lease, LeaseLost, fenced
from eventstore.lease_keeper import LeaseKeeper
from eventstore.log import rest_between_batches

log = logging.getLogger(__name__)


class SagaRunner:
    """Runs process managers: `run_until_idle()` in the caller's thread (tests), or one
    thread each between `start()` and `stop()` (the embedded service, the worker)."""

    def __init__(
        self,
        managers: list[CheckoutProcessManager],
        store: Any,
        poll_interval_s: float = 0.02,
        min_interval_s: float = 0.005,
        leases: LeaseKeeper | None = None,
    ) -> None:
        self.managers = managers
        self.store = store
        self.leases = leases
        self.poll_interval_s = poll_interval_s
        # A batch costs a few commits whatever its size: at most one per interval lets
        # orders gather into batches on a busy shop, for a few milliseconds of latency.
        self.min_interval_s = min_interval_s
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._closers: list[Callable[[], None]] = []

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

    def _loop(self, manager: CheckoutProcessManager) -> None:
        backoff, epoch = 0.1, None  # epoch: of the lease the manager's memory comes from
        while not self.stopping.is_set():
            lease = self._lease(manager, epoch)
            if self.leases is not None and lease is None:
                epoch = None
                self.leases.wait_for_change(1.0)
                continue
            epoch = None if lease is None else lease.epoch
            started = time.monotonic()
            try:
                with fenced(lease) if lease else nullcontext():
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

    def _lease(self, manager: CheckoutProcessManager, epoch: int | None) -> Lease | None:
        """The lease to run `manager` under now; None when it is not (or no longer) ours.

        A manager whose lease is new, or was lost, forgets what it held: another owner
        may have moved its streams and its position in between. One asked to hand its
        partition over does so here, between two batches.
        """
        if self.leases is None:
            return None
        lease = self.leases.lease(manager.name)
        if lease is not None and lease.handover:
            self.leases.release(manager.name)
            lease = None
        if lease is None or lease.epoch != epoch:
            manager.forget()
        return lease
