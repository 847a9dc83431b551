"""Sharing a group's units of work among its live workers, one lease per unit.

Every `tick` (a third of the lease time) a worker renews its heartbeat and its leases, and
computes the same assignment as every other worker from the sorted list of live workers:
unit i goes to worker i mod n. It takes the free or expired units assigned to it, and
marks for handover the ones it holds that are assigned to someone else; the thread that
runs such a unit releases it between two batches (`release`), never in the middle of one.

A worker that dies stops renewing: its heartbeat and leases expire after `ttl_s`, the
survivors' next tick reassigns its units, and whoever they fall to takes them over, so a
takeover waits at most `ttl_s` plus one tick. A worker that stalls finds, when it wakes
up, that its leases were taken over: its appends are refused (`eventstore.fencing`), and
it treats its units as lost before doing anything the outside world would see.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable

from eventstore.fencing import Lease
from eventstore.leases import LeaseTable

log = logging.getLogger(__name__)
SAFETY = 0.2  # of the lease time: ours ends this much before the database's expiry


def worker_id() -> str:
    """`SHOP_WORKER_ID`, or one unique to this process: host, pid and a random tag.

    A supervisor that restarts a child only after it exited passes the same id again, so
    the new process takes the leases of the dead one at once (`LeaseTable.acquire`).
    """
    given = os.environ.get("SHOP_WORKER_ID", "").strip()
    return given or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def lease_name(group: str, unit: str) -> str:
    """The row of `unit`'s lease in `shop_leases`: its group's units never share a name
    with another group's."""
    return f"{group}:{unit}"


class LeaseKeeper:
    """The leases this worker holds in `group`, kept up to date by `tick`."""

    def __init__(
        self,
        table: LeaseTable,
        group: str,
        units: list[str],
        ttl_s: float,
        worker: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.table, self.group, self.units, self.ttl_s = table, group, sorted(units), ttl_s
        self.worker = worker or worker_id()
        self.clock = clock
        self.held: dict[str, Lease] = {}
        self.adopted: set[str] = set()  # held though assigned to another (see `tick`)
        self.changed = threading.Condition()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ensured = False

    def lease_name(self, unit: str) -> str:
        return lease_name(self.group, unit)

    def lease(self, unit: str) -> Lease | None:
        """The lease of `unit` if this worker holds it and it is still valid."""
        lease = self.held.get(unit)
        return lease if lease is not None and lease.valid() else None

    def tick(self) -> None:
        """Heartbeat, renew what is held, take what is ours and free, mark what is not."""
        started = self.clock()
        if not self._ensured:
            self.table.ensure([self.lease_name(unit) for unit in self.units])
            self._ensured = True
        self.table.heartbeat(self.worker, self.group, self.ttl_s)
        mine = self._assigned(self.table.live_workers(self.group))
        for unit in list(self.held):
            self._renew(unit, started, unit in mine)
        taken: dict[str, Lease] = {}
        try:
            for unit in sorted(set(self.units) - set(self.held)):
                self._take(unit, unit in mine, started, taken)
        finally:
            # All at once: a runner that saw them one by one would start on some, then
            # start over on all (a repartition forgets, and replays from the lowest
            # checkpoint of the set).
            with self._lock:
                self.held.update(taken)
        with self.changed:
            self.changed.notify_all()

    def release(self, unit: str) -> None:
        """Give `unit` up now (its runner finished the batch in hand)."""
        with self._lock:
            lease = self.held.pop(unit, None)
        if lease is not None:
            self.table.release(lease.name, self.worker, lease.epoch)

    def _lost(self, unit: str, lease: Lease) -> None:
        """Forget a lease whose renewal found it taken over (unless a newer one is held)."""
        with self._lock:
            if self.held.get(unit) is lease:
                del self.held[unit]

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"leases-{self.group}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop renewing and release every lease: the others take over at their next tick."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.ttl_s)
        for unit in list(self.held):
            self.release(unit)
        self.table.leave(self.worker)

    def wait_for_change(self, timeout_s: float) -> None:
        with self.changed:
            self.changed.wait(timeout_s)

    def _assigned(self, live: list[str]) -> set[str]:
        if self.worker not in live:
            live = sorted([*live, self.worker])
        index, count = live.index(self.worker), len(live)
        return {unit for i, unit in enumerate(self.units) if i % count == index}

    def _renew(self, unit: str, started: float, assigned: bool) -> None:
        lease = self.held[unit]
        if self.table.renew(lease.name, self.worker, lease.epoch, self.ttl_s):
            lease.valid_until = started + self.ttl_s * (1 - SAFETY)
            lease.handover = not assigned and unit not in self.adopted
        else:
            log.warning("%s lost %s (epoch %d) to another worker", self.worker, unit, lease.epoch)
            self._lost(unit, lease)

    def _take(self, unit: str, mine: bool, started: float, taken: dict[str, Lease]) -> None:
        """Take `unit` into `taken` if it is free: another's too, once unowned for a whole
        lease time (workers that run different sets of units, `--only`, may each think
        a unit is another's)."""
        grace = 0 if mine else self.ttl_s
        epoch = self.table.acquire(self.lease_name(unit), self.worker, self.ttl_s, grace)
        if epoch is None:
            return
        log.info("%s took over %s (epoch %d)", self.worker, unit, epoch)
        taken[unit] = self._lease(unit, epoch, started)
        self.adopted.discard(unit)
        if grace:  # not ours by the assignment: kept until we stop, not handed over
            self.adopted.add(unit)

    def _lease(self, unit: str, epoch: int, started: float) -> Lease:
        name = self.lease_name(unit)
        return Lease(name, self.worker, epoch, started + self.ttl_s * (1 - SAFETY))

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # the store is away: leases run out, others take over
                log.exception("lease tick failed for %s", self.group)
            self._stop.wait(self.ttl_s / 3)
