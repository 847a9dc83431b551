"""Running the projections: one thread each, fed from one read of the log, until stopped."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping

from eventstore.fencing import Lease
from eventstore.lease_keeper import LeaseKeeper
from eventstore.log import EventLog, rest_between_batches
from projections.core import ProjectionView
from projections.fanout import SharedTail, wanted_topics
from projections.follow import BATCH_SIZE, advance, applied, bounded, catch_up, step
from projections.poison import PoisonGuard

log = logging.getLogger(__name__)
__all__ = ["BATCH_SIZE", "ProjectionRunner", "advance", "applied", "bounded", "catch_up", "step"]


class ProjectionRunner:
    """Runs each view's projection on its own thread until `stop()`, all of them fed from
    one read of the log (`projections.fanout`): each with its own position, lease,
    transaction per batch, failures and parked events.

    `stop()` lets the batch in hand finish (its transaction holds the position), so a
    stopped runner restarts exactly where it left off.

    A batch that fails is retried after a wait that doubles; from its second failure on,
    `guard` (when given) applies its events one at a time to find the one at fault and
    parks it once it has failed `max_attempts` times (`projections.poison`), so one bad
    event never stops a projection.

    With `leases`, a projection runs only while this worker holds its lease, so replicas
    share the projections instead of all doing all of them. The lease saves work; it is
    not what keeps a view right: a batch applies only the events past the position it
    finds in its own transaction, so a deposed runner that wakes up late writes nothing
    the new owner has not written already.
    """

    def __init__(
        self,
        log_: EventLog,
        views: Mapping[str, ProjectionView],
        batch_size: int = BATCH_SIZE,
        idle_wait_s: float = 0.02,
        min_interval_s: float = 0.025,
        leases: LeaseKeeper | None = None,
        guard: PoisonGuard | None = None,
        retry_wait_s: float = 0.1,
    ) -> None:
        self.log = log_
        self.leases = leases
        self.guard = guard
        self.retry_wait_s = retry_wait_s  # the first wait after a failure; doubles, at most 5 s
        self.views = dict(views)
        self.batch_size = batch_size
        self.idle_wait_s = idle_wait_s
        # A step costs about a millisecond whatever its size: one per append would spend
        # a core on a busy shop. At most one per interval keeps lag within it.
        self.min_interval_s = min_interval_s
        self.wanted = {
            name: wanted_topics(log_, view.projector.topics) for name, view in self.views.items()
        }
        self.tail = SharedTail(log_, self.wanted, batch_size)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.errors: dict[str, BaseException] = {}

    def catch_up(self) -> None:
        """Synchronously bring every view to the head as it is now (for tests and the CLI)."""
        until = self.log.head()
        for view in self.views.values():
            catch_up(self.log, view, until=until, batch_size=self.batch_size)

    def start(self) -> None:
        self._stop.clear()
        if self.leases is not None:
            self.leases.start()
        for name, view in self.views.items():
            thread = threading.Thread(
                target=self._run, args=(name, view), name=f"projection-{name}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout_s: float = 30.0) -> None:
        self._stop.set()
        with self.log.store.appended:
            self.log.store.appended.notify_all()
        for thread in self._threads:
            thread.join(timeout_s)
        self._threads.clear()
        if self.leases is not None:
            self.leases.stop()

    @property
    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def _run(self, name: str, view: ProjectionView) -> None:
        failures, known = 0, None  # the position this thread last stored, if any
        epoch = None  # of the lease `known` was stored under
        while not self._stop.is_set():
            lease = self._lease(name)
            if self.leases is not None and (lease is None or lease.epoch != epoch):
                known, epoch = None, None if lease is None else lease.epoch
                if lease is None:  # not ours (now): wait for the keeper's next tick
                    self.leases.wait_for_change(1.0)
                    continue
            started, after = time.monotonic(), None
            try:
                after = view.position() if known is None else known
                known = self._advance(name, view, after, epoch)
                moved = known is None or known > after
                failures = 0
                if known is not None and self.guard is not None:
                    self.guard.passed(name, known)
            except Exception as error:  # a store hiccup must not end the projection
                known, failures = None, self._failed(name, view, after, failures + 1, error)
                continue
            rest_between_batches(
                self.log.store, self._stop, moved, started, self.idle_wait_s, self.min_interval_s
            )

    def _advance(
        self, name: str, view: ProjectionView, after: int, epoch: int | None
    ) -> int | None:
        """`advance` from the shared tail, or on its own when behind the tail."""
        batch = self.tail.batch(name, after, self.wanted[name])
        if batch is None:
            return advance(self.log, view, after, batch_size=self.batch_size)
        lease = None if self.leases is None else self.leases.lease(name)
        if self.leases is not None and (lease is None or lease.epoch != epoch):
            return after  # taken over while it waited for the tail: not one write more
        return applied(view, batch, after)

    def _failed(
        self, name: str, view: ProjectionView, after: int | None, failures: int, error: Exception
    ) -> int:
        """Log a failed batch and wait before retrying it; the failures in a row from now."""
        self.errors[name] = error
        log.exception("projection %s failed (attempt %d)", name, failures)
        if failures > 1 and after is not None and self._isolate(view, after):
            return 0  # parked the event at fault: go on at once
        self._stop.wait(min(5.0, self.retry_wait_s * 2**failures))
        return failures

    def _isolate(self, view: ProjectionView, after: int) -> bool:
        """Let the guard find (and maybe park) the event at fault; True when it parked one.
        Only a batch that failed again gets here: the first failure is just retried."""
        if self.guard is None:
            return False
        try:
            return self.guard.isolate(view, after)
        except Exception:  # the log or the store failed meanwhile: nothing is counted
            log.warning("projection %s: could not isolate the fault", view.name, exc_info=True)
            return False

    def _lease(self, name: str) -> Lease | None:
        """This worker's lease on `name`, handed over first if another worker should run it."""
        if self.leases is None:
            return None
        lease = self.leases.lease(name)
        if lease is not None and lease.handover:
            self.leases.release(name)
            return None
        return lease
